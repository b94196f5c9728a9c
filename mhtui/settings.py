"""User preferences that outlive any one database, as a small JSON file: the theme, the
keymap (binding ids to other keys; which keys exist is checked by mhtui.ui.keymap), and
which server databases were told they get no daily copy.

The file is the person's. It is read only when it is a regular file of at most 1 MB (a
link to /dev/zero or a pipe is never read); a file that cannot be used at all (not JSON,
nested too deep) is ignored whole, and a value of the wrong kind is left out (``read``,
by a pydantic model), either said in one line. Saving a setting rewrites the file only
when it was read as JSON: a file mhtui could not read is never replaced by one it wrote.

``peek`` is the file's JSON as it is, for the app's first frame (the theme, the keymap,
each checked where it is used): pydantic costs the first frame about 100 ms to import,
and the app loads it (with the ORM) only after.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mhtui.atomic import WriteFailed, write_file
from mhtui.paths import ensure_private_dir, settings_path

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

MAX_BYTES = 1024 * 1024
# The file's own shape is two levels ({"keymap": {id: keys}}); far deeper is no settings.
MAX_DEPTH = 32


@dataclass(frozen=True)
class Settings:
    """What mhtui uses of the file (validated by pydantic in ``read``); any other key is
    kept in the file, unused."""

    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    told_no_daily_copy: list[str] = field(default_factory=list)


class Unusable(ValueError):
    """The file cannot be used at all; str() says why, in a few words."""


def peek() -> tuple[dict[str, Any], str | None]:
    """The file's JSON object as written ({} for none), without pydantic, and one line
    naming the file when it cannot be used at all (then {})."""
    path = settings_path()
    try:
        return _raw(path), None
    except Unusable as exc:
        return {}, f"Settings in {path} ignored: {exc}."


def read() -> tuple[Settings, str | None]:
    """The settings, and one line naming the file and what of it was ignored (None when
    nothing was). A missing file is the defaults, said nothing about."""
    from pydantic import TypeAdapter, ValidationError

    raw, unusable = peek()
    if unusable:
        return Settings(), unusable
    model = TypeAdapter(Settings)
    ignored: list[str] = []
    found = Settings()
    for _ in range(3):  # each round leaves out what the last one found wrong
        try:
            found = model.validate_python(raw)
            break
        except ValidationError as exc:
            ignored += _leave_out(raw, exc.errors())
    if not ignored:
        return found, None
    more = f" and {len(ignored) - 5} more" if len(ignored) > 5 else ""
    return found, f"Settings in {settings_path()}: ignored {'; '.join(ignored[:5])}{more}."


def save(**changes: Any) -> None:
    """Merge ``changes`` into the settings file, replacing it atomically (0600).

    Everything else in the file stays as written. A file that could not be read (not
    JSON, too big, not a regular file) is left alone: WriteFailed, one line.
    """
    path = settings_path()
    try:
        raw = _raw(path)
    except Unusable as exc:
        raise WriteFailed(f"Not saved: {path} is left as it is ({exc}); fix or remove "
                          "it, and mhtui saves its settings there again.") from exc
    ensure_private_dir(path.parent, tighten=True)
    write_file(path, json.dumps(raw | changes, indent=2))


def _raw(path: Path) -> dict[str, Any]:
    """The file's JSON object ({} when there is no file); Unusable if it cannot be one."""
    try:
        # O_NONBLOCK: opening a named pipe would otherwise wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise Unusable(f"it cannot be read ({exc.strerror})") from exc
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Unusable("it is not a regular file")
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Unusable(f"it is over {MAX_BYTES // (1024 * 1024)} MB")
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise Unusable("it is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise Unusable(f"it is not valid JSON ({exc.msg} at line {exc.lineno}, column "
                       f"{exc.colno})") from exc
    except RecursionError as exc:
        raise Unusable(f"it nests deeper than {MAX_DEPTH} levels") from exc
    if not isinstance(value, dict):
        raise Unusable("it is not a JSON object ({...})")
    if _depth(value) > MAX_DEPTH:
        raise Unusable(f"it nests deeper than {MAX_DEPTH} levels")
    return value


def _depth(value: object) -> int:
    """How deep lists and objects nest in ``value`` (without recursion)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in
                           (item.values() if isinstance(item, dict) else item))
    return deepest


def _leave_out(raw: dict[str, Any], errors: list[ErrorDetails]) -> list[str]:
    """Take what ``errors`` name out of ``raw``: an entry of the keymap or an item of a
    list, else the whole setting. Returns how to name each, with why."""
    whole = object()
    bad: dict[str, set[int | str] | object] = {}
    named = []
    for error in errors:
        key, rest = str(error["loc"][0]), error["loc"][1:]
        why = error["msg"][:1].lower() + error["msg"][1:]
        parts = bad.setdefault(key, set())
        if rest and isinstance(raw.get(key), dict | list) and isinstance(parts, set):
            parts.add(rest[0])
            part = f"item {rest[0] + 1}" if isinstance(rest[0], int) else repr(rest[0])
            named.append(f"{key} {part} ({why})")
        else:
            bad[key] = whole
            named.append(f"{key} ({why})")
    for key, parts in bad.items():
        inner = raw.pop(key, None)
        if isinstance(parts, set) and isinstance(inner, dict):
            raw[key] = {k: v for k, v in inner.items() if k not in parts}
        elif isinstance(parts, set) and isinstance(inner, list):
            raw[key] = [v for i, v in enumerate(inner) if i not in parts]
    return named
