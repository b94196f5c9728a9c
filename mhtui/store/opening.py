"""Getting a database ready to use: check the file, migrate it, hand out a Database.

``prepare`` needs only the standard library, so the command line can refuse a bad file
(or upgrade an old one) before the ORM or the UI is imported.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from mhtui import paths
from mhtui.atomic import WriteFailed, disk_is_full, keep_off, reason, shown
from mhtui.store import dbfile, migrate
from mhtui.store.dbfile import DatabaseProblem
from mhtui.store.target import Target

if TYPE_CHECKING:
    from mhtui.store.db import Database


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
    from mhtui.store.backups import folder

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
        return migrate.upgrade(state)
    except WriteFailed as exc:
        raise DatabaseProblem(f"{exc} {shown(path)} {done}.") from exc
    except sqlite3.Error as exc:
        if not dbfile.not_a_bug(exc):
            raise  # a mistake in a migration: for a developer, with its traceback
        raise DatabaseProblem(f"{shown(path)} {done}: {dbfile.sqlite_reason(exc, path)}.") from exc
    except OSError as exc:
        raise DatabaseProblem(f"{shown(path)} could not be created: {reason(exc)}.") from exc


def check_revision(target: Target) -> None:
    """Refuse a server database that is empty, older or newer than this mhtui (one line,
    DatabaseProblem); nothing is created. In-memory SQLite (tests) is made by the engine."""
    from sqlalchemy.exc import SQLAlchemyError

    from mhtui.store import schema

    if target.given is None or target.given.startswith("sqlite"):
        return
    try:
        found = schema.current(target.address)
    except ImportError as exc:
        raise DatabaseProblem(_no_driver(target, exc)) from exc
    except SQLAlchemyError as exc:
        raise DatabaseProblem(_cannot_connect(target, exc)) from exc
    problem = schema.refusal(found, target.label)
    if problem:
        raise DatabaseProblem(problem)


def connect(target: Target) -> Database:
    """The ORM handle on a prepared database (imports SQLModel on first use).

    A database that cannot be reached (a server down, a driver not installed, a wrong
    password) is a DatabaseProblem naming it with its password hidden.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from mhtui.store.db import Database

    try:
        # A URL object, never the text: its repr hides the password in any traceback.
        db = Database(target.address, target.path)
    except ImportError as exc:
        raise DatabaseProblem(_no_driver(target, exc)) from exc
    except SQLAlchemyError as exc:
        raise DatabaseProblem(_cannot_connect(target, exc)) from exc
    if target.path is None:  # a server: said now in one line, not under a screen later
        try:
            with db.engine.connect():
                pass
        except ImportError as exc:
            db.close()
            raise DatabaseProblem(_no_driver(target, exc)) from exc
        except SQLAlchemyError as exc:
            db.close()
            raise DatabaseProblem(_cannot_connect(target, exc)) from exc
        _check_access(db)
    return db


def _check_access(db: Database) -> None:
    """A login the district has granted nothing is told so in one line (store/access.py),
    not refused on the first table mhtui happens to read."""
    from mhtui.store import access

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


# What libpq says when no server answers at the address given (in any language libpq
# was built for, the English words are what the pgserver and distro builds print).
_UNREACHABLE = ("connection refused", "no such file or directory", "could not translate host",
                "timeout expired", "network is unreachable", "no route to host",
                "server closed the connection", "terminating connection",
                "the database system is", "connection is lost", "connection is closed",
                "consuming input failed", "connection timed out", "name or service not known")


def connection_trouble(exc: BaseException, url: str | None = None) -> str | None:
    """Why a database server could not be used at all, in words (no password in them);
    None when the failure is something else. For PostgreSQL through psycopg, whose
    connection errors carry libpq's text (and a SQLSTATE once the server answered)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig)
    low = text.lower()
    state = getattr(orig, "sqlstate", None)
    if state in ("28P01", "28000") or "password authentication failed" in low:
        return ("the server refused the login: wrong user name or password (the password "
                "comes from the URL, ~/.pgpass or a service file)")
    if "no password supplied" in low or "password is required" in low:
        return ("the server asks for a password and none was given: put it in ~/.pgpass "
                "(or PGPASSFILE) or a service file, not on the command line")
    fatal = next((line.split("FATAL:", 1)[1].strip() for line in text.splitlines()
                  if "FATAL:" in line), "")
    if state == "3D000" or (fatal.startswith("database ") and "does not exist" in fatal):
        return f"the server has no such database ({fatal or 'it does not exist'})"
    if fatal.startswith("role ") and "does not exist" in fatal:
        return f"the server has no such login ({fatal})"
    if state in ("57P01", "57P02", "57P03") or (state or "").startswith("08") or any(
            words in low for words in _UNREACHABLE):
        said = database_said(exc, url) if isinstance(exc, Exception) else ""
        return ("the database server cannot be reached: it is not running, or the address "
                f"is wrong, or the network is down ({said.rstrip('.')})")
    return None


def held_up(exc: BaseException) -> str | None:
    """A wait the server cut short, in words (every mhtui connection sets lock_timeout
    and statement_timeout: connections.server_options); None for anything else."""
    from mhtui.store.connections import STATEMENT_TIMEOUT_S

    state = getattr(getattr(exc, "orig", None) or exc, "sqlstate", None)
    if state == "55P03":
        return ("another login is holding a lock on what this needs, so it kept the "
                "database busy and the server stopped waiting; try again, and if it "
                "lasts, whoever runs the server can see which login in pg_stat_activity")
    if state == "57014":
        return (f"the server stopped this after {STATEMENT_TIMEOUT_S} seconds (another "
                "login may be holding what it needs); try again, and if it lasts, ask "
                "whoever runs the server")
    return None


def database_said(exc: Exception, url: str | None) -> str:
    """The first line of what the database (or its driver) said, any password removed."""
    said = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    text = said[0] if said else type(exc).__name__
    if url:
        from sqlalchemy.engine import make_url

        with contextlib.suppress(Exception):
            password = make_url(url).password
            if password:
                text = text.replace(str(password), "***")
    return text


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
