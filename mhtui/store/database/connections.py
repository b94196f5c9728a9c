"""The one way mhtui connects to a database: one factory per backend, one set of pragmas,
one wait for a lock.

Every sqlite3 connection (the ORM's, the migrations', the file's checks, the dashboard's
figures, backups and exports) is made by ``sqlite``; every SQLAlchemy engine by
``engine``. A lock another connection holds is waited for LOCK_TIMEOUT_S at most,
everywhere: SQLite's busy timeout, and on PostgreSQL the session's lock_timeout and a
write's wait for the write lock. Standard library only until an engine is asked for, so
the command line can check a file before SQLAlchemy is imported.
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mhtui.atomic import disk_is_full
from mhtui.core.folding import search_key

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

# A wait (another program, another copy or another login holding a lock) ends in one
# line after this long, never goes on for ever (issue 25 §3). No statement on a server
# runs longer than STATEMENT_TIMEOUT_S.
LOCK_TIMEOUT_S = 5
STATEMENT_TIMEOUT_S = 30

# What each kind of connection is:
# - "write": the ORM's (architecture.md's storage rules: WAL, foreign keys, full sync);
# - "migrate": the same without foreign keys, so a table a revision rebuilds (DROP TABLE
#   deletes its rows first) cascades to nothing; it may make the file;
# - "copy": a backup's source or its copy, the file as it is;
# - "read": cannot write (the dashboard's figures before the ORM is loaded);
# - "look": cannot write and leaves nothing beside the file (dbfile's checks, below).
Kind = Literal["write", "migrate", "copy", "read", "look"]
_PRAGMAS: dict[str, tuple[str, ...]] = {
    "write": ("journal_mode=WAL", "foreign_keys=ON", "synchronous=FULL"),
    "migrate": ("journal_mode=WAL", "synchronous=FULL"),
}
_MODES = {"write": "rwc", "migrate": "rwc", "copy": "rw", "read": "ro", "look": "ro"}


def sqlite_uri(path: Path | str, **params: str) -> str:
    """An SQLite URI naming exactly ``path``, for ``sqlite3.connect(..., uri=True)``.

    The path is percent-quoted, so "#", "?", "%", spaces, newlines and non-Latin letters
    stay part of the name (unquoted, "Budget #3.db" would open a file called "Budget ").
    """
    query = urllib.parse.urlencode(params)
    quoted = urllib.parse.quote(str(Path(path).absolute()))
    return f"file://{quoted}" + (f"?{query}" if query else "")


def sqlite(where: Path | str, kind: Kind = "write") -> sqlite3.Connection:
    """An sqlite3 connection of ``kind`` to the file ``where`` (or ":memory:"): in
    autocommit (whoever writes says BEGIN), usable from any thread (SQLAlchemy's pool
    hands it between workers), with mhtui's SQL function mh_search_key."""
    if str(where) == ":memory:":
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    else:
        path = Path(where)
        options = {"mode": _MODES[kind]}
        # The first writer makes the -shm file (32 KiB) and the -wal: on a full disk
        # SQLite says "disk I/O error" and leaves both behind, cut short. Said as what it
        # is, before either is made (one statvfs, and only while there is no -shm).
        if kind in _PRAGMAS and not os.path.lexists(f"{path}-shm") and disk_is_full(path):
            raise sqlite3.OperationalError("database or disk is full")
        if kind == "look" and _quiet(path):
            # A read-only connection to a WAL file makes a -wal and a -shm and cannot
            # remove them. With no -wal the main file holds every change: read as
            # immutable (no side files, no locks). With one, the file is open elsewhere
            # or was not closed: read normally, through that -wal.
            options["immutable"] = "1"
        conn = sqlite3.connect(sqlite_uri(path, **options), uri=True, timeout=LOCK_TIMEOUT_S,
                               isolation_level=None, check_same_thread=False)
    conn.create_function("mh_search_key", 2, search_key, deterministic=True)
    for pragma in _PRAGMAS.get(kind, ()):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _quiet(path: Path) -> bool:
    """A WAL file (its header's byte 18) with no -wal beside it."""
    try:
        with path.open("rb") as handle:
            header = handle.read(19)
    except OSError:
        return False
    return header[18:19] == b"\x02" and not os.path.lexists(f"{path}-wal")


def server_options() -> dict[str, object]:
    """libpq's options for every connection to a server, set as its session starts."""
    return {"options": f"-c lock_timeout={LOCK_TIMEOUT_S}s "
                       f"-c statement_timeout={STATEMENT_TIMEOUT_S}s"}


def engine(url: URL | str, *, pooled: bool = True, kind: Kind = "write") -> Engine:
    """The SQLAlchemy engine on ``url``. An SQLite file (or memory: one connection, for
    tests) connects through ``sqlite`` above; a server with server_options(), and when
    ``pooled`` each connection is checked before use (one the server dropped is replaced
    unseen). ``pooled=False``: a connection for one job, closed after it."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool, StaticPool

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        where = parsed.database or ":memory:"
        memory = where == ":memory:"
        pool = StaticPool if memory else None if pooled else NullPool
        return create_engine(parsed, creator=lambda: sqlite(where, kind), poolclass=pool)
    return create_engine(parsed, pool_pre_ping=pooled, connect_args=server_options(),
                         poolclass=None if pooled else NullPool)
