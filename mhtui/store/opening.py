"""Getting a database ready to use: check the file, migrate it, hand out a Database.

``prepare`` needs only the standard library, so the command line can refuse a bad file
(or upgrade an old one) before the ORM or the UI is imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mhtui.store import dbfile, migrate
from mhtui.store.target import Target

if TYPE_CHECKING:
    from mhtui.store.db import Database


def prepare(target: Target, *, thorough: bool = True) -> Path | None:
    """Check and, if needed, create or upgrade the file; return any pre-upgrade backup."""
    if target.path is None:
        return None
    state = dbfile.inspect(target.path, migrate.latest_version(), thorough=thorough)
    return migrate.upgrade(state)


def connect(target: Target) -> Database:
    """The ORM handle on a prepared database (imports SQLModel on first use)."""
    from mhtui.store.db import Database

    return Database(target.url, target.path)
