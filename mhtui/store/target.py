"""Which database to open: --db, MHTUI_DB, --demo or the default file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mhtui import paths
from mhtui.atomic import shown

# Every mhtui connection to a database server waits at most LOCK_TIMEOUT_S for a lock
# another login holds, and lets no statement run longer than STATEMENT_TIMEOUT_S: a
# wait (a login holding a table with a SQL client) ends in one line, never goes on for
# ever (issue 25 §3). A write's own wait for the write lock is set in store/db.py.
LOCK_TIMEOUT_S = 5
STATEMENT_TIMEOUT_S = 30


def connect_args(url: object) -> dict[str, object]:
    """The driver's arguments for every connection to ``url`` (a URL or its text): the
    timeouts above on PostgreSQL (libpq's options, set as the session starts); none
    for a file."""
    from sqlalchemy.engine import make_url

    if make_url(url).get_backend_name() != "postgresql":  # type: ignore[arg-type]
        return {}
    return {"options": f"-c lock_timeout={LOCK_TIMEOUT_S}s "
                       f"-c statement_timeout={STATEMENT_TIMEOUT_S}s"}


@dataclass(frozen=True, repr=False)
class Target:
    """A database to open: an SQLite file (``path``) or any other SQLAlchemy URL.

    URLs are built and read with SQLAlchemy's URL object, never by formatting text, so a
    file name with "#", "?", "%", spaces or a newline names exactly that file. SQLAlchemy
    is imported only when ``url`` is asked for (for a file, when the ORM opens it).

    Its repr names the database with the password hidden: a traceback that prints
    locals (Textual's does) shows a Target as ``Target('postgresql://ann:***@...')``.
    """

    given: str | None  # a URL as given, for a database that is not a file
    path: Path | None  # the SQLite file, when there is one

    @property
    def url(self) -> str:
        """The URL to hand to create_engine (with its password: never print it)."""
        from sqlalchemy.engine import URL

        if self.path is not None:
            return URL.create("sqlite", database=str(self.path)).render_as_string(
                hide_password=False)
        assert self.given is not None
        return with_driver(self.given)

    @property
    def label(self) -> str:
        """How to name the database to a person: a path, or the URL, password hidden."""
        if self.path is not None:
            return shown(self.path)
        return hidden(self.given or "")

    def __repr__(self) -> str:
        return f"Target({self.label!r})"


def hidden(url: str) -> str:
    """A database URL with its password hidden."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "(a database URL that cannot be read)"


class BadURL(ValueError):
    """--db or MHTUI_DB holds something that is not a database URL; str() says so."""


def sqlite_path_of(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for memory or other databases."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise BadURL(f"The database URL given (--db or {paths.DB_ENV}) cannot be read: "
                     f"{exc}.") from exc
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or parsed.query.get("mode") == "memory":
        return None
    return Path(database)


def from_path(path: Path) -> Target:
    path = path.expanduser().absolute()
    return Target(given=None, path=path)


def resolve(db: str | None, demo: bool, environ: os._Environ[str] | dict[str, str]) -> Target:
    if demo:
        return from_path(paths.demo_db_path())
    chosen = db or environ.get(paths.DB_ENV) or ""
    if not chosen:
        return from_path(paths.default_db_path())
    if "://" in chosen:
        file = sqlite_path_of(chosen)
        if file:
            return from_path(file)
        _check_usable(chosen)
        return Target(given=chosen, path=None)
    return from_path(Path(chosen))


def _check_usable(url: str) -> None:
    """Only SQLite and PostgreSQL: mhtui's migrations exist for those two, and
    installing another driver, as SQLAlchemy's own error would suggest, would not help.
    Any other kind of database is a BadURL."""
    from sqlalchemy.engine import make_url

    backend = make_url(url).get_backend_name()  # sqlite_path_of has read it already
    if backend not in ("sqlite", "postgresql"):
        raise BadURL(f"{hidden(url)}: mhtui keeps its data in an SQLite file or on a "
                     f"PostgreSQL server, not in a {backend} database.")


def with_driver(url: str) -> str:
    """``url`` for create_engine: a PostgreSQL URL naming no driver goes through psycopg
    3 (the `mhtui[postgres]` extra), not SQLAlchemy's default psycopg2."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.drivername != "postgresql":
        return url
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
