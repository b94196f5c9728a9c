"""When a team's check-ins fall: monthly, quarterly or every N weeks, on the weekday of
the first one. The same rule is written into the invitation's calendar file as an RRULE,
and a test checks the two agree occurrence by occurrence."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


CADENCES = ("monthly", "quarterly", "weeks")


@dataclass(frozen=True)
class Schedule:
    cadence: str  # monthly, quarterly or weeks
    first: date  # the first check-in of the series; its weekday is the usual weekday
    weeks: int = 4  # for "weeks": every this many weeks

    @property
    def nth(self) -> int:
        """Which weekday of the month (1-4, or -1 for the last) a monthly series keeps."""
        n = (self.first.day - 1) // 7 + 1
        return -1 if n == 5 else n

    @property
    def months(self) -> int:
        return 3 if self.cadence == "quarterly" else 1

    def rrule(self) -> str:
        if self.cadence == "weeks":
            return f"FREQ=WEEKLY;INTERVAL={self.weeks}"
        interval = ";INTERVAL=3" if self.cadence == "quarterly" else ""
        return f"FREQ=MONTHLY{interval};BYDAY={self.nth}{DAY_CODES[self.first.weekday()]}"

    def words(self) -> str:
        day = DAY_NAMES[self.first.weekday()]
        if self.cadence == "weeks":
            return "every week" if self.weeks == 1 else f"every {self.weeks} weeks, on {day}s"
        every = "every quarter" if self.cadence == "quarterly" else "every month"
        return f"{every}, on the {ORDINALS[self.nth]} {day}"

    def series(self) -> Iterator[date]:
        """Every check-in date from the first on, without end."""
        k = 0
        while True:
            if self.cadence == "weeks":
                yield self.first + timedelta(weeks=self.weeks * k)
            else:
                month_index = self.first.month - 1 + k * self.months
                year, month = self.first.year + month_index // 12, month_index % 12 + 1
                yield _nth_weekday(year, month, self.first.weekday(), self.nth)
            k += 1

    def occurrences(self, count: int) -> list[date]:
        return list(islice(self.series(), count))

    def next_on_or_after(self, day: date) -> date:
        return next(d for d in self.series() if d >= day)

    def between(self, start: date, end: date) -> list[date]:
        """The check-in dates from ``start`` to ``end`` (both included), before the first
        one too: the series read backwards from ``first`` by the same rule."""
        if self.cadence == "weeks":
            step = 7 * self.weeks
            k = (start - self.first).days // step
            dates = (self.first + timedelta(days=step * n) for n in range(k, k + 10**6))
        else:
            months = (start.year - self.first.year) * 12 + start.month - self.first.month
            k = months // self.months - 1
            dates = (self._month(n) for n in range(k, k + 10**6))
        found = []
        for day in dates:
            if day > end:
                break
            if day >= start:
                found.append(day)
        return found

    def _month(self, k: int) -> date:
        """The k-th check-in of a monthly or quarterly series (negative: before first)."""
        month_index = self.first.month - 1 + k * self.months
        year, month = self.first.year + month_index // 12, month_index % 12 + 1
        return _nth_weekday(year, month, self.first.weekday(), self.nth)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def schedule_from(cadence: str, first: date | None, weeks: int | None) -> Schedule | None:
    """A team's schedule from its stored fields; None until a first date is set."""
    if first is None:
        return None
    return Schedule(cadence if cadence in CADENCES else "monthly", first, weeks or 4)
