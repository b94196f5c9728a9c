"""User preferences that outlive any one database (the theme), as a small JSON file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from mhtui.paths import ensure_private_dir, settings_path


def load() -> dict[str, Any]:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(**changes: Any) -> None:
    """Merge ``changes`` into the settings file, replacing it atomically (0600)."""
    path = settings_path()
    data = load() | changes
    ensure_private_dir(path.parent)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
    Path(tmp).replace(path)
