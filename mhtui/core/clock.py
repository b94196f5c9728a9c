"""Time as an injected dependency, so tests move a clock instead of sleeping."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

# For the test suite only, never a setting: the real clock moved by this many whole days,
# so a run of the tests with the app's "today" a year ahead finds any test that types a
# fixed date the app compares with today (--clock-ahead in tests/conftest.py). Its name
# says what it is for and the README does not offer it, so no one sets it by chance;
# anything but a whole number of days within ten years is ignored, and the monotonic
# clock (timers, the check-in's running time) is never moved.
TEST_CLOCK_SHIFT = "MHTUI_TEST_ONLY_CLOCK_SHIFT_DAYS"


class Clock(Protocol):
    def now(self) -> datetime:
        """Wall time, timezone-aware (UTC)."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary start, never going backwards."""
        ...


class SystemClock:
    """The computer's clock (shifted only in the tests' run with TEST_CLOCK_SHIFT set)."""

    def __init__(self) -> None:
        self._shift = shift_for_tests()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._shift

    def monotonic(self) -> float:
        return time.monotonic()


def shift_for_tests() -> timedelta:
    """How far the tests asked for the clock to be moved: nothing, outside that run."""
    try:
        days = int(os.environ.get(TEST_CLOCK_SHIFT, "0"))
    except ValueError:
        return timedelta()
    return timedelta(days=days) if abs(days) <= 3660 else timedelta()


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
        self._mono = 1000.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        self._mono += seconds


def local_today(clock: Clock) -> date:
    """The user's calendar date, which is what due dates are compared against."""
    return clock.now().astimezone().date()


def to_the_day(at: datetime) -> datetime:
    """The start of ``at``'s day in UTC (00:00+00:00, the same wherever it is read): all
    that is kept of an anonymous reflection's times, so that none tells its writer by
    the minute."""
    return datetime.combine(at.astimezone(UTC).date(), datetime.min.time(), UTC)
