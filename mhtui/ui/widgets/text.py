"""Fitting people's text into table cells without breaking the layout."""

from __future__ import annotations


def one_line(text: str, width: int) -> str:
    """Collapse line breaks and tabs, and cut to ``width`` with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"
