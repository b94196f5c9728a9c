"""Every platformdirs location mhtui uses, in one place.

Nothing here creates a directory at import time; callers ask for one when they write.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

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


def ensure_private_dir(path: Path) -> Path:
    """Make ``path`` (and missing parents) readable by the owner only, 0700."""
    if not path.is_dir():
        path.mkdir(parents=True, mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)  # mkdir's mode is filtered through the umask
    return path


def write_private(path: Path, text: str) -> Path:
    """Write an export readable by its owner only (0600), replacing it whole."""
    path = path.expanduser()
    if not path.parent.exists():
        ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    tmp.replace(path)
    return path


# A district's tracker is a few hundred rows; 100,000 actions make about 8 MB of CSV.
MAX_IMPORT_BYTES = 25 * 1024 * 1024


class ImportTooBig(ValueError):
    """A file over MAX_IMPORT_BYTES; str() says so and what to do."""


def read_import(path: Path) -> bytes:
    """A file to import, refused before it is read if it is too big to be one of ours."""
    limit = MAX_IMPORT_BYTES
    size = path.stat().st_size
    with path.open("rb") as handle:
        data = handle.read(limit + 1)  # the file may have grown since stat
    if size > limit or len(data) > limit:
        raise ImportTooBig(
            f"The file is {max(size, len(data)) / 1e6:.1f} MB; mhtui imports files up to "
            f"{limit // (1024 * 1024)} MB. Split it into smaller files (each is imported "
            "whole or not at all).")
    return data
