"""A whole check-in by keyboard in a real pseudo-terminal, as a facilitator does it for
a new team: create the team, its roster, the schedule and the invitations, start the
check-in with one person away, run it, set an action for someone on the roster, end it
and save the minutes to send. Keys go in bursts (a form and what is typed into it in
one write), at the projector's size and at 80x24."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from bench.terminal import Terminal
from mhtui.core.clock import SystemClock, local_today
from mhtui.core.slug import slug
from mhtui.store.database import opening
from mhtui.store.database.target import Target
from mhtui.store.models import Action, Meeting, MeetingAttendee
from mhtui.store.teams import staff, teams
from tests.conftest import InTerminal
from tests.helpers import lone_escape, settled

TEAM = "Lincoln High [9-12]"
PEOPLE = (("李明", "School counselor", "li@school.org"),
          ("王芳", "LCSW", "wang@school.org"),
          ("Zoë 👩‍🏫 Ünal", "Teacher", ""))


def _step(term: Terminal, marker: str, *keys: str) -> None:
    """Write ``keys`` in one burst and wait until ``marker`` is on screen."""
    since = term.offset
    term.burst(*keys)
    term.wait_for(marker, since)
    settled(term)


def _back(term: Terminal, times: int = 1) -> None:
    """Esc on its own: an Esc written together with the next key reads as Alt+key, as
    in any terminal."""
    for _ in range(times):
        lone_escape(term)


@pytest.mark.parametrize("size", [(200, 50), (80, 24)], ids=["projector", "small"])
def test_a_whole_checkin_by_keyboard(in_terminal: InTerminal, empty_target: Target,
                                     private_dirs: Path, size: tuple[int, int],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")  # the school's zone, in the calendar
    time.tzset()
    term = in_terminal(empty_target, size)
    # From the app's today (the real clock's, as the app reads it), never a fixed date.
    first = (local_today(SystemClock()) + timedelta(days=14)).isoformat()

    # A new team (s: teams, n: a new name) and its roster (p), each person in one burst.
    _step(term, "Created team", "s", "n", TEAM, "enter")
    _step(term, "No one on the roster", "p")
    for name, role, email in PEOPLE:
        _step(term, "Added", "a", name, "tab", role, "tab", email, "enter")
    _back(term)
    _step(term, "2 with an email", "p")
    _back(term)

    # The schedule (S) and the invitations (i, s saves them).
    _step(term, "Schedule", "c")
    _step(term, "Schedule saved", "S", first, "ctrl+s")
    _back(term)
    _step(term, "For: everyone", "i")
    _step(term, "Saved 4 files", "s")
    _back(term)

    # Start: everyone ticked; the second person is away. Then run the three items.
    _step(term, "Who is here?", "s")
    _step(term, "Item 1 of", "tab", "down", " ", "ctrl+s")
    _step(term, "RUNNING", " ")
    _step(term, "Item 3 of", "n", "n")
    _step(term, "Saved: action", "a", "Book the east wing room", "tab", "李", "right",
          "tab", "+2w", "ctrl+s")

    # End, and save the minutes as Markdown and as text to paste into an email.
    _step(term, "Did not attend", "e", "y")
    _step(term, ".md", "s")
    _step(term, ".txt", "t")
    assert term.quit() == 0

    db = opening.connect(empty_target)
    try:
        team = teams.find_team(db, TEAM)
        assert team is not None
        people = staff.roster(db, team.id)
        assert [(p.name, p.role, p.email) for p in people] == list(PEOPLE)
        with db.read() as session:
            meeting = session.exec(select(Meeting).where(Meeting.team_id == team.id)).one()
            attendance = [(a.name, a.present) for a in session.exec(
                select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting.id)
                .order_by(col(MeetingAttendee.id)))]
            action = session.exec(select(Action).where(Action.team_id == team.id)).one()
            held = (meeting.started_at or meeting.scheduled_at).astimezone().date()
            assert meeting.state == "ended" and meeting.ended_at is not None
            assert (action.text, action.owner, action.meeting_id) == (
                "Book the east wing room", "李明", meeting.id)
    finally:
        db.close()
    assert attendance == [("李明", True), ("Zoë 👩‍🏫 Ünal", True), ("王芳", False)]

    data = private_dirs / "data" / "mhtui" / "exports"
    invitations = data / "invitations" / slug(TEAM)
    assert sorted(p.name for p in invitations.iterdir()) == [
        "checkins.ics", "invitation-everyone.txt", "invitation-李明.txt",
        "invitation-王芳.txt"]
    assert "DTSTART;TZID=America/New_York:" in (invitations / "checkins.ics").read_text()
    name = f"minutes-lincoln-high-9-12-{held.isoformat()}"
    text = (data / f"{name}.txt").read_text()
    assert text.startswith(f"Check-in minutes: {TEAM}\n")
    assert "Attended: 李明 (School counselor), Zoë 👩‍🏫 Ünal (Teacher)" in text
    assert "Did not attend: 王芳 (LCSW)" in text
    next_day = date.fromisoformat(first)
    assert f"Next check-in: {next_day:%a} {next_day.day} {next_day:%b %Y} at 15:00" in text
    assert "- #1 Book the east wing room (李明, due" in text
    assert (data / f"{name}.md").read_text().startswith(f"# Check-in minutes: {TEAM}")
    assert SystemClock().now().date() - held < timedelta(days=2)
