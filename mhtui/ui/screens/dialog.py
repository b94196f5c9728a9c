"""What every form dialog shares: its box is not a focus stop, its first field is, and
what is typed in it is never dropped without a question."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget

from mhtui.ui.textual_private import KeepsGoing
from mhtui.ui.widgets.autosave import NotSaved, form_values

T = TypeVar("T")


def ask_to_discard(app: App[object], discard: Callable[[], object],
                   question: str = "Discard what you typed?",
                   detail: str = "y throws it away; n keeps the form open with your text.") -> None:
    """Drop typed text only after a yes."""
    from mhtui.ui.screens.confirm import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if yes:
            discard()

    app.push_screen(ConfirmScreen(question, detail), answered)


class Dialog(KeepsGoing, ModalScreen[T]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        # A modal screen stops the app's own keys: without this F1 did nothing in a form.
        Binding("f1", "app.help", "Help", id="dialog.help"),
    ]
    BOX: ClassVar[str] = ""  # the id of the dialog's scrolling box
    FIRST: ClassVar[str] = ""  # the id of the field that takes the cursor on opening

    def on_mount(self) -> None:
        # A scrolling box would otherwise take the first Tab and swallow typed keys.
        self.query_one(f"#{self.BOX}").can_focus = False
        self.query_one(f"#{self.FIRST}", Widget).focus()
        self.untouched = form_values(self)

    def typed(self) -> bool:
        """Anything typed or chosen since the form opened."""
        return form_values(self) != self.untouched

    def action_cancel(self) -> None:
        """Esc: an untouched form closes at once; typed text is dropped only after a yes."""
        if self.typed():
            ask_to_discard(self.app, lambda: self.dismiss(None))
        else:
            self.dismiss(None)

    def flush(self) -> None:
        """Before the app quits. A dialog's result is kept only when it is confirmed, so
        typed text raises NotSaved: ctrl+q then asks once before leaving without it."""
        if self.typed():
            raise NotSaved("What you typed in the open form is not saved; press ctrl+s "
                           "there to keep it.")
