"""Schedules, the invitation email and its calendar file, read by a strict parser."""

from __future__ import annotations

import stat
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar, Component
from textual.widgets import Input, Select

from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.core.invitation import calendar, email
from mhtui.core.schedule import Schedule
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.models import Team
from mhtui.ui.app import MHApp
from mhtui.ui.screens.invite import InviteScreen, ScheduleScreen
from tests.helpers import db_arg, screen_lines, text_of

STAMP = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
PLACE = "Library, room 2; east wing – a long place name " + "x" * 60


def _parse(ics: str) -> tuple[datetime, list[datetime], Component]:
    cal = Calendar.from_ical(ics)
    event = next(iter(cal.walk("VEVENT")))
    start = event.decoded("DTSTART")
    rule = event.get("RRULE").to_ical().decode()
    dates = list(rrulestr(rule, dtstart=start))[:6] if "COUNT" in rule else []
    if not dates:
        iterator = iter(rrulestr(rule, dtstart=start))
        dates = [next(iterator) for _ in range(6)]
    return start, dates, event


@pytest.mark.parametrize(("schedule", "expected"), [
    (Schedule("monthly", date(2026, 12, 2)),
     ["2026-12-02", "2027-01-06", "2027-02-03", "2027-03-03", "2027-04-07", "2027-05-05"]),
    (Schedule("quarterly", date(2026, 12, 2)),
     ["2026-12-02", "2027-03-03", "2027-06-02", "2027-09-01", "2027-12-01", "2028-03-01"]),
    (Schedule("weeks", date(2026, 10, 21), weeks=2),  # crosses the end of summer time
     ["2026-10-21", "2026-11-04", "2026-11-18", "2026-12-02", "2026-12-16", "2026-12-30"]),
    (Schedule("monthly", date(2026, 10, 29)),  # a fifth Thursday: the last one each month
     ["2026-10-29", "2026-11-26", "2026-12-31", "2027-01-28", "2027-02-25", "2027-03-25"]),
])
def test_calendar_file_parses_and_its_rule_matches(schedule: Schedule,
                                                   expected: list[str]) -> None:
    ics = calendar("uid-1@test", "Lincoln High, 9-12", schedule, time(15, 0), 60, PLACE, STAMP)
    start, dates, event = _parse(ics)
    assert [d.date().isoformat() for d in dates] == expected
    assert [d.isoformat() for d in schedule.occurrences(6)] == expected
    assert all(d.hour == 15 and d.minute == 0 and d.tzinfo is None for d in dates)
    assert start == datetime.combine(schedule.first, time(15, 0))
    assert str(event.get("LOCATION")) == PLACE  # escaped and folded, read back whole
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    assert ics.endswith("\r\n") and "\n" not in ics.replace("\r\n", "")


def test_email_with_and_without_a_name() -> None:
    schedule = Schedule("quarterly", date(2026, 12, 2))
    everyone = email("Lincoln High School", schedule, time(15, 30), 60, "Library",
                     datetime(2026, 12, 2, 15, 30))
    ana = email("Lincoln High School", schedule, time(15, 30), 60, "Library",
                datetime(2026, 12, 2, 15, 30), "Ana Ruiz")
    assert "Dear colleagues," in everyone and "Dear Ana Ruiz," in ana
    for text in (everyone, ana):
        assert "every quarter, on the first Wednesday" in text
        assert "Wed 2 Dec 2026 at 15:30 in Library" in text
        assert "barriers" in text and "person responsible and a date" in text


def test_invite_command_writes_private_files(tmp_path: Path, demo_target: Target,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "invites"
    assert main(["--db", db_arg(demo_target), "invite", "--out", str(out)]) == 0
    written = capsys.readouterr().out
    files = sorted(p.name for p in out.iterdir())
    # John Smith has no email on the demo roster: the copy for everyone is his.
    assert files == ["checkins.ics", "invitation-dev-patel.txt", "invitation-everyone.txt",
                     "invitation-grace-kim.txt", "invitation-maria-lopez.txt"]
    assert all(str(out / f) in written for f in files)
    assert all(stat.S_IMODE((out / f).stat().st_mode) == 0o600 for f in files)
    Calendar.from_ical((out / "checkins.ics").read_text())
    assert main(["--db", db_arg(demo_target), "invite", "--team",
                 "Roosevelt Middle School"]) == 1
    assert "no check-in schedule yet" in capsys.readouterr().err


async def test_schedule_then_invitation_in_the_app(demo_target: Target, clock: FakeClock,
                                                   open_db: Callable[[Target], Database],
                                                   private_dirs: Path) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await pilot.press("c", "S")
        await pilot.pause()
        assert isinstance(app.screen, ScheduleScreen)
        app.screen.query_one("#sched-first", Input).value = "12/9/2026"
        app.screen.query_one("#sched-time", Input).value = "25:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is not a time" in text_of(app, "#sched-error")
        app.screen.query_one("#sched-time", Input).value = "14:30"
        app.screen.query_one("#sched-cadence", Select).value = "weeks"
        app.screen.query_one("#sched-weeks", Input).value = "6"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape", "i")
        await pilot.pause()
        assert isinstance(app.screen, InviteScreen)
        assert ("For: everyone (1 of 4) · every 6 weeks, on Wednesdays"
                in text_of(app, "#invite-who"))
        assert "Wed 9 Dec 2026 at 14:30" in text_of(app, "#invite-text")
        await pilot.press("n")
        await pilot.pause()
        assert "Dear Maria Lopez," in text_of(app, "#invite-text")
        assert "For: Maria Lopez (2 of 4)" in text_of(app, "#invite-who")
        await pilot.press("c")
        assert app.clipboard.startswith(
            "To: Maria Lopez <maria.lopez@lincoln.example.org>\nSubject:")
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert "Wed 9 Dec 2026" in text_of(app, "#next-checkin")
    with open_db(demo_target).read() as session:
        team = session.get(Team, 1)
    assert team is not None and (team.cadence, team.cadence_weeks, team.start_time) == (
        "weeks", 6, "14:30")
    saved = private_dirs / "data" / "mhtui" / "exports" / "invitations" / "lincoln-high-school"
    assert (saved / "checkins.ics").exists() and (saved / "invitation-everyone.txt").exists()


async def test_empty_schedule_date_does_not_look_filled_in(empty_target: Target,
                                                           clock: FakeClock) -> None:
    # On a new team the date field showed a bare "2026-12-02" (its placeholder, dimmed),
    # and ctrl+s answered "Date: The date is empty." beneath what looked like a date.
    app = MHApp(empty_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c", "S")
        await pilot.pause()
        assert isinstance(app.screen, ScheduleScreen)
        lines = [line.strip() for line in screen_lines(app)]
        shown = lines[lines.index("First (or next) check-in date") + 1]
        assert shown.startswith("type the date")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "The date is empty" in text_of(app, "#sched-error")
