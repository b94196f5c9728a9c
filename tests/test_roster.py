"""The team's roster and teams: the store, the command line, the invitations made from the
roster, and the minutes that name who attended and who did not."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from datetime import time as clock_time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from sqlmodel import col, select

from mhtui.cli import main
from mhtui.core import minutes as md
from mhtui.core.clock import FakeClock
from mhtui.core.schedule import Schedule
from mhtui.core.slug import slug
from mhtui.store.checkins import checkins, invites, minutes_doc
from mhtui.store.database.conflict import ConflictError
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.models import MeetingAttendee
from mhtui.store.teams import staff, teams
from mhtui.store.teams.teams import TeamNameError
from tests.helpers import db_arg

HOSTILE = ["李明", "王芳", "[red]Ana", "[/b]", "Zoë 👩‍🏫 Ünal", "نور الهدى", "a#b?c%d e"]
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(empty_target: Target, capsys: pytest.CaptureFixture[str]) -> Run:
    def _run(*argv: str) -> tuple[int, str, str]:
        code = main(["--db", db_arg(empty_target), *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


def _team(db: Database, clock: FakeClock) -> int:
    return teams.active_team(db, clock).id


# --- the store ---------------------------------------------------------------------------


def test_people_in_any_script_are_kept_as_typed(empty_target: Target, clock: FakeClock,
                                                open_db: Callable[[Target], Database]) -> None:
    db = open_db(empty_target)
    team = _team(db, clock)
    for name in HOSTILE:
        staff.add(db, team, f"  {name}\x00\x07 ", "School counselor", "")
    assert [p.name for p in staff.roster(db, team)] == HOSTILE  # spaces and control codes go
    assert staff.names(db, team) == HOSTILE
    long = staff.add(db, team, "x" * 200)
    assert long.name == "x" * 200
    with pytest.raises(staff.StaffError, match="at most 200"):
        staff.add(db, team, "x" * 20_000)
    with pytest.raises(staff.StaffError, match="needs a name"):
        staff.add(db, team, " \t ")
    with pytest.raises(staff.StaffError, match="not an email"):
        staff.add(db, team, "Ana", email="ana at school")
    assert len(staff.roster(db, team)) == len(HOSTILE) + 1  # nothing of the bad ones


def test_edit_and_deactivate_use_the_version(empty_target: Target, clock: FakeClock,
                                             open_db: Callable[[Target], Database]) -> None:
    a, b = open_db(empty_target), open_db(empty_target)
    team = _team(a, clock)
    seen = staff.add(a, team, "Ana Ruiz", "Teacher", "ana@school.org")
    saved = staff.edit(b, seen.id, seen.version, role="School counselor")
    with pytest.raises(ConflictError, match="someone else changed this person"):
        staff.edit(a, seen.id, seen.version, name="Ana R.")
    assert staff.get(a, seen.id) == saved
    gone = staff.edit(a, saved.id, saved.version, active=False)
    assert not gone.active and gone.name == "Ana Ruiz"
    assert staff.names(a, team) == [] and staff.roster(a, team) == [gone]


def test_teams_are_renamed_once_and_stay_unique(empty_target: Target, clock: FakeClock,
                                               open_db: Callable[[Target], Database]) -> None:
    a, b = open_db(empty_target), open_db(empty_target)
    team = teams.active_team(a, clock)
    assert team.name == "My school"
    teams.create_team(a, "Roosevelt", clock)
    with pytest.raises(TeamNameError, match="already a team called 'Roosevelt'"):
        staff.rename_team(a, team.id, team.version, " Roosevelt ")
    renamed = staff.rename_team(b, team.id, team.version, "李明中学 [/b]")
    assert renamed.name == "李明中学 [/b]"
    with pytest.raises(ConflictError, match="changed the team's name"):
        staff.rename_team(a, team.id, team.version, "Lincoln")
    assert [t.name for t in teams.list_teams(a)] == ["Roosevelt", "李明中学 [/b]"]


@given(st.text(max_size=80))
@settings(max_examples=200, deadline=None)
def test_slugs_are_safe_file_names(text: str) -> None:
    made = slug(text)
    assert made and len(made) <= 60
    assert not made.startswith(("-", ".")) and not made.endswith("-")
    assert not set(made) & set("/\\\0#?%:*\"<>| \t\n.[]")


def test_slugs_keep_every_script() -> None:
    assert slug("Lincoln High") == "lincoln-high"
    assert slug("李明") == "李明" and slug("王芳") == "王芳"
    assert slug("Zoë ÉLAN") == "zoë-élan"
    assert slug("نور الهدى") == "نور-الهدى"
    assert slug("👩‍🏫", "person") == "person"


# --- the command line --------------------------------------------------------------------


def test_staff_and_teams_commands(run: Run) -> None:
    assert run("teams", "list") == (0, "* My school\n", "")
    assert run("teams", "rename", "My school", "Lincoln High")[0] == 0
    assert run("teams", "add", "[red]Roosevelt")[0] == 0
    code, out, _ = run("teams", "list")
    assert out == "* Lincoln High\n  [red]Roosevelt\n"
    assert run("teams", "rename", "Nope", "X")[2].startswith("mhtui: No team called 'Nope'")
    assert "already a team" in run("teams", "rename", "Lincoln High", "[red]Roosevelt")[2]

    assert run("staff", "add", "李明", "--role", "School counselor", "--email",
               "li@school.org")[1] == "added #1 李明 to Lincoln High\n"
    assert run("staff", "add", "[/b] Ana", "--role", "[red]Teacher")[0] == 0
    assert run("staff", "add", "Grace", "--team", "[red]Roosevelt")[0] == 0
    code, _, err = run("staff", "add", "王芳", "--email", "not-an-email")
    assert code == 2 and "not an email address" in err and "Nothing was added" in err
    code, out, _ = run("staff", "list")
    assert code == 0 and "李明" in out and "[/b] Ana" in out and "[red]Teacher" in out
    assert "Grace" not in out

    assert run("staff", "remove", "2")[1].startswith("deactivated #2 [/b] Ana")
    assert run("staff", "edit", "1", "--name", "Li Ming", "--email", "")[0] == 0
    code, out, _ = run("staff", "list", "--format", "json")
    assert json.loads(out) == [
        {"id": 1, "name": "Li Ming", "role": "School counselor", "email": "",
         "active": True},
        {"id": 2, "name": "[/b] Ana", "role": "[red]Teacher", "email": "", "active": False}]
    code, out, _ = run("staff", "list", "--format", "csv")
    assert out.splitlines() == ["id,name,role,email,active",
                                "1,Li Ming,School counselor,,yes", "2,[/b] Ana,[red]Teacher,,no"]
    assert run("staff", "edit", "2", "--active")[1] == "saved #2 [/b] Ana\n"
    code, _, err = run("staff", "edit", "9", "--name", "x")
    assert code == 2 and "No person #9" in err
    code, _, err = run("staff", "edit", "1")
    assert code == 2 and "Nothing to change" in err


def test_a_formula_in_a_name_is_not_run_by_a_spreadsheet(run: Run) -> None:
    run("staff", "add", "=HYPERLINK(\"x\")")
    assert run("staff", "list", "--format", "csv")[1].splitlines()[1].startswith(
        "1,\"'=HYPERLINK(")


# --- invitations from the roster ---------------------------------------------------------


def _schedule(db: Database, team: int) -> None:
    view = teams.get_team(db, team)
    assert view is not None
    invites.set_schedule(db, team, view.version, "monthly", 4, date(2026, 12, 2),
                         clock_time(15, 0), 60, "Library")


def test_one_invitation_per_active_person_with_an_email(
        run: Run, empty_target: Target, tmp_path: Path, clock: FakeClock,
        open_db: Callable[[Target], Database], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    db = open_db(empty_target)
    team = _team(db, clock)
    _schedule(db, team)
    for name, email in (("李明", "li@school.org"), ("王芳", "wang@school.org"),
                        ("Ana Ruiz", "ana@school.org"), ("Ana Ruiz", "ana.r@school.org"),
                        ("👩‍🏫", "emoji@school.org"), ("No Email", "")):
        staff.add(db, team, name, email=email)
    gone = staff.add(db, team, "Gone", email="gone@school.org")
    staff.edit(db, gone.id, gone.version, active=False)
    out = tmp_path / "invites"
    code, printed, _ = run("invite", "--out", str(out))
    assert code == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(["checkins.ics", "invitation-everyone.txt", "invitation-李明.txt",
                            "invitation-王芳.txt", "invitation-ana-ruiz.txt",
                            "invitation-ana-ruiz-4.txt", "invitation-person.txt"])
    wrote = printed.splitlines()
    assert len(wrote) == len(set(wrote)) == len(files)  # "wrote" once for each file
    assert (out / "invitation-李明.txt").read_text().startswith(
        "To: 李明 <li@school.org>\nSubject:")
    assert "Dear Ana Ruiz," in (out / "invitation-ana-ruiz-4.txt").read_text()

    ics = (out / "checkins.ics").read_text()
    assert "DTSTART;TZID=America/Chicago:20261202T150000" in ics
    cal = Calendar.from_ical(ics)
    zones = [str(z["TZID"]) for z in cal.walk("VTIMEZONE")]
    assert zones == ["America/Chicago"]
    event = next(iter(cal.walk("VEVENT")))
    start = event.decoded("DTSTART")
    assert start.utcoffset() is not None and start.astimezone(UTC).hour == 21  # not 15 UTC
    uid, sequence = str(event["UID"]), int(str(event["SEQUENCE"]))

    # A new schedule: the same event (UID), a higher SEQUENCE, so calendars update it.
    view = teams.get_team(db, team)
    assert view is not None
    invites.set_schedule(db, team, view.version, "weeks", 2, date(2027, 1, 6),
                         clock_time(14, 30), 45, "Room 12")
    again = invites.build(db, team, clock.now())
    event = next(iter(Calendar.from_ical(again.ics).walk("VEVENT")))
    assert str(event["UID"]) == uid and int(str(event["SEQUENCE"])) > sequence
    assert "T143000" in again.ics


# --- minutes -----------------------------------------------------------------------------


def _held_checkin(db: Database, team: int, clock: FakeClock) -> int:
    meeting = checkins.start(db, team, clock.now(), [("李明", "Counselor"), ("[/b]", "")],
                             [("王芳", "LCSW")])
    live = checkins.load(db, meeting.id)
    live.clock.toggle(clock.now())
    live = checkins.save_clock(db, live, clock)
    clock.advance(3600 + 125)
    checkins.end(db, live, clock)
    return meeting.id


def test_minutes_name_who_came_when_and_what_next(
        empty_target: Target, clock: FakeClock,
        open_db: Callable[[Target], Database]) -> None:
    db = open_db(empty_target)
    team = _team(db, clock)
    staff.rename_team(db, team, teams.active_team(db, clock).version, "Lincoln High")
    _schedule(db, team)
    meeting = _held_checkin(db, team, clock)
    with db.read() as session:
        rows = session.exec(select(MeetingAttendee).order_by(col(MeetingAttendee.id))).all()
    assert [(r.name, r.present) for r in rows] == [("李明", True), ("[/b]", True),
                                                   ("王芳", False)]
    text = minutes_doc.minutes_text(db, meeting, clock.now())
    assert "Mon 23 Nov 2026, 15:00 to 16:02" in text
    assert "Attended: 李明 (Counselor), [/b]" in text
    assert "Did not attend: 王芳 (LCSW)" in text
    assert "Next check-in: Wed 2 Dec 2026 at 15:00, Library" in text
    plain = minutes_doc.minutes_text(db, meeting, clock.now(), "txt")
    assert plain.startswith("Check-in minutes: Lincoln High\n==============================")
    assert "|" not in plain and "#" not in plain.split("Actions reviewed")[0]
    assert "Did not attend: 王芳 (LCSW)" in plain
    assert minutes_doc.filename(db, meeting) == "minutes-lincoln-high-2026-11-23.md"
    assert minutes_doc.filename(db, meeting, "txt") == "minutes-lincoln-high-2026-11-23.txt"


def test_two_checkins_on_one_day_get_two_file_names(
        empty_target: Target, clock: FakeClock,
        open_db: Callable[[Target], Database]) -> None:
    db = open_db(empty_target)
    team = _team(db, clock)
    staff.rename_team(db, team, teams.active_team(db, clock).version, "李明中学 #1?")
    first = _held_checkin(db, team, clock)
    second = _held_checkin(db, team, clock)
    assert minutes_doc.filename(db, first) == f"minutes-李明中学-1-2026-11-23-{first}.md"
    assert minutes_doc.filename(db, second) == f"minutes-李明中学-1-2026-11-23-{second}.md"


def test_time_corrected_by_hand_is_said() -> None:
    record = md.Minutes(
        team="T", held=datetime(2026, 11, 23, 15, tzinfo=UTC), state="ended",
        attendees=[], items=[md.ItemRecord("Review", 900, 600, "", by_clock=86_400.0),
                             md.ItemRecord("Plans", 900, 900, "")],
        created=[], changes=[], reviewed=[], carried=[],
        started=datetime(2026, 11, 23, 15, tzinfo=UTC),
        ended=datetime(2026, 11, 24, 15, 30, tzinfo=UTC))
    for text in (md.render(record), md.render_text(record)):
        assert "corrected by hand; the clock said 1440:00" in text
        assert text.count("corrected by hand") == 1
        assert "Mon 23 Nov 2026, 15:00 to Tue 24 Nov 2026, 15:30" in text
        assert "Attended: not recorded" in text and "Next check-in: Not scheduled yet." in text


def test_an_owner_written_over_two_lines_stays_on_its_actions_line() -> None:
    action = md.ActionRecord(7, "Call  home", "Ana\nLee", date(2026, 12, 1), "not started")
    record = md.Minutes(
        team="T", held=datetime(2026, 11, 23, 15, tzinfo=UTC), state="ended", attendees=[],
        items=[], created=[action], changes=[], reviewed=[], carried=[action])
    for text in (md.render(record), md.render_text(record)):
        assert text.count("- #7 Call home (Ana Lee, due 2026-12-01; not started)\n") == 2


def test_export_meeting_as_text_or_markdown(run: Run, empty_target: Target,
                                            clock: FakeClock,
                                            open_db: Callable[[Target], Database]) -> None:
    db = open_db(empty_target)
    meeting = _held_checkin(db, _team(db, clock), clock)
    code, out, _ = run("export", "meeting", str(meeting), "--format", "txt")
    assert code == 0 and out.startswith("Check-in minutes: My school\n")
    assert "Did not attend: 王芳 (LCSW)" in out
    code, out, _ = run("export", "meeting", "latest", "--format", "md")
    assert code == 0 and out.startswith("# Check-in minutes: My school")
    with pytest.raises(SystemExit) as exited:
        run("export", "meeting", "latest", "--format", "pdf")
    assert exited.value.code == 2


def test_minutes_say_which_time_was_corrected_by_hand(
        empty_target: Target, clock: FakeClock,
        open_db: Callable[[Target], Database]) -> None:
    from mhtui.store.checkins import checkin_clock

    db = open_db(empty_target)
    meeting = checkins.start(db, _team(db, clock), clock.now(), [("Ana", "")])
    live = checkins.load(db, meeting.id)
    live.clock.toggle(clock.now())
    live = checkins.save_clock(db, live, clock)
    clock.advance(20 * 3600)  # left running overnight
    live = checkin_clock.correct_spent(db, live, 0, 14 * 60, clock)
    checkins.end(db, live, clock)
    for fmt in ("md", "txt"):
        text = minutes_doc.minutes_text(db, meeting.id, clock.now(), fmt)
        assert "corrected by hand; the clock said 1200:00" in text
        assert text.count("corrected by hand") == 1


@pytest.mark.parametrize(("zone", "expected"), [("Europe/Berlin", "Europe/Berlin"),
                                                (":America/Chicago", "America/Chicago"),
                                                ("UTC", None), ("Etc/UTC", None)])
def test_the_calendar_zone_is_the_computers_unless_it_is_utc(
        zone: str, expected: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    from mhtui.core import invitation

    monkeypatch.setenv("TZ", zone)
    found = invitation.local_zone()
    if expected is not None:
        assert found == expected
    else:  # this machine's /etc may name a zone; it must never be UTC
        assert found not in ("UTC", "Etc/UTC")
    ics = invitation.calendar("u@x", "T", Schedule("monthly", date(2026, 12, 2)),
                              clock_time(15), 60, "", datetime(2026, 11, 1, tzinfo=UTC),
                              zone=found)
    assert ("DTSTART;TZID=" in ics) == (found is not None)
    assert "DTSTART:20261202T150000Z" not in ics


def test_team_is_found_in_any_case_and_spacing(run: Run) -> None:
    run("teams", "list")  # the first use makes "My school"
    assert run("teams", "rename", "My school", "Zoë Ünal High")[0] == 0
    assert run("staff", "add", "Ana", "--team", "  zoë  ünal HIGH ")[1] == (
        "added #1 Ana to Zoë Ünal High\n")
    assert run("staff", "list", "--team", "ZOË ÜNAL HIGH")[1].count("Ana") == 1
    code, _, err = run("staff", "list", "--team", "Zoe Unal High")  # accents matter here
    assert code == 2 and "No team called 'Zoe Unal High'" in err
