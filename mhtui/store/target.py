"""Which database to open: --db, MHTUI_DB, --demo or the default file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mhtui import paths


@dataclass(frozen=True)
class Target:
    url: str
    path: Path | None  # the SQLite file, when there is one

    @property
    def label(self) -> str:
        return str(self.path) if self.path else self.url


def sqlite_path_of(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for memory or other databases."""
    for prefix in ("sqlite+pysqlite:///", "sqlite:///"):
        if url.startswith(prefix):
            rest = url[len(prefix) :].split("?", 1)[0]
            return Path(rest) if rest and rest != ":memory:" else None
    return None


def from_path(path: Path) -> Target:
    path = path.expanduser().absolute()
    return Target(url=f"sqlite:///{path}", path=path)


def resolve(db: str | None, demo: bool, environ: os._Environ[str] | dict[str, str]) -> Target:
    if demo:
        return from_path(paths.demo_db_path())
    chosen = db or environ.get(paths.DB_ENV) or ""
    if not chosen:
        return from_path(paths.default_db_path())
    if "://" in chosen:
        file = sqlite_path_of(chosen)
        return from_path(file) if file else Target(url=chosen, path=None)
    return from_path(Path(chosen))
