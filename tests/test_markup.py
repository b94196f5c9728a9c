"""Text is text, everywhere: what people type or import shows exactly as typed.

Textual and Rich read square brackets as markup. A stored "[/b]" would stop the app at
start (MarkupError), "[red]Ana" would show a red "Ana", "Review [draft] budget" would
lose a word and "[@click=app.quit]" would become a button. Every field of a database is
filled here with such text; every screen is opened and must show it verbatim, with no
link or click action anywhere, and the app must still be running.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import col, select
from textual.widgets import DataTable, Input, TextArea

from mhtui.cli import main
from mhtui.core.allocation import Row
from mhtui.core.clock import FakeClock
from mhtui.core.statuses import Status
from mhtui.store.actions import actions
from mhtui.store.actions.actions import Fields
from mhtui.store.checkins import checkins
from mhtui.store.database import opening
from mhtui.store.database.target import Target
from mhtui.store.grid import grid, shift_plans
from mhtui.store.models import (
    AgendaTemplateItem,
    Capability,
    MeetingItem,
    Role,
    Staff,
    Task,
    TaskCategory,
    Team,
)
from mhtui.store.reflections import reflection_edit
from mhtui.store.reflections.reflection_edit import Draft
from mhtui.store.teams import teams
from mhtui.ui.app import MHApp
from mhtui.ui.screens.agenda_editor import AgendaEditor
from mhtui.ui.screens.capacity import CapacityScreen
from mhtui.ui.screens.checkin import CheckinScreen, StartForm
from mhtui.ui.screens.confirm import ConfirmScreen
from mhtui.ui.screens.dashboard import DashboardScreen
from mhtui.ui.screens.grid import GridScreen
from mhtui.ui.screens.help import HelpScreen
from mhtui.ui.screens.invite import InviteScreen
from mhtui.ui.screens.meeting import MeetingScreen
from mhtui.ui.screens.minutes import MinutesScreen
from mhtui.ui.screens.prompt import PromptScreen
from mhtui.ui.screens.reflection import ReflectionScreen
from mhtui.ui.screens.reflection_form import ReflectionForm
from mhtui.ui.screens.rollup import RollupScreen
from mhtui.ui.screens.shift_plan import PlansScreen, ShiftPlanScreen
from mhtui.ui.screens.since import SinceScreen
from mhtui.ui.screens.teams import TeamPicker
from mhtui.ui.screens.tracker import TrackerScreen
from mhtui.ui.widgets.line_table import LineTable
from tests.conftest import MakeTarget, TemplateTarget
from tests.helpers import clickable_text, db_arg, loaded, screen_lines, table_rows, until

FIX = "Fix [/b] tags in the [draft] plan"
REVIEW = "Review [draft] budget"
RED = "[red]Ana"
CLICK = "[@click=app.quit]Click"
LINK = "[link=x]y"
SLASH = "\\[ and \\"
BOLD = "Zoë [b]bold"
TEAM = "Zoë [b]bold [/] team"
OTHER_TEAM = CLICK
SAMPLES = (FIX, REVIEW, RED, CLICK, LINK, SLASH, BOLD)

BUILT_AT = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)  # a week before FakeClock's today


@dataclass(frozen=True)
class Ids:
    team: int
    first_meeting: int
    task: int


def _build(target: Target) -> Ids:
    """Markup-like text in every field a person or a file can fill."""
    db = opening.connect(target)
    clock = FakeClock(BUILT_AT)
    try:
        team = teams.create_team(db, TEAM, clock)
        teams.create_team(db, OTHER_TEAM, clock)
        assert team.id is not None
        teams.set_active_team(db, team.id)
        # Written straight to the tables where a store function would only add ceremony
        # (versions, checks): what matters here is what the screens make of the text.
        data = grid.load(db, team.id)
        category, tasks = data.categories[0]
        task = tasks[0]
        roles = {r.name: r for r in data.roles}
        constrained = roles["Licensed clinical provider (e.g. LCSW)"]
        ready = roles["Family engagement specialist"]
        trainable = roles["Administrator"]
        assert task.id and constrained.id and ready.id and trainable.id
        with db.write() as session:
            session.add(Staff(team_id=team.id, name=RED, role_name=LINK,
                              email="ana@example.org"))
            row = session.get(Team, team.id)
            assert row is not None
            row.cadence, row.next_checkin_on, row.weekday = "monthly", date(2026, 12, 2), 2
            row.start_time, row.place, row.enrollment = "15:00", LINK, 1000
            session.add(row)
            # The agenda: every title and question.
            items = session.exec(select(AgendaTemplateItem).where(
                AgendaTemplateItem.team_id == team.id).order_by(
                col(AgendaTemplateItem.position))).all()
            for item, title in zip(items, (FIX, CLICK, BOLD), strict=True):
                item.title, item.questions = title, f"{RED}?\n{SLASH}\n{LINK}"
                session.add(item)
            # The grid: category, task, roles, cells, marks and capacity.
            for model, key, values in (
                    (TaskCategory, category.id, {"name": "Odd [/b]"}),
                    (Task, task.id, {"name": FIX, "to_shift": True}),
                    (Role, constrained.id, {"name": LINK, "capacity_constrained": True}),
                    (Role, ready.id, {"name": BOLD, "fte": 1.0, "ratio_kind": "counselor"}),
                    (Role, trainable.id, {"name": SLASH})):
                thing = session.get(model, key)
                assert thing is not None
                for name, value in values.items():
                    setattr(thing, name, value)
                session.add(thing)
            session.add(Capability(task_id=task.id, role_id=ready.id, value="yes"))
            session.add(Capability(task_id=task.id, role_id=trainable.id, value="training"))
        plan = shift_plans.get_or_create(db, task.id, clock)
        assert plan.id is not None
        shift_plans.save(db, plan.id, plan.version, {
            "roles": RED, "when": CLICK, "communication": BOLD, "staffing": SLASH,
            "training": LINK, "other_steps": REVIEW}, "draft", clock)

        # A check-in held a week ago: attendees, notes and an action set in it.
        first = checkins.start(db, team.id, BUILT_AT, [(RED, LINK), (BOLD, "")])
        assert first.id is not None
        with db.write() as session:
            meeting_items = session.exec(select(MeetingItem).where(
                MeetingItem.meeting_id == first.id).order_by(col(MeetingItem.position))).all()
            for meeting_item, notes in zip(meeting_items, (f"{CLICK} said {SLASH}", LINK, RED),
                                           strict=True):
                meeting_item.notes = notes
                session.add(meeting_item)
        actions.create(db, team.id, Fields(REVIEW, BOLD, date(2026, 12, 20)), clock,
                       meeting_id=first.id)
        clock.advance(3600)
        checkins.end(db, checkins.load(db, first.id), clock)

        # Since then: actions with odd text and owners, changed and edited.
        clock.advance(24 * 3600)
        fix = actions.create(db, team.id, Fields(FIX, RED, date(2026, 11, 20)), clock)
        assert fix.id is not None
        actions.set_status(db, fix.id, fix.version, Status.IN_PROGRESS, clock)
        link = actions.create(db, team.id, Fields(LINK, SLASH, date(2026, 12, 1)), clock)
        assert link.id is not None
        actions.edit(db, link.id, link.version, Fields(LINK, CLICK, date(2026, 12, 1)), clock)

        # Reflections: one submitted (for the roll-up), one draft with a bad share.
        done = reflection_edit.new_draft(db, team.id, Draft(
            date(2026, 11, 18), RED, LINK, support_needed=FIX, barriers=CLICK,
            rows=[Row(BOLD, "100", "100", SLASH)]), clock)
        assert done.id is not None
        reflection_edit.submit(db, done.id, done.version, clock)
        reflection_edit.link(db, done.id, "barriers", fix.id)
        reflection_edit.new_draft(db, team.id, Draft(
            date(2026, 11, 19), SLASH, BOLD, support_needed=REVIEW, barriers=RED,
            rows=[Row(CLICK, "[b]x", "", LINK)]), clock)
        return Ids(team.id, first.id, task.id)
    finally:
        db.close()


@pytest.fixture
def marked(template_target: TemplateTarget,
           make_target: MakeTarget) -> Iterator[tuple[Target, Ids]]:
    """A fresh copy of the markup database (built once per worker)."""
    source, ids = template_target("markup", _build)
    yield make_target("markup.db", copy_of=source), ids


# --- reading the screen -------------------------------------------------------------


def _screen(app: MHApp) -> str:
    return "\n".join(screen_lines(app))


def expect(app: MHApp, *values: str) -> None:
    """Each value on screen exactly as typed; nothing clickable; the app still running."""
    assert app.is_running and app.return_code is None, "the app stopped"
    text = _screen(app)
    missing = [v for v in values if v not in text]
    assert not missing, f"not shown verbatim: {missing!r} on {type(app.screen).__name__}:\n{text}"
    assert clickable_text(app) == []


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.pause()


async def keys(pilot: Any, *names: str) -> None:
    for name in names:
        await pilot.press(name)
        await settle(pilot)


def _cells(app: MHApp, selector: str = "DataTable, LineTable") -> list[str]:
    return [c for row in table_rows(app, selector) for c in row]


# --- the app ------------------------------------------------------------------------


async def test_dashboard_tracker_since_and_palette(marked: tuple[Target, Ids]) -> None:
    target, _ = marked
    app = MHApp(target, clock=FakeClock())
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        expect(app, f"mhtui · dashboard — {TEAM}", FIX, RED, f"▲ {LINK}")

        await keys(pilot, "t")
        assert isinstance(app.screen, TrackerScreen)
        expect(app, TEAM, FIX, RED, LINK, REVIEW, BOLD)  # long ones are cut in the table
        assert {RED, LINK, REVIEW, BOLD} <= set(_cells(app))
        table = app.screen.query_one(LineTable)
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await settle(pilot)
            shown = _screen(app)
            action = app.screen.selected()
            assert action is not None
            assert action.text in shown and action.owner in shown
        table.move_cursor(row=_cells(app)[2::8].index(LINK))
        await settle(pilot)
        expect(app, f"owner: {SLASH} →", CLICK)  # the history line of the edit (wrapped)

        await keys(pilot, "delete")
        assert isinstance(app.screen, ConfirmScreen)
        expect(app, "Delete this action?", LINK)
        await keys(pilot, "n")

        await keys(pilot, "slash")
        for char in "[red]":
            await pilot.press(char)
        await keys(pilot, "enter")
        expect(app, "filter: “[red]”", FIX, RED)
        assert "[red]" in app.screen.query_one("#tracker-filter", Input).value

        await pilot.press("l")
        await app.workers.wait_for_complete()  # the changes are read in a worker
        await settle(pilot)
        assert isinstance(app.screen, SinceScreen)
        expect(app, FIX, RED, LINK, CLICK)  # the owners in their own column
        await keys(pilot, "escape")

        await keys(pilot, "ctrl+p")
        for char in "team":
            await pilot.press(char)
        await until(pilot, lambda: f"team: switch to {OTHER_TEAM}" in _screen(app),
                    "the palette's hits")
        expect(app, f"team: switch to {OTHER_TEAM}")
        await keys(pilot, "escape")
        assert app.is_running and app.return_code is None


async def test_checkin_agenda_meeting_and_minutes(marked: tuple[Target, Ids]) -> None:
    target, ids = marked
    app = MHApp(target, clock=FakeClock())
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await keys(pilot, "c")
        assert isinstance(app.screen, CheckinScreen)
        expect(app, f"1. {FIX} (", f"2. {CLICK} (", f"3. {BOLD} (")

        await keys(pilot, "a")
        assert isinstance(app.screen, AgendaEditor)
        expect(app, FIX, CLICK, BOLD, f"• {RED}?", f"• {SLASH}", f"• {LINK}")
        await keys(pilot, "delete")
        assert isinstance(app.screen, ConfirmScreen)
        expect(app, f"Remove {FIX!r} from the agenda?")
        await keys(pilot, "n", "e")
        assert app.screen.query_one("#item-title", Input).value == FIX
        await keys(pilot, "escape", "escape")

        await keys(pilot, "s")
        assert isinstance(app.screen, StartForm)
        expect(app, f"{RED} ({LINK})")  # ticked on the roster's attendance list
        await keys(pilot, "ctrl+s")
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen)
        expect(app, f"Item 1 of 3: {FIX}", f"• {RED}?", f"• {SLASH}", f"• {LINK}",
               f"1. {FIX} ", f"2. {CLICK} ", f"3. {BOLD} ", FIX, RED, LINK)
        assert {FIX, RED, LINK} <= set(_cells(app, "#review-table"))

        await keys(pilot, "n")
        expect(app, f"Item 2 of 3: {CLICK}", LINK, f"Needs ({RED}): {FIX}",
               f"Barrier ({RED}): {CLICK}", BOLD)

        await keys(pilot, "n")
        actions.create(app.db, ids.team, Fields(REVIEW, SLASH, date(2026, 12, 4)),
                       app.clock, meeting_id=meeting.meeting_id)
        shown = meeting.loads
        meeting.refresh_from_store()  # as when another laptop adds an action
        await loaded(pilot, meeting, shown)
        await settle(pilot)
        expect(app, f"Item 3 of 3: {BOLD}", f"{REVIEW} ({SLASH}, due 2026-12-04)")

        await keys(pilot, "e")
        assert isinstance(app.screen, ConfirmScreen)
        await keys(pilot, "y")
        assert isinstance(app.screen, MinutesScreen)
        expect(app, TEAM, FIX, CLICK, BOLD, REVIEW)

        app.show_minutes(ids.first_meeting)
        await settle(pilot)
        # The minutes are Markdown, where "\[" is how a bracket is written: the rest
        # of the notes must read as typed.
        expect(app, f"{RED} ({LINK})", f"{CLICK} said", LINK, RED, REVIEW, BOLD)


async def test_reflections_form_and_rollup(marked: tuple[Target, Ids]) -> None:
    target, _ = marked
    app = MHApp(target, clock=FakeClock())
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await keys(pilot, "r")
        assert isinstance(app.screen, ReflectionScreen)
        expect(app, LINK, RED, CLICK, SLASH, BOLD)

        table = app.screen.query_one(DataTable)
        table.move_cursor(row=_cells(app)[5::6].index(RED))  # the draft
        await keys(pilot, "enter")
        form = app.screen
        assert isinstance(form, ReflectionForm)
        assert form.query_one("#r-name", Input).value == SLASH
        assert form.query_one("#r-role", Input).value == BOLD
        assert form.query_one("#r-support", TextArea).text == REVIEW
        assert form.query_one("#r-barriers", TextArea).text == RED
        expect(app, "'[b]x' is not a percentage", CLICK, LINK)
        await keys(pilot, "escape")

        await pilot.press("v")
        await app.workers.wait_for_complete()  # the roll-up is read in a worker
        await settle(pilot)
        assert isinstance(app.screen, RollupScreen)
        expect(app, f"{LINK} 1", f"Needs ({RED}): {FIX}", f"Barrier ({RED}): {CLICK}",
               "(addressed by action #", BOLD)


async def test_grid_plans_capacity_and_dialogs(marked: tuple[Target, Ids]) -> None:
    target, ids = marked
    app = MHApp(target, clock=FakeClock())
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await keys(pilot, "g")
        screen = app.screen
        assert isinstance(screen, GridScreen)
        task, data = screen.current_task(), screen.data
        assert task is not None and task.id == ids.task and data is not None
        expect(app, "Odd [/b]", FIX, f"▲ {LINK}", BOLD, SLASH,
               f"✓ ready now: {BOLD}", f"◐ with training: {SLASH}")
        table = screen.table
        table.move_cursor(column=table.get_column_index(f"role-{data.roles[3].id}"))
        await keys(pilot, "y")
        expect(app, f"Saved: {FIX} × {BOLD}: Yes.")

        await keys(pilot, "f1")  # our own help names the keys "[" and "]": text too
        assert isinstance(app.screen, HelpScreen)
        expect(app, "[ and ] move a role", "[  Role left", "]  Role right")
        await keys(pilot, "escape")

        await keys(pilot, "a")
        assert isinstance(app.screen, PromptScreen)
        expect(app, "New task to 'Odd [/b]'")
        await keys(pilot, "escape")

        await keys(pilot, "delete")
        assert isinstance(app.screen, ConfirmScreen)
        expect(app, f"Delete the task {FIX!r}?")
        await keys(pilot, "n")

        await keys(pilot, "P")
        assert isinstance(app.screen, ShiftPlanScreen)
        expect(app, FIX, f"{BOLD} (ready now)", SLASH)
        values = {area.id: area.text for area in app.screen.query(TextArea)}
        assert values["plan-roles"] == RED and values["plan-staffing"] == SLASH
        await keys(pilot, "escape")

        await keys(pilot, "L")
        assert isinstance(app.screen, PlansScreen)
        expect(app, FIX, RED)
        await keys(pilot, "escape")

        await keys(pilot, "f")
        assert isinstance(app.screen, CapacityScreen)
        expect(app, LINK, BOLD, SLASH, f"{BOLD}: 1,000 students per staff member")
        box = app.screen.query_one(f"#fte-{data.roles[3].id}", Input)
        box.value = "[b]1"
        await keys(pilot, "ctrl+s")
        expect(app, f"FTE '[b]1' for {BOLD} is not a number")
        await keys(pilot, "escape")


async def test_invite_teams_help_and_toasts(marked: tuple[Target, Ids]) -> None:
    target, _ = marked
    app = MHApp(target, clock=FakeClock())
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        await settle(pilot)
        await keys(pilot, "c", "i")
        assert isinstance(app.screen, InviteScreen)
        expect(app, TEAM, LINK)
        await keys(pilot, "n")
        expect(app, f"For: {RED}")
        await keys(pilot, "escape", "escape")

        await keys(pilot, "s")
        assert isinstance(app.screen, TeamPicker)
        expect(app, f"● {TEAM}", f"  {OTHER_TEAM}")
        await keys(pilot, "n")
        app.screen.query_one("#team-new", Input).value = "[b]New[/b] [link=y]team"
        await keys(pilot, "enter")
        await until(pilot, lambda: "Created team" in _screen(app), "the new team's notice")
        expect(app, "Created team '[b]New[/b] [link=y]team'")

        await keys(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        expect(app, "Keys on this screen")
        await keys(pilot, "escape")

        shown = _screen(app).count(BOLD)
        app.notify(f"{CLICK} {RED}", title=BOLD)
        await until(pilot, lambda: _screen(app).count(BOLD) > shown, "the notice on screen")
        expect(app, f"{CLICK} {RED}", BOLD)


# --- the command line ---------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_cli_prints_text_as_typed(marked: tuple[Target, Ids],
                                  capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    target, _ = marked
    monkeypatch.setenv("COLUMNS", "200")
    db = ["--db", db_arg(target)]
    table = _cli(capsys, *db, "actions", "list")
    for value in (FIX, RED, LINK, CLICK, REVIEW, BOLD):
        assert value in table
    rows = json.loads(_cli(capsys, *db, "actions", "list", "--format", "json"))
    assert {(r["action"], r["owner"]) for r in rows} >= {(FIX, RED), (LINK, CLICK)}
    csv_text = _cli(capsys, *db, "actions", "list", "--format", "csv")
    assert FIX in csv_text and RED in csv_text
    assert TEAM in _cli(capsys, *db, "meetings", "list")
    info = _cli(capsys, *db, "info")
    assert TEAM in info and OTHER_TEAM in info and f"active team: {TEAM}" in info



@pytest.mark.parametrize("sample", SAMPLES)
def test_each_sample_is_changed_or_refused_by_markup(sample: str) -> None:
    """Else this file would test nothing: each sample, read as markup, is not itself."""
    from rich.markup import render
    from textual.content import Content

    parsers: tuple[Callable[[str], str], ...] = (lambda s: Content.from_markup(s).plain,
                                                 lambda s: render(s).plain)
    for parse in parsers:
        try:
            assert parse(sample) != sample
        except Exception as error:  # refused: as good as changed here
            assert "markup" in type(error).__name__.lower() or "closing tag" in str(error)
