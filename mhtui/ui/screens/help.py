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

_KEY_NAMES = {
    "escape": "Esc", "enter": "Enter", "space": "Space", "delete": "Delete",
    "left": "←", "right": "→", "up": "↑", "down": "↓", "slash": "/",
    "plus": "+", "minus": "-", "question_mark": "?",
    "left_square_bracket": "[", "right_square_bracket": "]",
}


def key_label(key: str) -> str:
    parts = [_KEY_NAMES.get(p, p.upper() if p.startswith("f") and p[1:].isdigit() else p)
             for p in key.split("+")]
    return "+".join(p.capitalize() if p in {"ctrl", "shift", "alt"} else p for p in parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="close"),
        Binding("f1", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def __init__(self, title: str, about: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.help_title = title
        self.about = about
        self.keys = keys

    @classmethod
    def for_screen(cls, screen: Screen[object]) -> HelpScreen:
        """Read the keys from the screen itself, so the list cannot drift from the truth."""
        seen: dict[str, tuple[str, str]] = {}
        for key, active in screen.active_bindings.items():
            # The screen's and the app's own keys; a table's cursor keys are noise here.
            if active.node is not screen and active.node is not screen.app:
                continue
            binding = active.binding
            label = binding.description or binding.action.replace("_", " ")
            seen.setdefault(key, (key_label(key), label[:1].upper() + label[1:]))
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
