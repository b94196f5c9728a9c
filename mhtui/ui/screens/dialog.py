"""What every form dialog shares: its box is not a focus stop, its first field is."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.screen import ModalScreen
from textual.widget import Widget

T = TypeVar("T")


class Dialog(ModalScreen[T]):
    BOX: ClassVar[str] = ""  # the id of the dialog's scrolling box
    FIRST: ClassVar[str] = ""  # the id of the field that takes the cursor on opening

    def on_mount(self) -> None:
        # A scrolling box would otherwise take the first Tab and swallow typed keys.
        self.query_one(f"#{self.BOX}").can_focus = False
        self.query_one(f"#{self.FIRST}", Widget).focus()
