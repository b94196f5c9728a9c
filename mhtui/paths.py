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
