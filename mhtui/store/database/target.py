"""Which database to open: --db, MHTUI_DB, --demo or the default file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from mhtui import paths
from mhtui.atomic import shown

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


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
    # ``given`` as resolve() read it, so that it is read once.
    parsed: URL | None = field(default=None, compare=False)

    @cached_property
    def _read(self) -> URL:
        assert self.given is not None
        return self.parsed or parse(self.given)

    @cached_property
    def address(self) -> URL:
        """The URL to connect to: a URL object, whose str and repr hide the password."""
        from sqlalchemy.engine import URL

        if self.path is not None:
            return URL.create("sqlite", database=str(self.path))
        return _with_driver(self._read)

    @property
    def url(self) -> str:
        """The URL as text, with its password: never print it."""
        return self.address.render_as_string(hide_password=False)

    @property
    def label(self) -> str:
        """How to name the database to a person: a path, or the URL, password hidden."""
        if self.path is not None:
            return shown(self.path)
        return hidden(self.parsed or self.given or "")

    def __repr__(self) -> str:
        return f"Target({self.label!r})"


def hidden(url: str | URL) -> str:
    """A database URL with its password hidden."""
    try:
        return parse(url).render_as_string(hide_password=True)
    except BadURL:
        return "(a database URL that cannot be read)"


class BadURL(ValueError):
    """--db or MHTUI_DB holds something that is not a database URL; str() says so."""


def parse(url: str | URL) -> URL:
    """``url`` read by SQLAlchemy; BadURL, one line, when it is not a URL."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise BadURL(f"The database URL given (--db or {paths.DB_ENV}) cannot be read: "
                     f"{exc}.") from exc


def sqlite_path_of(url: str | URL) -> Path | None:
    """The file behind an SQLite URL, or None for memory or other databases."""
    parsed = parse(url)
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
        parsed = parse(chosen)
        file = sqlite_path_of(parsed)
        if file:
            return from_path(file)
        # Only SQLite and PostgreSQL: mhtui's migrations exist for those two, and
        # installing another driver, as SQLAlchemy's own error would suggest, would not
        # help.
        backend = parsed.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise BadURL(f"{hidden(parsed)}: mhtui keeps its data in an SQLite file or "
                         f"on a PostgreSQL server, not in a {backend} database.")
        return Target(given=chosen, path=None, parsed=parsed)
    return from_path(Path(chosen))


def _with_driver(parsed: URL) -> URL:
    """A PostgreSQL URL naming no driver goes through psycopg 3 (the `mhtui[postgres]`
    extra), not SQLAlchemy's default psycopg2."""
    if parsed.drivername != "postgresql":
        return parsed
    return parsed.set(drivername="postgresql+psycopg")
