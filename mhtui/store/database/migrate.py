"""Schema migrations on an SQLite file: the standard-library side of mhtui/store/database/schema.py.

The schema is moved by Alembic (revisions "0001", "0002", ... in mhtui/store/alembic/
versions, one per schema version; see that package's docstring for how to add one).
Each revision has its SQLite SQL here in migrations/: 0001-0013 their own frozen files
(PostgreSQL has twins in migrations/postgresql/), later ones a file generated from the
revision's operations (mhtui/store/database/schema_files.py). ``PRAGMA user_version`` is kept
equal to the number of the file's revision. So this module can tell, with sqlite3 alone
and without importing Alembic or SQLAlchemy, that a file is current (the app's first
frame does not wait) or what it lacks (dbfile.inspect). Only a file that needs upgrading
loads Alembic, after a backup of it is taken (opening.upgrade).

A file from before Alembic (user_version N, no alembic_version table) is stamped at
revision N and upgraded from there, in the same locked transaction.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import sqlite3
from importlib import resources
from pathlib import Path

from mhtui.store.database.connections import sqlite


def sql_dir() -> Path:
    """The folder of the SQLite SQL files (tests may give a copy)."""
    return Path(str(resources.files("mhtui.store") / "migrations"))


def steps() -> list[tuple[int, str]]:
    """(version, sql) for every migration file, in order."""
    found = []
    for entry in sql_dir().iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def version_dirs() -> list[Path]:
    """The folders holding the Alembic revision files (one; tests may add another)."""
    return [Path(str(resources.files("mhtui.store") / "alembic" / "versions"))]


def revision_numbers() -> list[int]:
    """The number of every revision file (``NNNN_name.py``), in order; standard library."""
    found = {int(entry.name[:4]) for folder in version_dirs() for entry in folder.iterdir()
             if entry.name.endswith(".py") and entry.name[:4].isdigit()}
    return sorted(found)


def step_sql(version: int, dialect: str) -> str | None:
    """The SQL of schema version ``version`` on ``dialect`` ("sqlite" or "postgresql");
    None when that revision has no file for it (it changes nothing there)."""
    folder = sql_dir()
    if dialect == "postgresql":
        folder = folder / "postgresql"
    elif dialect != "sqlite":
        raise ValueError(f"mhtui's schema is made for SQLite and PostgreSQL, not {dialect}")
    for entry in folder.iterdir():
        if entry.name.startswith(f"{revision_name(version)}_") and entry.name.endswith(".sql"):
            return entry.read_text(encoding="utf-8")
    return None


def latest_version() -> int:
    """The schema version this mhtui makes: the number of its newest revision."""
    return revision_numbers()[-1]


def revision_name(version: int) -> str:
    """Alembic's name of schema version ``version``: 8 -> "0008"."""
    return f"{version:04d}"


Shape = dict[str, frozenset[str]]


def shape_of(conn: sqlite3.Connection) -> Shape:
    """Each table of a database and its columns."""
    rows = conn.execute(
        "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p "
        "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'").fetchall()
    tables: dict[str, set[str]] = {}
    for table, column in rows:
        tables.setdefault(table, set()).add(column)
    return {table: frozenset(columns) for table, columns in tables.items()}


@functools.cache
def expected_shape(version: int) -> Shape:
    """The tables and columns schema ``version`` has (built in memory once, except the
    newest, which is written out in shape_latest: a current file's check on the way to
    the first frame need not run every migration first)."""
    from mhtui.store.database import shape_latest

    if version == shape_latest.VERSION:
        return shape_latest.SHAPE
    return ladder_shape(version)


def _in_memory_ladder(version: int) -> sqlite3.Connection:
    """A database in memory that the ladder has brought to ``version`` (about 20 ms)."""
    conn = sqlite(":memory:", "migrate")
    for number, script in steps():
        if number <= version:
            for statement in statements(script):
                conn.execute(statement)
    return conn


def ladder_shape(version: int) -> Shape:
    """The tables and columns the ladder makes up to ``version``, built in memory."""
    with contextlib.closing(_in_memory_ladder(version)) as conn:
        return shape_of(conn)


