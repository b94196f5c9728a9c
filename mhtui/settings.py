"""User preferences that outlive any one database, as a small JSON file: the theme, and
the keymap (binding ids to other keys; read and checked by mhtui.ui.keymap)."""

from __future__ import annotations

import json
from typing import Any

from mhtui.atomic import write_file
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
    ensure_private_dir(path.parent, tighten=True)
    write_file(path, json.dumps(data, indent=2))
