"""The engine factory and the two kinds of session: read and write.

SQLite rules (architecture.md): WAL, foreign keys, a busy timeout, and every write
transaction opened with BEGIN IMMEDIATE. A deferred transaction that reads and then
writes fails at once with "database is locked" in WAL mode, whatever the timeout, so
writes take the write lock before they read anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

from mhtui.atomic import disk_is_full
from mhtui.core.tidy import tidy
from mhtui.store import (
    models,  # noqa: F401  (registers every table on SQLModel.metadata)
    search,  # noqa: F401  (folds each action's text for the filter)
)
from mhtui.store.dbfile import StorageProblem

_WRITE = "mhtui_write"
BUSY_TIMEOUT_MS = 10_000


def _install_sqlite_rules(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN, not pysqlite's own logic.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            f"busy_timeout={BUSY_TIMEOUT_MS}",
            "synchronous=FULL",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

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


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            poolclass=StaticPool if memory else None,
        )
        _install_sqlite_rules(engine)
        if memory:
            SQLModel.metadata.create_all(engine)
        return engine
    engine = create_engine(url)
    SQLModel.metadata.create_all(engine)
    return engine


def explain(error: OperationalError, path: Path | None) -> StorageProblem:
    """What a failed write means for the person who made it."""
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
                f"{BUSY_TIMEOUT_MS // 1000} seconds. Make the change again.")
    else:
        text = (f"Not saved: the database reported \"{error.orig}\". Everything saved "
                "before is safe.")
    return StorageProblem(text)


class Database:
    """A handle on one database; store functions take it as their first argument."""

    def __init__(self, url: str, path: Path | None = None) -> None:
        self.url = url
        self.path = path
        self.engine = make_engine(url)
        self._writer = self.engine.execution_options(**{_WRITE: True})
        self._identity = self._file_identity()
        self._lost: StorageProblem | None = None

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
            with Session(self._writer, expire_on_commit=False) as session, session.begin():
                yield session
        except OperationalError as error:
            raise explain(error, self.path) from error

    def close(self) -> None:
        self.engine.dispose()