# One object of a schema as sqlite_master lists it: (type, name, table, its SQL with the
# spacing evened out, "" for an index SQLite makes itself). What a file holds is compared
# with this set, so a trigger or a view someone planted is never run by mhtui's writes.
Entry = tuple[str, str, str, str]
# SQLite's own tables: statistics a `sqlite3` ANALYZE leaves (data, never run), and the
# counter an AUTOINCREMENT table keeps (only such a table, itself refused, makes one).
SQLITE_OWN = frozenset({"sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4",
                        "sqlite_sequence"})


def _even(sql: str | None) -> str:
    """SQL with its spacing evened out: the same statement from another SQLite, Alembic
    or editor compares equal; anything that changes what it does does not."""
    return re.sub(r" ?([(),]) ?", r"\1", " ".join((sql or "").split()))


def objects_of(conn: sqlite3.Connection) -> frozenset[Entry]:
    """Every table, column, index, trigger and view of a database (its sqlite_master)."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return frozenset((kind, name, table, _even(sql)) for kind, name, table, sql in rows
                     if not (kind == "table" and name in SQLITE_OWN))


def digest(objects: frozenset[Entry]) -> str:
    """A short fingerprint of a schema's objects (shape_latest keeps the newest's)."""
    return hashlib.sha256(repr(sorted(objects)).encode()).hexdigest()[:32]


@functools.cache
def alembic_objects() -> frozenset[Entry]:
    """Alembic's table (and its key's index): a file made or upgraded since mhtui used
    Alembic has it, one from before does not."""
    with contextlib.closing(sqlite(":memory:", "migrate")) as conn:
        conn.execute(VERSION_TABLE_SQL)
        return objects_of(conn)


@functools.cache
def ladder_objects(version: int) -> frozenset[Entry]:
    """The objects the ladder makes up to ``version``, built in memory."""
    with contextlib.closing(_in_memory_ladder(version)) as conn:
        return objects_of(conn)


def made_by_mhtui(found: frozenset[Entry], version: int) -> bool:
    """Whether ``found`` is exactly what mhtui makes for schema ``version``. A current
    file is compared by fingerprint (nothing built on the way to the first frame)."""
    from mhtui.store.database import shape_latest

    found = found - alembic_objects()
    if version == shape_latest.VERSION:
        return digest(found) == shape_latest.DIGEST
    return found == ladder_objects(version)


def not_made_by_mhtui(found: frozenset[Entry], columns: Shape, version: int) -> str:
    """What in ``found`` (with ``columns``, its tables' columns) differs from what mhtui
    makes for ``version``, as the end of a sentence ("has a trigger 'x' on the table
    'action' that mhtui did not make"): the first object added, else the first missing.
    "" when nothing differs."""
    expected = ladder_objects(version)
    tables = expected_shape(version)
    order = {"trigger": 0, "view": 1, "table": 2, "index": 3}
    added = sorted(found - expected - alembic_objects(), key=lambda o: (order.get(o[0], 9), o[1]))
    for kind, name, table, _sql in added:
        if kind == "table" and name in tables:
            extra = sorted(columns.get(name, frozenset()) - tables[name])
            if extra:
                return f"has a column {extra[0]!r} in the table {name!r} that mhtui did not make"
            return f"has the table {name!r} defined otherwise than mhtui makes it"
        if kind == "index" and (kind, name) in {(o[0], o[1]) for o in expected}:
            return f"has the index {name!r} defined otherwise than mhtui makes it"
        named = f"{'an' if kind == 'index' else 'a'} {kind} {name!r}"
        if kind != "table" and name != table:
            named += f" on the table {table!r}"
        return f"has {named} that mhtui did not make"
    for kind, name, _table, _sql in sorted(expected - found):
        return f"lacks the {kind} {name!r} that mhtui makes"
    return ""


def missing_from(found: Shape, version: int) -> str:
    """What of schema ``version`` is not in ``found``, in words; "" when nothing is."""
    for table, columns in sorted(expected_shape(version).items()):
        if table not in found:
            return f"the table {table!r} is"
        gone = sorted(columns - found[table])
        if gone:
            return f"the column {gone[0]!r} of the table {table!r} is"
    return ""


def statements(script: str) -> list[str]:
    """The statements of an SQL file, one by one (comment lines between them dropped)."""
    done, pending = [], ""
    for line in script.splitlines(keepends=True):
        if not pending and line.lstrip().startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            done.append(pending.strip())
            pending = ""
    return done


# Alembic's own table, exactly as Alembic makes it on SQLite (a test compares the two).
VERSION_TABLE_SQL = """CREATE TABLE alembic_version (
\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
)"""
