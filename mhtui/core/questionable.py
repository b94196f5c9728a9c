"""Input that reads but is probably not what was meant: asked about, never refused.

A due date more than three years ahead, a check-in scheduled in the past or outside
06:00-21:00: each gives a question in words, or None when nothing is odd.
"""

from __future__ import annotations

from datetime import date, time

DAY_STARTS, DAY_ENDS = time(6, 0), time(21, 0)
YEARS_AHEAD = 3


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year + years, day=28)


def due_doubt(due: date | None, today: date) -> str | None:
    """A due date more than three years from today."""
    if due is None or due <= _years_later(today, YEARS_AHEAD):
        return None
    return (f"Due {due.isoformat()}: more than {YEARS_AHEAD} years from today. Is that the "
            "date you meant?")


def schedule_doubts(first: date | None, at: time | None, today: date) -> list[str]:
    """A first check-in date already past, or a time outside 06:00-21:00."""
    doubts = []
    if first is not None and first < today:
        doubts.append(f"The date {first.isoformat()} is in the past (today is "
                      f"{today.isoformat()}).")
    if at is not None and not DAY_STARTS <= at <= DAY_ENDS:
        doubts.append(f"{at:%H:%M} is outside the school day (06:00-21:00).")
    return doubts
