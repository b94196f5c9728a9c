"""The schema's revision on any database, and moving it to the newest: Alembic from code.

The API the command line and the tests use:

- ``head()``: the newest revision this mhtui knows, e.g. "0008" (standard library only);
- ``current(url)``: the revision a database is at, None when it has no mhtui tables;
- ``upgrade(url)``: run every revision after the current one; returns (before, after).
  An SQLite file is upgraded by opening.upgrade_schema, its backup taken first.
- ``refusal(found, label)``: the one line that stops the app and the commands on a
  server database not at ``head()`` (the app never creates or alters a shared schema).

On an SQLite file, ``PRAGMA user_version`` is kept equal to the revision's number (the
app's fast check, mhtui/store/database/migrate.py); a file from before Alembic has only that
number, and is stamped with it before its first Alembic upgrade. The migrations run in
one transaction that holds a lock for the whole upgrade (BEGIN IMMEDIATE on SQLite, a
transaction-level advisory lock on PostgreSQL) and reads the revision again under it,
so two copies upgrading at once do not both run the steps.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mhtui.store.database import connections, dbfile, migrate
from mhtui.store.database.target import hidden, parse, sqlite_path_of

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import URL, Connection

VERSION_TABLE = "alembic_version"
# pg_advisory_xact_lock's key for "an mhtui upgrade is running" ("mhtu" as a number).
UPGRADE_LOCK = dbfile.APPLICATION_ID


def head() -> str:
    """The newest revision this mhtui knows."""
    return migrate.revision_name(migrate.latest_version())


@dataclass(frozen=True)
class Upgraded:
    before: str | None  # None: the database had no mhtui tables
    after: str
    backup: Path | None  # the copy taken first (SQLite files only)


def current(url: str | URL) -> str | None:
    """The revision the database at ``url`` is at; None when it has no mhtui tables.

    An SQLite file is read without writing to it (not even a -wal beside it).
    """
    parsed = parse(url)
    path = sqlite_path_of(parsed)
    if path is not None:
        return _current_of_file(path)
    if parsed.get_backend_name() == "sqlite":
        return head()  # in memory (tests): each connection's is made from the models
    engine = connections.engine(parsed, pooled=False)
    try:
        with engine.connect() as conn:
            return _revision_on(conn)
    finally:
        engine.dispose()


def refusal(found: str | None, label: str) -> str | None:
    """Why the database ``label``, at revision ``found``, cannot be used as it is; None
    when it is at ``head()``. One line for the person at the keyboard."""
    newest = head()
    if found == newest:
        return None
    if found is None:
        return (f"the database {label} has no mhtui tables yet: run `mhtui --db URL db "
                "upgrade` as the schema's owner.")
    return _too_new(found, label) or (
        f"the database {label} is at revision {found}, this mhtui needs {newest}: run "
        "`mhtui --db URL db upgrade` as the schema's owner.")


def _too_new(found: str | None, label: str) -> str | None:
    """Why a database at ``found`` is not this mhtui's to use or upgrade; None if it is."""
    if found is None:
        return None
    if not found.isdigit():
        return (f"the database {label} is at revision {found!r}, which is not one of "
                "mhtui's: it belongs to another program, or was changed by hand.")
    if int(found) > int(head()):
        return (f"the database {label} is at revision {found}, made by a newer mhtui (this "
                f"one knows up to {head()}): upgrade mhtui to use it.")
    return None


def upgrade(url: str) -> tuple[str | None, str]:
    """Bring the database at ``url`` to ``head()``; (revision before, revision after).

    Safe to run twice: the second run finds nothing to do. Raises DatabaseProblem for a
    database this mhtui cannot upgrade (a newer one, a damaged file).
    """
    done = upgrade_database(url)
    return done.before, done.after


