"""Fitting people's text into table cells without breaking the layout."""

from __future__ import annotations

from textual.widgets import Static


def show(widget: Static, text: str) -> None:
    """Put ``text`` in ``widget`` only if it changed.

    Every Static.update lays the whole screen out again; on a form that re-shows its
    figures at each keystroke, that made typing lag behind the keys (130 ms a key).
    """
    if widget.content != text:
        widget.update(text)


def one_line(text: str, width: int) -> str:
    """Collapse line breaks and tabs, and cut to ``width`` with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"
