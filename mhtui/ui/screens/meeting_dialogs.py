"""The check-in's questions about its clock: a choice among a few keys (time away, quitting
with the clock running), and one value typed (time spent, the team's warning)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from mhtui.ui.screens.dialog import Dialog
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.text import literal, styled

T = TypeVar("T")


class ChoiceScreen(ModalScreen[str]):
    """A question answered by one of a few letter keys; Esc gives the last choice."""

    TITLE_TEXT = "question"
    HELP = "Press the letter of your choice; Esc takes the last one."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
    ]

    def __init__(self, question: str, detail: str,
                 choices: Sequence[tuple[str, str, str]]) -> None:
        """``choices``: (key, what it does, the value it answers)."""
        super().__init__()
        self.question, self.detail, self.choices = question, detail, list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box", classes="dialog") as box:
            box.border_title = "Please choose"
            yield Static(styled("[b]$q[/b]", q=self.question), id="choice-question")
            yield Static(literal(self.detail), id="choice-detail")
            yield Static(literal("\n".join(f"{key}  {words}" for key, words, _ in self.choices)),
                         id="choice-keys")
        yield Footer(compact=True)

    def on_key(self, event: events.Key) -> None:
        for letter, _, value in self.choices:
            if letter in (event.character, event.key):
                event.stop()
                self.dismiss(value)
                return

    def action_cancel(self) -> None:
        self.dismiss(self.choices[-1][2])


class ValueForm(Dialog[T | None], Generic[T]):
    """One value typed and read by ``parse`` (which raises ValueError with what is wrong);
    Enter saves, Esc cancels."""

    BOX = "value-box"
    FIRST = "value-input"
    TITLE_TEXT = "value"
    HELP = "Type the value and press Enter; Esc leaves it as it was."

    def __init__(self, title: str, label: str, value: str,
                 parse: Callable[[str], T]) -> None:
        super().__init__()
        self.form_title, self.label, self.value, self.parse = title, label, value, parse

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="value-box", classes="dialog") as box:
            box.border_title = literal(self.form_title)
            # A Static wraps a long question; a Label cut it off at the box edge.
            yield Static(literal(self.label + " (Enter saves, Esc cancels)"))
            yield Input(self.value, id="value-input")
            yield Static("", id="value-error", classes="error")
        yield Footer(compact=True)

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        try:
            value = self.parse(event.value)
        except ValueError as exc:
            self.query_one("#value-error", Static).update(literal(str(exc)))
            return
        self.dismiss(value)


def parse_duration(text: str) -> float:
    """'12:30' (minutes and seconds), '1:02:30', or '12' (minutes): seconds."""
    value = text.strip()
    parts = value.split(":")
    if not value or len(parts) > 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(f"{value[:30]!r} is not a time: write 12:30 or 12 (minutes).")
    numbers = [int(p) for p in parts]
    if len(numbers) == 1:
        seconds = numbers[0] * 60
    else:
        if numbers[-1] >= 60 or (len(numbers) == 3 and numbers[1] >= 60):
            raise ValueError(f"{value!r}: seconds and minutes after a colon go up to 59.")
        seconds = sum(n * 60 ** i for i, n in enumerate(reversed(numbers)))
    if seconds > 24 * 3600:
        raise ValueError("More than a day: write the time spent on this item, like 12:30.")
    return float(seconds)


@dataclass(frozen=True)
class WarnChoice:
    minutes: int | None  # None: the default


def parse_warning(text: str) -> WarnChoice:
    """Minutes before the end (0: no warning); empty for the default."""
    value = text.strip()
    if not value:
        return WarnChoice(None)
    if not (value.isascii() and value.isdigit()) or int(value) > 120:
        raise ValueError(f"{value[:30]!r}: give whole minutes from 0 to 120, or leave it "
                         "empty for the default.")
    return WarnChoice(int(value))
