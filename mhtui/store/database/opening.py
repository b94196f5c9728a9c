"""Getting a database ready to use: check the file, migrate it, hand out a Database.

``prepare`` needs only the standard library, so the command line can refuse a bad file
(or upgrade an old one) before the ORM or the UI is imported.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mhtui import paths
from mhtui.atomic import WriteFailed, disk_is_full, keep_off, reason, shown
from mhtui.store.database import connections, dbfile, migrate
from mhtui.store.database.backups import folder
from mhtui.store.database.dbfile import (
    APPLICATION_ID,
    DatabaseProblem,
    FileState,
    backup_to,
    create_private_file,
)
from mhtui.store.database.server_words import connection_trouble, database_said, held_up
from mhtui.store.database.target import Target

if TYPE_CHECKING:
    from mhtui.store.database.db import Database
    from mhtui.store.database.schema import Upgraded


def prepare(target: Target, *, thorough: bool = True) -> Path | None:
    """Check and, if needed, create or upgrade the file; return any pre-upgrade backup.

    Raises DatabaseProblem, one line saying what is wrong, for anything that stops it.
    A database that is not a file (a server) is never created or changed here: one not
    at this mhtui's revision is refused, pointing at `mhtui db upgrade`.
    """
    if target.path is None:
        check_revision(target)
        return None
    path = target.path
    keep_off(path, folder(path))  # no file mhtui writes goes over it (atomic.py)
    home = paths.data_dir()
    if path.is_relative_to(home) and home.is_dir():
        with contextlib.suppress(WriteFailed):  # (a read-only disk: said when written to)
            paths.ensure_private_dir(home, tighten=True)  # the data folder: owner's only
    state = dbfile.inspect(path, migrate.latest_version(), thorough=thorough)
    done = "could not be made" if state.fresh else "was not upgraded and is as it was"
    if (state.fresh or state.version < migrate.latest_version()) and disk_is_full(path):
        raise DatabaseProblem(f"{shown(path)} {done}: the disk is full. Free some space, "
                              "then try again.")
    try:
        return upgrade(state)
    except WriteFailed as exc:
        raise DatabaseProblem(f"{exc} {shown(path)} {done}.") from exc
    except sqlite3.Error as exc:
        if not dbfile.not_a_bug(exc):
            raise  # a mistake in a migration: for a developer, with its traceback
        raise DatabaseProblem(f"{shown(path)} {done}: {dbfile.sqlite_reason(exc, path)}.") from exc
    except OSError as exc:
        raise DatabaseProblem(f"{shown(path)} could not be created: {reason(exc)}.") from exc


def upgrade(state: FileState) -> Path | None:
    """Bring the file up to the latest schema; return the backup taken first, if any.

    Returns at once, importing nothing, when the file is already current; a new file
    is made with sqlite3 alone too (_made_new). Otherwise takes the backup (whole or
    not at all), then runs Alembic inside one BEGIN IMMEDIATE transaction that reads
    the file's version again under the lock, so a second copy upgrading at the same
    moment waits and then finds nothing left to do.
    """
    latest = migrate.latest_version()
    if state.version >= latest and not state.fresh:
        return None
    backup = None
    if not state.fresh:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = state.path.with_name(f"{state.path.name}.before-v{latest}-{stamp}.bak")
        backup_to(state.path, backup)  # whole or not at all; the upgrade waits for it
    if state.fresh:
        create_private_file(state.path)
        if _made_new(state.path):
            return None
    from mhtui.store.database import schema  # Alembic and SQLAlchemy: only when there is work

    schema.upgrade_sqlite_file(state.path)
    return backup


def _made_new(path: Path) -> bool:
    """Give an empty file the newest schema with sqlite3 alone: every revision's SQLite
    file in order, then Alembic's table stamped at the newest revision. False, with
    nothing done, when another copy filled the file first (then Alembic looks again).

    An empty database takes DDL only, which the SQLite files hold, so this makes what
    Alembic makes (tests/test_migrations.py compares the two), without importing it:
    the app's very first start does not wait a second for Alembic and SQLAlchemy.
    """
    latest = migrate.latest_version()
    conn = connections.sqlite(path, "migrate")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                conn.execute("ROLLBACK")
                return False
            for version, script in migrate.steps():
                if version <= latest:
                    for statement in migrate.statements(script):
                        conn.execute(statement)
            conn.execute(migrate.VERSION_TABLE_SQL)
            conn.execute("INSERT INTO alembic_version (version_num) VALUES (?)",
                         (migrate.revision_name(latest),))
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version={latest}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()
    return True


def upgrade_schema(target: Target) -> Upgraded:
    """What `mhtui db upgrade` does: a file is checked, backed up and upgraded as opening
    it does (prepare); a server by Alembic alone (schema.upgrade_database)."""
    from mhtui.store.database import schema

    if target.path is None:
        return schema.upgrade_database(target.url)
    # Checked first, so a file that is no mhtui database is refused in its own words.
    state = dbfile.inspect(target.path, migrate.latest_version())
    before = None if state.fresh else schema.current(target.address)
    return schema.Upgraded(before, schema.head(), prepare(target))


def check_revision(target: Target) -> None:
    """Refuse a server database that is empty, older or newer than this mhtui (one line,
    DatabaseProblem); nothing is created. In-memory SQLite (tests) is made by the engine."""
    from mhtui.store.database import schema

    if target.given is None or target.given.startswith("sqlite"):
        return
    with _reaching(target):
        found = schema.current(target.address)
    problem = schema.refusal(found, target.label)
    if problem:
        raise DatabaseProblem(problem)


def connect(target: Target) -> Database:
    """The ORM handle on a prepared database (imports SQLModel on first use).

    A database that cannot be reached (a server down, a driver not installed, a wrong
    password) is a DatabaseProblem naming it with its password hidden.
    """
    from mhtui.store.database.db import Database

    with _reaching(target):
        # A URL object, never the text: its repr hides the password in any traceback.
        db = Database(target.address, target.path)
    if target.path is None:  # a server: said now in one line, not under a screen later
        with _reaching(target, db), db.engine.connect():
            pass
        _check_access(db)
    return db


@contextlib.contextmanager
def _reaching(target: Target, db: Database | None = None) -> Iterator[None]:
    """A database not reached in the block, said as ``connect`` says it; ``db`` closed."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except (ImportError, SQLAlchemyError) as exc:
        if db is not None:
            db.close()
        if isinstance(exc, ImportError):
            raise DatabaseProblem(_no_driver(target, exc)) from exc
        raise DatabaseProblem(_cannot_connect(target, exc)) from exc


