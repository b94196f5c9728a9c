"""The engine factory and the two kinds of session: read and write.

SQLite rules (architecture.md): WAL, foreign keys, a busy timeout, and every write
transaction opened with BEGIN IMMEDIATE. A deferred transaction that reads and then
writes fails at once with "database is locked" in WAL mode, whatever the timeout, so
writes take the write lock before they read anything.

PostgreSQL holds the same rule: every write transaction first takes one advisory lock
(pg_advisory_xact_lock, the database's "write lock", let go at commit or rollback), with
the same timeout. So writers from every copy of mhtui take turns as they do on SQLite:
they cannot deadlock one another or lose an update, while readers never wait. What is
left to go wrong before a write begins (a connection dropped by a server restart, a
deadlock or serialization failure caused by another program) is retried a few times;
what goes wrong inside one is said in one line (``explain``), nothing of it kept.
Pooled connections are checked before use (pool_pre_ping), so after a dropped
connection or a server restart the next change simply works again.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, SQLModel

from mhtui.atomic import disk_is_full
from mhtui.core.tidy import tidy
from mhtui.store import (
    models,  # noqa: F401  (registers every table on SQLModel.metadata)
    search,  # noqa: F401  (folds each action's text for the filter)
)
from mhtui.store.database import connections
from mhtui.store.database.dbfile import StorageProblem
from mhtui.store.database.server_words import connection_trouble, database_said, held_up, refused

_WRITE = "mhtui_write"
# The advisory lock every write takes on PostgreSQL: "mhtui" in ASCII, as a bigint.
WRITE_LOCK_KEY = 0x6D68747569
# Tries at beginning a write on a server before saying it failed, and the pause
# before the second (doubled before each next one).
WRITE_ATTEMPTS = 3
RETRY_PAUSE = 0.2
# SQLSTATEs after which the same transaction, begun again, may well succeed: a
# serialization failure, a deadlock, the server (re)starting or ending a connection.
_TRANSIENT = ("40001", "40P01", "57P01", "57P02", "57P03")


def _install_sqlite_rules(engine: Engine) -> None:
    # The connections are in autocommit (connections.sqlite): BEGIN is said here.
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@event.listens_for(Session, "before_flush")
def _tidy_text(session: Session, _context: Any, _instances: Any) -> None:
    """No control codes reach the database from any form (core/tidy.py says why)."""
    for obj in (*session.new, *session.dirty):
        for name, value in vars(obj).items():
            if isinstance(value, str) and not name.startswith("_") and not value.isprintable():
                cleaned = tidy(value)
                if cleaned != value:
                    setattr(obj, name, cleaned)


def _install_postgresql_rules(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(_WRITE, False):
            # The session's own (connections.server_options), read again for each write.
            wait_ms = int(connections.LOCK_TIMEOUT_S * 1000)
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {wait_ms}")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def make_engine(url: str | URL) -> Engine:
    engine = connections.engine(url)
    if engine.dialect.name == "sqlite":
        _install_sqlite_rules(engine)
        if make_url(url).database in (None, "", ":memory:"):
            SQLModel.metadata.create_all(engine)
        return engine
    if engine.dialect.name == "postgresql":
        _install_postgresql_rules(engine)
    # Never create_all here: a shared schema is made and changed by `mhtui db upgrade`
    # (Alembic, mhtui/store/database/schema.py) alone, by its owner.
    return engine


def transient(error: DBAPIError) -> bool:
    """A failure after which the same transaction, begun again, may succeed."""
    return (getattr(error.orig, "sqlstate", None) in _TRANSIENT
            or bool(error.connection_invalidated) or _unreachable(error))


def _unreachable(error: DBAPIError) -> bool:
    return not isinstance(error.orig, sqlite3.Error) and connection_trouble(error) is not None


# Constraints a person can run into, in mhtui's words; the database's own name the
# constraint, and a foreign key's tells which ids exist in teams the login cannot see.
_SAME_UID = ("a reflection with the same identity is already held (imported before, "
             "perhaps into a team your login does not see)")
_CONSTRAINT_WORDS = {"reflection_uid_key": _SAME_UID, "reflection.uid": _SAME_UID}


# A write outside a login's fence on a server: no privilege, or a row a policy refuses
# (42501); a reflection table's view refuses it by its check option (44000, 0013).
FENCE_REFUSED = ("42501", "44000")


def constraint_broken(error: DBAPIError) -> str | None:
    """A change that would break a constraint (unique, foreign key, not null, check), in
    words, on SQLite and on a server alike; None for any other failure."""
    orig = error.orig
    state = str(getattr(orig, "sqlstate", None) or "")
    if isinstance(orig, sqlite3.IntegrityError):  # "UNIQUE constraint failed: t.c"
        said = str(orig)
        name, kind = said.rpartition(": ")[2], said.split(" ", 1)[0].lower()
    elif state.startswith("23"):
        name = str(getattr(getattr(orig, "diag", None), "constraint_name", None) or "")
        kind = {"23505": "unique", "23503": "foreign"}.get(state, "")
    else:
        return None
    if name in _CONSTRAINT_WORDS:
        return _CONSTRAINT_WORDS[name]
    if kind == "unique":
        return ("it would make a second of something there is only one of (another copy "
                "of mhtui may have just made it)")
    if kind == "foreign":
        return ("it refers to something that is not there, or not yours to see (it may "
                "have been deleted meanwhile)")
    return "a value in it is missing or not allowed"


def explain(error: DBAPIError, path: Path | None) -> StorageProblem | None:
    """What a failed write means for the person who made it; None for a failure that
    is not the database's (a bug), which keeps its traceback."""
    broken = constraint_broken(error)
    if broken is not None:
        return StorageProblem(f"Not saved: {broken}. Everything saved before is safe.")
    state = getattr(error.orig, "sqlstate", None)
    if state is not None or not isinstance(error.orig, sqlite3.Error):
        return _explain_server(error, state)
    if not isinstance(error, OperationalError):
        return None
    reason = str(error.orig).lower()
    # SQLite reports some writes to a full disk (its -shm file) as an I/O error.
    if "full" in reason or ("i/o" in reason and path is not None and disk_is_full(path)):
        text = ("Not saved: the disk is full. Free some space, then make the change "
                "again; everything saved before is safe.")
    elif "readonly" in reason or "read-only" in reason:
        text = (f"Not saved: the database file {path or ''} can no longer be written. "
                "Make it writable (chmod u+w), then make the change again.")
    elif "locked" in reason or "busy" in reason:
        text = ("Not saved: another program kept the database busy for "
                f"{connections.LOCK_TIMEOUT_S:g} seconds. Make the change again.")
    else:
        text = (f"Not saved: the database reported \"{error.orig}\". Everything saved "
                "before is safe.")
    return StorageProblem(text)


