"""The yardstick: a bare Textual app (Header, Static, Footer) started the same way."""

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Footer, Header, Static


class BareApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Holds no student records. A bare Textual app.")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
