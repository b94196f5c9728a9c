"""A line of text in solid blocks that fills its box: the check-in's clock and its state
words. Drawn again from the box's size on every paint, so a resized terminal (a projector
plugged in mid-meeting) gets digits of the new size at once."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from mhtui.core.big_font import draw


class BigText(Widget):
    DEFAULT_CSS = """
    BigText {
        height: 5;
        width: 1fr;
    }
    """

    def __init__(self, text: str = "", *, shorten: bool = False, id: str | None = None,
                 classes: str | None = None) -> None:
        """``shorten``: when the whole text does not fit, draw its first words that do
        (for words whose end is said elsewhere too), instead of plain text."""
        super().__init__(id=id, classes=classes)
        self.text = text
        self.shorten = shorten

    def fits(self, width: int) -> bool:
        """Whether the whole text can be drawn in blocks this wide, five rows high."""
        return draw(self.text, width, 5) is not None

    def update(self, text: str) -> None:
        """Show ``text``; repainted only when it changed (the clock asks four times a
        second)."""
        if text != self.text:
            self.text = text
            self.refresh()

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        words = self.text.split(" ")
        drawn = None
        while words and drawn is None:  # "OVER TIME +3:12" gives way to "OVER TIME"
            drawn = draw(" ".join(words), width, height)
            words = words[:-1] if self.shorten else []
        if drawn is None:  # too small a box, or a character with no glyph: plain and bold
            return Text(self.text, style="bold")
        return Text("\n".join(drawn.lines), no_wrap=True, overflow="crop")