def _explain_server(error: DBAPIError, state: str | None) -> StorageProblem | None:
    """explain() for a database server (PostgreSQL): by SQLSTATE, then libpq's words."""
    again = "Make the change again; everything saved before is safe."
    if state in ("40001", "40P01"):
        text = ("Not saved: another change to the same rows was being saved at the same "
                f"moment. {again}")
    elif held_up(error) is not None:
        text = f"Not saved: {held_up(error)}. Everything saved before is safe."
    elif state == "53100":
        text = ("Not saved: the database server's disk is full; ask whoever runs the server "
                "to free some space, then make the change again. Everything saved before "
                "is safe.")
    elif state == "25006":
        text = ("Not saved: the database server takes no changes now (read-only). "
                "Everything saved before is safe.")
    elif state in FENCE_REFUSED:
        text = (f"Not saved: your login may not change this ({database_said(error, None)}). "
                "Everything saved before is safe.")
    elif error.connection_invalidated or connection_trouble(error) is not None:
        text = ("Not saved: the connection to the database server was lost, or the server "
                "cannot be reached now; mhtui connects again by itself. Make the change "
                "again once the server is back; everything saved before is safe.")
    elif isinstance(error, OperationalError):
        text = (f"Not saved: the database server reported \"{database_said(error, None)}\". "
                "Everything saved before is safe.")
    else:
        return None
    return StorageProblem(text)


class Database:
    """A handle on one database; store functions take it as their first argument."""

    def __init__(self, url: str | URL, path: Path | None = None) -> None:
        # A URL object: its repr and str hide the password (tracebacks print locals).
        self.url = make_url(url)
        self.path = path
        self.engine = make_engine(self.url)
        self._writer = self.engine.execution_options(**{_WRITE: True})
        self._identity = self._file_identity()
        self._lost: StorageProblem | None = None

    def __repr__(self) -> str:
        url = getattr(self, "url", None)
        return f"Database({url!r})"

    def _file_identity(self) -> tuple[int, int] | None:
        if self.path is None:
            return None
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        return info.st_dev, info.st_ino

    def _check_same_file(self) -> None:
        """Refuse to write once the file is gone or swapped for another.

        SQLite keeps writing to the file it opened: after a delete or a replace those
        writes would land in a file no one can open again, a silent loss.
        """
        if self._lost is None and self._identity is not None:
            now = self._file_identity()
            if now != self._identity:
                what = "deleted or moved" if now is None else "replaced by another file"
                self._lost = StorageProblem(
                    f"Not saved: {self.path} was {what} while mhtui was running. Quit "
                    "(ctrl+q) and start mhtui again; `mhtui restore` brings back a backup.")
        if self._lost is not None:
            raise self._lost

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises.

        Raises StorageProblem when the change could not be stored (disk full, file
        read-only or gone); nothing of the transaction is kept then.
        """
        self._check_same_file()
        try:
            session = self._begin_write()
            # On a server the transaction has begun already; on SQLite it begins here.
            with session, session.get_transaction() or session.begin():
                yield session
        except DBAPIError as error:
            problem = explain(error, self.path)
            if problem is None:
                raise
            raise self._refused(error) or problem from error

    def _refused(self, error: DBAPIError) -> StorageProblem | None:
        """A write the server refused to this login (no privilege, or a row outside its
        fence, store/database/access.py): said with the login's name and what it may not change."""
        if getattr(error.orig, "sqlstate", None) not in FENCE_REFUSED:
            return None
        from sqlalchemy import text

        try:
            with self.engine.connect() as conn:
                login = str(conn.execute(text("SELECT current_user")).scalar_one())
        except DBAPIError:
            login = self.url.username or "?"
        return StorageProblem(refused(error, login))

    def _begin_write(self) -> Session:
        """A session whose write transaction has begun. On a server it holds the write
        lock already, taken before the block reads anything, and a transient failure
        in getting there (the server restarting, a deadlock with another program) is
        tried again a few times. On SQLite the block's first statement begins it."""
        session = Session(self._writer, expire_on_commit=False)
        if self.engine.dialect.name == "sqlite":
            return session
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            session.begin()
            try:
                session.connection()
                return session
            except DBAPIError as error:
                session.rollback()
                if attempt == WRITE_ATTEMPTS or not transient(error):
                    session.close()
                    raise
                time.sleep(RETRY_PAUSE * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.engine.dispose()
