"""Due dates as people type them: ISO, the paper form's month-day-year, or relative."""

from __future__ import annotations

import re
from datetime import date, timedelta

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US = re.compile(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4}|\d{2})$")
_RELATIVE = re.compile(r"^\+\s*(\d{1,4})\s*([dw])$", re.IGNORECASE)

DATE_HINT = "Use 2026-01-31, 1/31/2026, 1-31-2026, today, tomorrow, +3d or +2w."


class DateError(ValueError):
    """A date that could not be read; str() says what was typed and what works."""


def parse_due(text: str, today: date) -> date | None:
    """Read a due date; empty means no date. Raises DateError with a clear message."""
    value = text.strip()
    if not value:
        return None
    lowered = value.lower()
    if lowered == "today":
        return today
    if lowered == "tomorrow":
        return today + timedelta(days=1)
    relative = _RELATIVE.match(value)
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2).lower()
        return today + timedelta(days=amount * (7 if unit == "w" else 1))
    for pattern, order in ((_ISO, (0, 1, 2)), (_US, (2, 0, 1))):
        match = pattern.match(value)
        if match:
            parts = [int(match.group(i + 1)) for i in range(3)]
            year, month, day = (parts[i] for i in order)
            if year < 100:  # spreadsheets shorten 2022 to 22
                year += 2000
            try:
                return date(year, month, day)
            except ValueError as exc:
                raise DateError(f"{value!r} is not a real date ({exc}).") from exc
    raise DateError(f"{_shown(value)!r} is not a date I can read. {DATE_HINT}")


def _shown(value: str) -> str:
    return value if len(value) <= 30 else value[:29] + "…"


def parse_calendar_date(text: str) -> date:
    """A written date (ISO or month/day/year), as in a spreadsheet's date column."""
    value = text.strip()
    if _RELATIVE.match(value) or value.lower() in ("today", "tomorrow"):
        raise DateError(f"{value!r} is relative; write the date itself, e.g. 2026-01-31.")
    parsed = parse_due(value, date.min)
    if parsed is None:
        raise DateError("The date is empty.")
    return parsed
