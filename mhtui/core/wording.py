"""How dates and durations read on screen and in exports: words, never colour alone."""

from __future__ import annotations

from datetime import date


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def long_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def days_away(day: date, today: date) -> str:
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {plural(delta, 'day')}" if delta > 0 else f"{plural(-delta, 'day')} ago"


def due_phrase(due: date | None, today: date, *, is_open: bool) -> str:
    """The tracker's plain "overdue by N days" / "due in N days" cell."""
    if due is None:
        return "no date"
    delta = (due - today).days
    if not is_open:
        return ""
    if delta < 0:
        return f"! overdue by {plural(-delta, 'day')}"
    if delta == 0:
        return "due today"
    return f"due in {plural(delta, 'day')}"


def clock_text(seconds: float) -> str:
    """m:ss for a duration, with a leading + past zero handled by the caller."""
    whole = int(abs(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def is_whole_number(text: str) -> bool:
    """Plain 0-9 digits only: str.isdigit() also accepts '²', which int() refuses."""
    return text.isascii() and text.isdigit()
