"""A yes/no question that must be answered before something is lost."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from mhtui.ui.widgets.text import literal, styled


class ConfirmScreen(ModalScreen[bool]):
    TITLE_TEXT = "confirm"
    HELP = "Press y to go ahead, or n / Esc to leave everything as it is."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
        Binding("escape", "answer(False)", "Cancel", id="confirm.cancel"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog") as box:
            box.border_title = "Please confirm"
            # The question and detail often quote a name: shown as typed, never as markup.
            yield Static(styled("[b]$question[/b]", question=self.question),
                         id="confirm-question")
            if self.detail:
                yield Static(literal(self.detail), id="confirm-detail")
            yield Static("y  yes    n  no", id="confirm-keys")
        yield Footer(compact=True)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
