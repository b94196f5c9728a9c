"""Schema migrations: a ladder of SQL files read by ``PRAGMA user_version``.

Chosen over Alembic because the product is one SQLite file on a laptop: the ladder needs
no extra dependency, runs with the standard library before the ORM is imported (so the
app's first frame does not wait for it), and each step is plain SQL a reviewer can read.
Each file ``NNNN_name.sql`` takes the schema from version NNNN-1 to NNNN. Files are
frozen once released; a test checks that the ladder ends exactly at what models.py says.
"""

from __future__ import annotations

import functools
import sqlite3
from datetime import datetime
from importlib import resources
from pathlib import Path

from mhtui.core.folding import search_key
from mhtui.store.dbfile import APPLICATION_ID, FileState, backup_to, create_private_file


def _ladder_connection(where: str | Path, **options: object) -> sqlite3.Connection:
    """A connection for running the ladder, with the functions its steps call."""
    conn = sqlite3.connect(where, **options)  # type: ignore[call-overload]
    conn.create_function("mh_search_key", 2, search_key, deterministic=True)
    return conn  # type: ignore[no-any-return]


def steps() -> list[tuple[int, str]]:
    """(version, sql) for every migration file, in order."""
    folder = resources.files("mhtui.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def latest_version() -> int:
    return steps()[-1][0]


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
    """The tables and columns the ladder makes up to ``version`` (built in memory once)."""
    conn = _ladder_connection(":memory:")
    try:
        for number, script in steps():
            if number <= version:
                for statement in _statements(script):
                    conn.execute(statement)
        return shape_of(conn)
    finally:
        conn.close()


def missing_from(found: Shape, version: int) -> str:
    """What of schema ``version`` is not in ``found``, in words; "" when nothing is."""
    for table, columns in sorted(expected_shape(version).items()):
        if table not in found:
            return f"the table {table!r} is"
        gone = sorted(columns - found[table])
        if gone:
            return f"the column {gone[0]!r} of the table {table!r} is"
    return ""


def _statements(script: str) -> list[str]:
    done, pending = [], ""
    for line in script.splitlines(keepends=True):
        if not pending and line.lstrip().startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            done.append(pending.strip())
            pending = ""
    return done


def upgrade(state: FileState, *, now: datetime | None = None) -> Path | None:
    """Bring the file up to the latest schema; return the backup taken first, if any."""
    latest = latest_version()
    if state.version >= latest and not state.fresh:
        return None
    backup = None
    if not state.fresh:
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
        backup = state.path.with_name(f"{state.path.name}.before-v{latest}-{stamp}.bak")
        backup_to(state.path, backup)  # whole or not at all; the upgrade waits for it
    if state.fresh:
        create_private_file(state.path)
    conn = _ladder_connection(state.path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read again inside the lock: another copy may have upgraded meanwhile.
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            for version, script in steps():
                if version > current:
                    for statement in _statements(script):
                        conn.execute(statement)
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version={latest}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()
    return backup
