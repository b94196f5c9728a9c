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


FILE_DATE_HINT = ("Use 2026-01-31, 1/31/2026, Jan 31, 2026 or 31-Jan-26 "
                  "(31.01.2026 with --day-first).")
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?)?"
_ISO_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + "$")
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})" + _TIME + "$")
_MONTH_WORDS = re.compile(r"[A-Za-z]{3,}")


def parse_sheet_date(text: str, *, day_first: bool = False) -> date:
    """A date as a spreadsheet saves it in a file: ISO (with or without the midnight time
    Excel adds), month/day/year, or with a month name ("Jun 1, 2022", "1-Dec-26").
    ``day_first`` reads numeric dates as day/month/year ("01.06.2022"). Raises DateError
    naming only the forms a file may hold (no "today" or "+3d")."""
    value = text.strip()
    if not value:
        raise DateError("The date is empty.")
    iso = _ISO_TIME.match(value)
    numeric = _NUMERIC.match(value)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if numeric:
            first, sep, second, year = (numeric.group(i) for i in range(1, 5))
            if not day_first and (sep == "." or int(first) > 12 >= int(second)):
                raise DateError(f"{_shown(value)!r} reads day first (day.month.year): "
                                "import with --day-first.")
            day, month = (first, second) if day_first else (second, first)
            whole_year = int(year) + (2000 if len(year) == 2 else 0)
            return date(whole_year, int(month), int(day))
    except ValueError as exc:
        if isinstance(exc, DateError):
            raise
        raise DateError(f"{_shown(value)!r} is not a real date ({exc}).") from exc
    if _MONTH_WORDS.search(value) and len(value) <= 40:
        return _with_month_name(value, day_first)
    raise DateError(f"{_shown(value)!r} is not a date I can read. {FILE_DATE_HINT}")


def _with_month_name(value: str, day_first: bool) -> date:
    """dateutil reads month names in English; a date missing its day or year is refused
    (dateutil would fill it in from today), found by parsing with two defaults."""
    from datetime import datetime

    from dateutil import parser

    try:
        one = parser.parse(value, default=datetime(2000, 1, 1), dayfirst=day_first)
        two = parser.parse(value, default=datetime(2004, 2, 2), dayfirst=day_first)
    except (ValueError, OverflowError, TypeError, IndexError) as exc:
        raise DateError(f"{_shown(value)!r} is not a date I can read. "
                        f"{FILE_DATE_HINT}") from exc
    if one.date() != two.date():
        raise DateError(f"{_shown(value)!r} is missing its day, month or year. "
                        f"{FILE_DATE_HINT}")
    return one.date()


def parse_calendar_date(text: str) -> date:
    """A written date (ISO or month/day/year), as in a spreadsheet's date column."""
    value = text.strip()
    if _RELATIVE.match(value) or value.lower() in ("today", "tomorrow"):
        raise DateError(f"{value!r} is relative; write the date itself, e.g. 2026-01-31.")
    parsed = parse_due(value, date.min)
    if parsed is None:
        raise DateError("The date is empty.")
    return parsed