def _check_access(db: Database) -> None:
    """A login the district has granted nothing is told so in one line (store/database/access.py),
    not refused on the first table mhtui happens to read."""
    from mhtui.store.database import access

    shut_out = access.shut_out(db)
    if shut_out is not None:
        db.close()
        raise DatabaseProblem(shut_out)


def _no_driver(target: Target, exc: ImportError) -> str:
    name = exc.name or ""
    if name.startswith("psycopg"):
        return (f"{target.label}: cannot connect, the PostgreSQL driver psycopg is not "
                "installed (pip install 'mhtui[postgres]').")
    return (f"{target.label}: cannot connect, the database driver {name!r} is not "
            "installed (pip install it next to mhtui).")


def _cannot_connect(target: Target, exc: Exception) -> str:
    said = connection_trouble(exc, target.given) or database_said(exc, target.given)
    return f"{target.label}: cannot connect: {said.rstrip('.')}."


def database_error(error: BaseException, url: str | None) -> str | None:
    """One line for a database that failed under a screen (a read, a connection); None
    for anything else, a bug. Looks for SQLAlchemy's errors only if it is loaded."""
    import sys

    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None and isinstance(error, sqlalchemy_exc.DBAPIError):
        if not isinstance(error.orig, sqlite3.Error):
            said = (held_up(error) or connection_trouble(error, url)
                    or database_said(error, url))
            return f"The database could not be used: {said.rstrip('.')}."
        error = error.orig
    if isinstance(error, sqlite3.Error):
        return f"The database could not be used: {dbfile.sqlite_reason(error)}."
    return None


def server_gone(error: BaseException) -> bool:
    """A database server that dropped the connection or cannot be reached now, or a wait
    it cut short (another login holding a lock: held_up): a passing state (mhtui
    connects again at the next use, and the lock is let go), not a broken database."""
    import sys

    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is None or not isinstance(error, sqlalchemy_exc.DBAPIError):
        return False
    if isinstance(error.orig, sqlite3.Error):
        return False
    return (bool(error.connection_invalidated) or connection_trouble(error) is not None
            or held_up(error) is not None)
