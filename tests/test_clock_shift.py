"""The tests' own way to move the real clock (--clock-ahead, in tests/conftest.py): the
run that starts mhtui a year ahead, so a test that types a fixed date fails the day it
is written, not the day that date goes by."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mhtui.core.clock import TEST_CLOCK_SHIFT, SystemClock, shift_for_tests


@pytest.mark.real_clock
def test_the_run_moves_the_clock_only_when_asked(request: pytest.FixtureRequest) -> None:
    """Set by --clock-ahead for this process and every mhtui it starts; otherwise unset,
    whatever the shell had, so an ordinary run is on the real clock."""
    days = request.config.getoption("--clock-ahead")
    assert shift_for_tests() == timedelta(days=days)
    assert abs(SystemClock().now() - datetime.now(UTC) - timedelta(days=days)) < timedelta(
        minutes=1)


def test_a_year_ahead_moves_the_wall_clock_not_the_monotonic_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_CLOCK_SHIFT, "365")
    clock = SystemClock()
    ahead = clock.now() - datetime.now(UTC)
    assert timedelta(days=365) - timedelta(minutes=1) < ahead <= timedelta(days=365)
    monkeypatch.delenv(TEST_CLOCK_SHIFT)
    assert abs(clock.monotonic() - SystemClock().monotonic()) < 60


@pytest.mark.parametrize("value", ["", "1y", "365.5", "99999", "-99999", "nan"])
def test_anything_but_whole_days_within_ten_years_is_ignored(
        monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(TEST_CLOCK_SHIFT, value)
    assert abs(SystemClock().now() - datetime.now(UTC)) < timedelta(minutes=1)
