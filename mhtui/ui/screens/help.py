"""F1: the keys of the screen you came from, and what that screen is for."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from mhtui.ui.screens.dashboard import PRIVACY
from mhtui.ui.widgets.text import lines, literal, styled

# The footer's short names for keys ("esc", "^s", "del"), spelled out for help.
_WORDS = {
    "esc": "Esc", "⏎": "Enter", "space": "Space", "del": "Delete", "tab": "Tab",
    "⌫": "Backspace", "pgup": "PgUp", "pgdn": "PgDn", "home": "Home", "end": "End",
    "insert": "Insert",
}


def key_words(display: str) -> str:
    """A key as ``App.get_key_display`` shows it ("^s", "esc", "f5", "[") in the words
    help uses ("Ctrl+s", "Esc", "F5", "[")."""
    modifiers: list[str] = []
    key = display
    while "+" in key[:-1]:  # a "+" at the end is the plus key itself
        modifier, _, key = key.partition("+")
        modifiers.append(modifier.capitalize())
    if key.startswith("^") and len(key) > 1:
        modifiers.insert(0, "Ctrl")
        key = key[1:]
    is_function_key = key.startswith("f") and key[1:].isdigit()
    return "+".join([*modifiers, _WORDS.get(key, key.upper() if is_function_key else key)])


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("f1", "dismiss", "Close", id="help.close_f1", show=False),
        Binding("q", "dismiss", "Close", id="help.close_q", show=False),
    ]

    def __init__(self, title: str, about: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.help_title = title
        self.about = about
        self.keys = keys

    @classmethod
    def for_screen(cls, screen: Screen[object]) -> HelpScreen:
        """Read the keys from the screen itself, so the list cannot drift from the truth:
        a key the settings' keymap moved is shown where it now is."""
        seen: dict[str, tuple[str, str]] = {}
        for key, active in screen.active_bindings.items():
            # The screen's and the app's own keys; a table's cursor keys are noise here.
            if active.node is not screen and active.node is not screen.app:
                continue
            binding = active.binding
            label = binding.description or binding.action.replace("_", " ")
            shown = key_words(screen.app.get_key_display(binding))
            seen.setdefault(key, (shown, label[:1].upper() + label[1:]))
        keys = sorted(seen.values(), key=lambda pair: (len(pair[0]) > 1, pair[0]))
        about = str(getattr(screen, "HELP", "")) or "No notes for this screen."
        title = str(getattr(screen, "TITLE_TEXT", "")) or "mhtui"
        return cls(title, about, keys)

    def compose(self) -> ComposeResult:
        # Keys such as "[" are text too: put in as values, not into the markup.
        rows = lines([styled("[b]Keys on this screen[/b]"), *(
            styled("  [b]$key[/b]  $label", key=f"{key:>10}", label=label)
            for key, label in self.keys)])
        with VerticalScroll(id="help-box") as box:
            box.border_title = literal(f"Help · {self.help_title}")
            box.border_subtitle = "Esc or F1 closes"
            yield Static(literal(self.about), id="help-about")  # prose: "[ and ] move"
            yield Static(rows, id="help-keys")
            yield Static(
                "[b]Everywhere[/b]\n  ctrl+p  command palette: go, team, theme, help\n"
                "  F2      switch between the default and the projector theme\n"
                "  ctrl+q  quit (every change is already saved)\n"
                "  arrows, PgUp/PgDn, Home/End move in tables and lists",
                id="help-global",
            )
            yield Static(PRIVACY, id="help-privacy")
