"""Every platformdirs location mhtui uses, in one place.

Nothing here creates a directory at import time; callers ask for one when they write.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from mhtui.atomic import private_dir, write_file

APP_NAME = "mhtui"
DB_ENV = "MHTUI_DB"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "mhtui.db"


def demo_db_path() -> Path:
    return data_dir() / "demo" / "demo.db"


def settings_path() -> Path:
    return config_dir() / "settings.json"


# Folders and exports are made as every file is (atomic.py): folders 0700 (``tighten``
# an existing one of mhtui's own too), files 0600 and whole, never over a database or a
# backup (``exclusive``: never over any file).
ensure_private_dir = private_dir
write_private = write_file


def exports_dir() -> Path:
    """Where the app saves what it exports, made (or tightened) 0700 with the data folder."""
    ensure_private_dir(data_dir(), tighten=True)
    return ensure_private_dir(data_dir() / "exports", tighten=True)


# A district's tracker is a few hundred rows; 100,000 actions make about 8 MB of CSV.
MAX_IMPORT_BYTES = 25 * 1024 * 1024


class ImportTooBig(ValueError):
    """A file over MAX_IMPORT_BYTES; str() says so and what to do."""


def read_import(path: Path, limit: int = MAX_IMPORT_BYTES) -> bytes:
    """A file to import, refused before it is read if it is too big to be one of ours."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        data = handle.read(limit + 1)  # the file may have grown since stat
    if size > limit or len(data) > limit:
        raise ImportTooBig(
            f"The file is {max(size, len(data)) / 1e6:.1f} MB; mhtui imports files up to "
            f"{limit // (1024 * 1024)} MB. Split it into smaller files (each is imported "
            "whole or not at all).")
    return data
