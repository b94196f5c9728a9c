"""Ask for one line of text: a name for a new or renamed thing."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from mhtui.ui.screens.dialog import Dialog
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.text import literal


class PromptScreen(Dialog[str | None]):
    BOX = "prompt-box"
    FIRST = "prompt-input"

    def __init__(self, title: str, label: str, value: str = "") -> None:
        super().__init__()
        self.prompt_title, self.label, self.value = title, label, value

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="prompt-box", classes="dialog") as box:
            box.border_title = literal(self.prompt_title)  # may quote a name
            yield Label(literal(self.label + " (Enter saves, Esc cancels)"))
            yield Input(self.value, id="prompt-input")
            yield Static("", id="prompt-error", classes="error")

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#prompt-error", Static).update("Type a name first.")
            return
        self.dismiss(event.value)
