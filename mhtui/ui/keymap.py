"""The settings file's ``keymap``: binding ids to other keys, through Textual's keymap.

Every binding in mhtui has an id, "<where>.<what>" ("tracker.status_2", "grid.yes",
"app.help", "screen.back" for Esc on every screen). A settings file holding

    "keymap": {"tracker.status_2": "i", "app.help": "f1,question_mark"}

makes i set "in progress" in the tracker, and F1 or ? open help. Textual swaps the keys
in every binding chain (``App.set_keymap``), so the footer and F1 help show the new keys.
An entry that cannot work (an id no binding has, something that is not a key) is left
out and said in one line; it never stops the app.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

from mhtui import settings
from mhtui.paths import settings_path

if TYPE_CHECKING:
    from mhtui.ui.store_worker import UsesStore

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# Keys that are not characters ("escape", "f5", "pageup"), and the names Textual gives
# some characters ("slash", "plus"); other characters go by their Unicode name
# ("question_mark", "left_square_bracket") or as themselves ("?").
NAMED_KEYS = frozenset(
    {k.value for k in Keys if "+" not in k.value and not k.value.startswith("<")}
    | set(KEY_NAME_REPLACEMENTS.values())
)
# Where the bindings are declared, besides the app itself.
PACKAGES = ("mhtui.ui.screens", "mhtui.ui.widgets")


def is_key(key: str) -> bool:
    """A key as Textual names it: "x", "?", "question_mark", "f5", "ctrl+shift+up"."""
    if len(key) == 1:
        return key.isprintable()
    *modifiers, name = key.split("+")
    if any(m not in MODIFIERS for m in modifiers) or not name:
        return False
    return len(name) == 1 or name in NAMED_KEYS or key_to_character(name) is not None


def parse(raw: object) -> tuple[dict[str, str], list[str]]:
    """The entries whose keys are keys, and what is wrong with each other entry."""
    if not isinstance(raw, dict):
        return {}, ["not a table of binding ids to keys"]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in raw.items():
        if not isinstance(keys, str) or not all(is_key(k.strip()) for k in keys.split(",")):
            problems.append(f"{binding_id!r}: {keys!r} is not a key")
        else:
            keymap[binding_id] = keys
    return keymap, problems


def declared(app: type[DOMNode]) -> Iterator[tuple[type[DOMNode], Binding]]:
    """Every binding mhtui declares, with the class declaring it: the app's (``app``,
    its class), and each screen's and widget's. Imports every screen module."""
    classes: list[type[DOMNode]] = [app]
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package_name}.{info.name}")
            classes.extend(
                value for value in vars(module).values()
                if isinstance(value, type) and issubclass(value, DOMNode)
                and value.__module__ == module.__name__
            )
    for cls in classes:
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding):
                yield cls, binding


def load(app: UsesStore) -> None:
    """Use the settings file's keymap from the first key on. Its ids are checked once the
    database is open (that imports every screen); what is left out is said in one line."""
    raw = settings.peek()[0].get("keymap")  # as written: checked here, not by pydantic
    if raw is None:
        return
    keymap, problems = parse(raw)
    app.set_keymap(keymap)

    def check() -> None:
        # On the UI thread, as opening a screen imports it: ~0.2 s, once.
        try:
            known = {binding.id for _, binding in declared(type(app))}
        except Exception:  # a keymap never stops the app: its ids go unchecked
            known = set(keymap)
        problems.extend(f"{binding_id!r} is no key binding's id"
                        for binding_id in keymap if binding_id not in known)
        if problems:
            app.notify(f"Keymap in {settings_path()}: ignored {'; '.join(problems)}.",
                       title="Keymap", severity="warning", timeout=20)

    # Not before the ORM is loaded: two threads importing SQLAlchemy at once can hand one
    # a half-made module (MHApp.orm_ready).
    app.when_open(check)
