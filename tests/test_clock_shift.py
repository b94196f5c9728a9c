"""The tests' own way to move the real clock (--clock-ahead, in tests/conftest.py): the
run that starts mhtui a year ahead, so a test that types a fixed date fails the day it
is written, not the day that date goes by."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mhtui.core.clock import TEST_CLOCK_SHIFT, SystemClock, shift_for_tests


@pytest.mark.real_clock
def test_the_run_moves_the_clock_only_when_asked(request: pytest.FixtureRequest) -> None:
    """Set by --clock-ahead for this test and every mhtui it starts; otherwise unset,
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


def test_a_test_not_marked_real_clock_keeps_todays_clock() -> None:
    """Whatever --clock-ahead says (the PostgreSQL pass of `python3 dev.py test` gives
    365): only the tests marked real_clock are moved; every other one, such as a command
    run in-process on SystemClock, keeps the computer's clock, as in the SQLite pass."""
    assert shift_for_tests() == timedelta()
    assert abs(SystemClock().now() - datetime.now(UTC)) < timedelta(minutes=1)


def test_clock_ahead_moves_the_real_clock_tests_and_no_other(tmp_path: Path) -> None:
    """The two tests above in a run of their own with --clock-ahead 365 (the PostgreSQL
    pass skips them: they reach no database)."""
    here = Path(__file__)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "0", "-q", "-p", "no:cacheprovider",
         "--clock-ahead", "365", f"--basetemp={tmp_path / 'run'}",
         f"{here}::test_the_run_moves_the_clock_only_when_asked",
         f"{here}::test_a_test_not_marked_real_clock_keeps_todays_clock"],
        cwd=here.parent.parent, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout
    assert "2 passed" in done.stdout