def upgrade_database(url: str) -> Upgraded:
    """upgrade(), saying what it did. A database on a server or in memory: an SQLite file
    is upgraded by opening.upgrade_schema, which checks it and takes its backup first."""
    assert sqlite_path_of(url) is None, "an SQLite file: opening.upgrade_schema"
    engine = connections.engine(url, pooled=False)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({UPGRADE_LOCK})")
            before = _revision_on(conn)
            problem = _too_new(before, hidden(url))
            if before is None and _has_table(conn, "team"):
                problem = (f"the database {hidden(url)} has mhtui's tables but no record of "
                           "their revision (made before mhtui used Alembic?): it was left "
                           "as it is; move its rows into a new database.")
            if problem:
                raise dbfile.DatabaseProblem(problem)
            if before != head():
                _run_alembic(conn, stamp=None)
            after = _revision_on(conn)
    finally:
        engine.dispose()
    assert after is not None
    return Upgraded(before, after, None)


def upgrade_sqlite_file(path: Path) -> None:
    """Run Alembic on an SQLite file the caller has checked (and backed up): from its
    revision to head, in one BEGIN IMMEDIATE transaction; the file's user_version and
    application_id are set in the same transaction."""
    from sqlalchemy import event
    from sqlalchemy.engine import URL
    from sqlalchemy.exc import DBAPIError

    engine = connections.engine(URL.create("sqlite", database=str(path)), pooled=False,
                                kind="migrate")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        with engine.begin() as conn:
            # Read again inside the lock: another copy may have upgraded meanwhile.
            number = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
            stamped = _has_table(conn, VERSION_TABLE)
            if number < migrate.latest_version() or not stamped:
                # A file from before Alembic knows its version by user_version only.
                stamp = migrate.revision_name(number) if number and not stamped else None
                _run_alembic(conn, stamp=stamp)
            conn.exec_driver_sql(f"PRAGMA application_id={dbfile.APPLICATION_ID}")
            conn.exec_driver_sql(f"PRAGMA user_version={migrate.latest_version()}")
    except DBAPIError as exc:
        # The callers tell sqlite3's errors apart (a full disk, a lock, a bug).
        if isinstance(exc.orig, sqlite3.Error):
            raise exc.orig from exc
        raise
    finally:
        engine.dispose()


# --- the parts ------------------------------------------------------------------------


def _current_of_file(path: Path) -> str | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    conn = connections.sqlite(path, "look")
    try:
        has_table = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                 "AND name = ?", (VERSION_TABLE,)).fetchone()[0]
        if has_table:
            rows = [row[0] for row in conn.execute(f"SELECT version_num FROM {VERSION_TABLE}")]
            if rows:
                return str(max(rows))
        number = conn.execute("PRAGMA user_version").fetchone()[0]
        return migrate.revision_name(number) if number else None
    finally:
        conn.close()


def _has_table(conn: Connection, name: str) -> bool:
    from sqlalchemy import inspect

    return inspect(conn).has_table(name)


def _revision_on(conn: Connection) -> str | None:
    """The revision recorded in the database (for SQLite, its user_version without one)."""
    rows: list[str] = []
    if _has_table(conn, VERSION_TABLE):
        rows = [str(r) for r in conn.exec_driver_sql(
            f"SELECT version_num FROM {VERSION_TABLE}").scalars()]
    if rows:
        return max(rows)
    if conn.dialect.name == "sqlite":
        number = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
        return migrate.revision_name(number) if number else None
    return None


def _config(conn: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    here = Path(str(migrate.version_dirs()[0])).parent
    # ConfigParser reads "%" as the start of a substitution: a path may hold one.
    config.set_main_option("script_location", str(here).replace("%", "%%"))
    config.set_main_option("path_separator", "newline")
    config.set_main_option("version_locations", "\n".join(
        str(folder).replace("%", "%%") for folder in migrate.version_dirs()))
    config.attributes["connection"] = conn
    return config


def _run_alembic(conn: Connection, *, stamp: str | None) -> None:
    """Stamp (a file from before Alembic) and upgrade to head, on ``conn``'s transaction."""
    from alembic import command

    config = _config(conn)
    if stamp is not None:
        command.stamp(config, stamp)
    command.upgrade(config, "head")
