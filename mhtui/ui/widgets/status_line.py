"""One muted line of a screen: what the last key did ("Saved: ..."), where a list stands,
when a draft was last saved. Always one line high, so a new message never moves the rest
of the screen."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from mhtui.ui.widgets.text import literal


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def say(self, text: str | Content) -> None:
        """Show ``text``: a ``str`` exactly as typed (names in it are never markup), a
        Content as made. The line keeps its size, so the screen is not laid out again
        (that cost ~50 ms a key)."""
        self.update(literal(text) if isinstance(text, str) else text, layout=False)
