"""The files made from the schema's one definition, and the command that writes them.

The schema is written once: models.py, and for each change a revision in alembic/versions
whose upgrade() is Alembic operations (op.add_column, op.create_index, ...), which Alembic
runs on SQLite and on PostgreSQL alike. Two kinds of file are made from them here, for the
app's fast start (migrate.py, sqlite3 alone, no Alembic):

- ``migrations/NNNN_name.sql`` for each revision after HAND_WRITTEN: its operations as
  SQLite SQL (Alembic's offline mode), the ladder's step that makes a new file;
- ``shape_latest.py``: the newest schema's tables, columns and fingerprint, what a
  current file is checked against on the way to the first frame.

``python3 -m mhtui.store.database.schema_files`` writes them; tests/test_migrations.py fails when a
file differs from what it would write, so none is ever edited by hand.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

from mhtui.atomic import write_file
from mhtui.store.database import migrate

# Revisions up to this one run their own frozen SQL files (alembic/steps.run_sql).
HAND_WRITTEN = 13


def sqlite_sql(module: Any) -> str:
    """A revision module's upgrade() rendered as SQLite SQL, without a database. Work
    that reads rows through op.get_bind() cannot be rendered: a new file has none, so
    such a revision skips it when ``op.get_context().as_sql``."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    out = io.StringIO()
    context = MigrationContext.configure(dialect_name="sqlite", opts={
        "as_sql": True, "output_buffer": out, "literal_binds": True})
    with Operations.context(context):
        module.upgrade()
    return out.getvalue()


def sql_files() -> dict[Path, str]:
    """Each generated SQLite file and its text, from the revisions after HAND_WRITTEN."""
    from alembic.script import ScriptDirectory

    folders = migrate.version_dirs()
    script = ScriptDirectory(str(folders[0].parent),
                             version_locations=[str(folder) for folder in folders])
    files = {}
    for revision in script.walk_revisions():
        if int(revision.revision) > HAND_WRITTEN:
            name = Path(revision.path).stem
            files[migrate.sql_dir() / f"{name}.sql"] = (
                f"-- Made by `python3 -m mhtui.store.database.schema_files` from revision {name}'s "
                f"operations: do not edit.\n{sqlite_sql(revision.module)}")
    return files


SHAPE_DOC = '''"""The tables and columns of the newest schema, and its objects' fingerprint.

Made by `python3 -m mhtui.store.database.schema_files` from the migration ladder: do not edit.
Opening a file that is already current checks it against this, instead of running every
migration in an in-memory database first (about 10-20 ms before the first frame):
DIGEST is migrate.digest() of every table, index, trigger and view the ladder makes.
"""

from __future__ import annotations

'''


def shape_file() -> tuple[Path, str]:
    """shape_latest.py and its text, from the ladder's SQL files as they are now."""
    version = migrate.latest_version()
    migrate.ladder_objects.cache_clear()
    shape = migrate.ladder_shape(version)
    body = [f"VERSION = {version}",
            f'DIGEST = "{migrate.digest(migrate.ladder_objects(version))}"', "",
            "SHAPE: dict[str, frozenset[str]] = {"]
    for table in sorted(shape):
        names = ", ".join(f'"{name}"' for name in sorted(shape[table]))
        body.append(f'    "{table}": frozenset([')
        body += [f"        {line}" for line in textwrap.wrap(names, 88)]
        body.append("    ]),")
    return Path(__file__).with_name("shape_latest.py"), SHAPE_DOC + "\n".join(body) + "\n}\n"


def _changed(files: dict[Path, str]) -> list[Path]:
    return [path for path, text in files.items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def out_of_date() -> list[Path]:
    """Every generated file that differs from what the command would write; [] when all
    are as made. (A file left by a revision renamed or removed fails
    test_revisions_are_numbered_without_gaps: delete it.)"""
    return _changed(sql_files()) + _changed(dict([shape_file()]))


def write() -> list[Path]:
    """Write every generated file that differs, the SQL first (the shape is read from
    it); the files written."""
    done = []
    for files in (sql_files, lambda: dict([shape_file()])):
        made = files()
        for path in _changed(made):
            write_file(path, made[path])
            done.append(path)
    return done


if __name__ == "__main__":
    for changed in write():
        print(f"changed {changed}")
