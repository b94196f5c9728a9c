"""The roster in the app: the roster screen, attendance at the start of a check-in,
owner suggestions, the team renamed, the dashboard's check-in in progress and the
minutes saved under the team's name and the day."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlmodel import col, select
from textual.widgets import Input, SelectionList

from mhtui.core.clock import FakeClock
from mhtui.store.checkins import checkins
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.models import MeetingAttendee
from mhtui.store.teams import staff, teams
from mhtui.ui.app import MHApp
from mhtui.ui.screens.action_form import ActionForm
from mhtui.ui.screens.confirm import ConfirmScreen
from mhtui.ui.screens.help import HelpScreen
from mhtui.ui.screens.meeting import MeetingScreen
from mhtui.ui.screens.minutes import MinutesScreen
from mhtui.ui.screens.roster import PersonForm, RosterScreen, TeamNameForm
from mhtui.ui.screens.start_form import StartForm
from tests.helpers import background_done, screen_lines, table_rows, text_of, until

SIZE = (100, 36)


def _shown(app: MHApp) -> str:
    return "\n".join(screen_lines(app))


async def test_add_edit_remove_people_and_rename_the_team(
        empty_target: Target, clock: FakeClock,
        open_db: Callable[[Target], Database]) -> None:
    app = MHApp(empty_target, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await background_done(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
        assert "No one on the roster yet. Press a to add the first person." in _shown(app)

        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, TeamNameForm)
        app.screen.query_one("#team-name", Input).value = "[b]Lincoln High"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.sub_title == "[b]Lincoln High"

        for name, role, email in (("李明", "School co", "li@school.org"),
                                  ("[/b] Zoë نور", "", "")):
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, PersonForm)
            await pilot.press(*name, "tab", *role)
            await pilot.pause()
            if role:
                await pilot.press("right")  # takes the grid role suggested
            await pilot.press("tab", *email, "enter")
            await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
        assert table_rows(app)[:2] == [
            ["1", "李明", "School counselor", "li@school.org", "yes"],
            ["2", "[/b] Zoë نور", "—", "—", "yes"]]

        # A bad email keeps the form open with the text in it; nothing is saved.
        await pilot.press("enter")  # edits the selected (the second) person
        await pilot.pause()
        assert isinstance(app.screen, PersonForm)
        app.screen.query_one("#person-email", Input).value = "zoe at school"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonForm)
        assert "'zoe at school' is not an email address" in text_of(app, "#person-error")
        app.screen.query_one("#person-email", Input).value = "zoe@school.org"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)

        await pilot.press("d")
        await pilot.pause()
        assert "Removed [/b] Zoë نور: past minutes keep the name" in text_of(
            app, "#roster-status")
        assert table_rows(app)[1][4] == "✗ removed"

        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = _shown(app)
        for key, words in (("a", "Add person"), ("e", "Edit"), ("d", "Remove/restore"),
                           ("N", "Rename team")):
            assert f"{key}  {words}" in help_text
    db = open_db(empty_target)
    team = teams.active_team(db, clock)
    assert team.name == "[b]Lincoln High"
    assert [(p.name, p.role, p.email, p.active) for p in staff.roster(db, team.id)] == [
        ("李明", "School counselor", "li@school.org", True),
        ("[/b] Zoë نور", "", "zoe@school.org", False)]


async def test_a_change_made_elsewhere_is_refused_on_the_roster(
        empty_target: Target, clock: FakeClock,
        open_db: Callable[[Target], Database]) -> None:
    db = open_db(empty_target)
    team = teams.active_team(db, clock)
    ana = staff.add(db, team.id, "Ana")
    app = MHApp(empty_target, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await background_done(pilot)
        await pilot.press("p")
        await pilot.pause()
        staff.edit(db, ana.id, ana.version, name="Ana Ruiz")  # another laptop
        await pilot.press("d")
        await pilot.pause()
        assert "someone else changed this person meanwhile" in _shown(app)
        assert table_rows(app)[0][1] == "Ana Ruiz"
    assert staff.roster(db, team.id)[0].active


async def test_attendance_is_ticked_from_the_roster(
        demo_target: Target, clock: FakeClock,
        open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await background_done(pilot)
        await pilot.press("c", "s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, StartForm)
        roster = form.query_one(SelectionList)
        assert len(roster.selected) == 4  # everyone active starts ticked
        await pilot.press("tab", "down", "space")  # Dev Patel is away
        await pilot.press("tab", *"maria lopez, LCSW", "enter", *"Guest [x], Nurse")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Listed twice: 'Maria Lopez'" in _shown(app)
        await pilot.press("n")
        await pilot.pause()
        back: object = app.screen
        assert back is form
        assert "Listed twice: 'Maria Lopez'. Untick or delete one" in text_of(
            app, "#start-error")
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        meeting_id = app.screen.meeting_id
    with open_db(demo_target).read() as session:
        rows = session.exec(select(MeetingAttendee).where(
            MeetingAttendee.meeting_id == meeting_id).order_by(col(MeetingAttendee.id))).all()
        recorded = [(r.name, r.role_name, r.present) for r in rows]
    assert recorded == [("Maria Lopez", "LCSW", True), ("Grace Kim", "Counselor", True),
                        ("John Smith", "Assistant principal", True),
                        ("Guest [x]", "Nurse", True), ("Dev Patel", "Counselor", False)]


async def test_owner_fields_suggest_roster_names(demo_target: Target,
                                                 clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await background_done(pilot)
        await pilot.press("t", "n")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        await pilot.press(*"Book the room", "tab", *"gr")
        await pilot.pause()
        owner = app.screen.query_one("#form-owner", Input)
        assert owner._suggestion == "Grace Kim"
        await pilot.press("right")
        assert owner.value == "Grace Kim"
        owner.value = ""
        await pilot.press(*"Someone new")  # free text still goes
        await pilot.pause()
        assert owner.value == "Someone new"


async def test_dashboard_says_a_checkin_is_in_progress_and_m_resumes_it(
        demo_target: Target, clock: FakeClock,
        open_db: Callable[[Target], Database]) -> None:
    db = open_db(demo_target)
    team = teams.active_team(db, clock)
    meeting = checkins.start(db, team.id, clock.now(), [("Ana", "")])
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await background_done(pilot)
        assert "▶ A check-in is in progress\nm resumes it" in text_of(app, "#next-checkin")
        assert _shown(app).splitlines()[-1].startswith("m Resume c Check-in")  # footer
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.meeting_id == meeting.id
        await pilot.press("e", "y")
        await pilot.pause()
        assert isinstance(app.screen, MinutesScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert "in progress" not in text_of(app, "#next-checkin")
        assert "m Resume" not in _shown(app)


async def test_minutes_are_saved_under_the_team_and_the_day(
        demo_target: Target, clock: FakeClock, private_dirs: Path,
        open_db: Callable[[Target], Database]) -> None:
    db = open_db(demo_target)
    team = teams.active_team(db, clock)
    meeting = checkins.start(db, team.id, clock.now(), [("Maria Lopez", "LCSW")],
                             [("Dev Patel", "Counselor")])
    live = checkins.load(db, meeting.id)
    checkins.end(db, live, clock)
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await background_done(pilot)
        app.show_minutes(meeting.id)
        for _ in range(50):  # the Markdown widget lays itself out over a few frames
            await pilot.pause()
            if "Did not attend: Dev Patel (Counselor)" in _shown(app):
                break
        assert "Did not attend: Dev Patel (Counselor)" in _shown(app)
        await pilot.press("s", "t")
        await pilot.pause()
    exports = private_dirs / "data" / "mhtui" / "exports"
    md = exports / "minutes-lincoln-high-school-2026-11-23.md"
    txt = exports / "minutes-lincoln-high-school-2026-11-23.txt"
    assert md.read_text().startswith("# Check-in minutes: Lincoln High School")
    assert txt.read_text().startswith("Check-in minutes: Lincoln High School\n====")
    assert "Did not attend: Dev Patel (Counselor)" in txt.read_text()


async def test_names_show_as_typed_on_the_roster_and_in_the_palette(
        empty_target: Target, clock: FakeClock,
        open_db: Callable[[Target], Database]) -> None:
    from tests.helpers import clickable_text

    db = open_db(empty_target)
    team = teams.active_team(db, clock)
    hostile = ["[red]Ana", "[@click=app.quit]x", "[/b]", "نور الهدى", "Zoë 👩‍🏫"]
    for name in hostile:
        staff.add(db, team.id, name, role="[b]role")
    app = MHApp(empty_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await background_done(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "go: roster" in titles and "team: rename" in titles
        await pilot.press("p")
        # The roster is read in a worker: its rows are drawn when the read lands.
        await until(pilot, lambda: hostile[0] in _shown(app), "the roster's rows")
        assert [row[1] for row in table_rows(app)] == hostile
        shown = _shown(app)
        for name in hostile[:4]:
            assert name in shown
        assert "[b]role" in shown and not clickable_text(app)
        await pilot.press("escape", "c", "s")
        await pilot.pause()
        assert isinstance(app.screen, StartForm)
        shown = _shown(app)
        assert "[red]Ana ([b]role)" in shown and "[@click=app.quit]x ([b]role)" in shown
        assert not clickable_text(app)
