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
from mhtui.atomic import WriteFailed, disk_is_full, reason, shown
from mhtui.store import dbfile, migrate
from mhtui.store.dbfile import DatabaseProblem
from mhtui.store.target import Target

if TYPE_CHECKING:
    from mhtui.store.db import Database


def prepare(target: Target, *, thorough: bool = True) -> Path | None:
    """Check and, if needed, create or upgrade the file; return any pre-upgrade backup.

    Raises DatabaseProblem, one line saying what is wrong, for anything that stops it.
    """
    if target.path is None:
        return None
    path = target.path
    home = paths.data_dir()
    if path.is_relative_to(home) and home.is_dir():
        with contextlib.suppress(WriteFailed):  # (a read-only disk: said when written to)
            paths.ensure_private_dir(home, tighten=True)  # the data folder: owner's only
    state = dbfile.inspect(path, migrate.latest_version(), thorough=thorough)
    if (state.fresh or state.version < migrate.latest_version()) and disk_is_full(path):
        done = "could not be made" if state.fresh else "was not upgraded and is as it was"
        raise DatabaseProblem(f"{shown(path)} {done}: the disk is full. Free some space, "
                              "then try again.")
    try:
        return migrate.upgrade(state)
    except WriteFailed as exc:
        done = "could not be made" if state.fresh else "was not upgraded and is as it was"
        raise DatabaseProblem(f"{exc} {shown(path)} {done}.") from exc
    except sqlite3.Error as exc:
        if not dbfile.not_a_bug(exc):
            raise  # a mistake in a migration: for a developer, with its traceback
        done = "could not be made" if state.fresh else "was not upgraded and is as it was"
        raise DatabaseProblem(f"{shown(path)} {done}: {dbfile.sqlite_reason(exc, path)}.") from exc
    except OSError as exc:
        raise DatabaseProblem(f"{shown(path)} could not be created: {reason(exc)}.") from exc


def connect(target: Target) -> Database:
    """The ORM handle on a prepared database (imports SQLModel on first use).

    A database that cannot be reached (a server down, a driver not installed, a wrong
    password) is a DatabaseProblem naming it with its password hidden.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from mhtui.store.db import Database

    try:
        return Database(target.url, target.path)
    except ImportError as exc:
        raise DatabaseProblem(
            f"{target.label}: cannot connect, the database driver {exc.name or ''!r} is not "
            "installed (pip install it next to mhtui).") from exc
    except SQLAlchemyError as exc:
        raise DatabaseProblem(
            f"{target.label}: cannot connect: {database_said(exc, target.given)}") from exc


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
            return f"The database could not be used: {database_said(error, url)}."
        error = error.orig
    if isinstance(error, sqlite3.Error):
        return f"The database could not be used: {dbfile.sqlite_reason(error)}."
    return None
