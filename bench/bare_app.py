"""The yardstick: a bare Textual app (Header, Static, Footer) started the same way; with
the argument ``form``, the reflection form's fields alone (date, name and role Inputs,
two TextAreas that Tab leaves), the name focused as in mhtui's new reflection."""

import sys
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Footer, Header, Input, Static, TextArea


class BareApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Holds no student records. A bare Textual app.")
        yield Footer()


class BareForm(BareApp):
    CSS = "TextArea { height: 4; }"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Holds no student records. A bare Textual app.")
        yield Input("2026-12-07", compact=True)
        yield Input(id="name", compact=True)
        yield Input(compact=True)
        yield TextArea(tab_behavior="focus")
        yield TextArea(tab_behavior="focus")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#name").focus()


if __name__ == "__main__":
    (BareForm if sys.argv[1:] == ["form"] else BareApp)().run()
