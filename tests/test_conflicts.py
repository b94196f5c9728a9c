"""No edit overwrites another unseen (issue 12, part 4).

Two copies of mhtui (or the app and the command line) on one database: each change names
the version of the row its screen showed, and a change based on an older version is
refused with a one-line ConflictError, nothing written, the other person's value kept.
First through the store with two connections, then through two apps by their keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from textual.app import App
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.core.merge import keep_both
from mhtui.core.statuses import Status
from mhtui.store.actions import actions
from mhtui.store.actions.actions import ActionItem
from mhtui.store.checkins import agenda, checkins, invites
from mhtui.store.checkins.agenda import Agenda
from mhtui.store.database.conflict import ConflictError
from mhtui.store.database.db import Database
from mhtui.store.database.dbfile import StorageProblem
from mhtui.store.database.target import Target
from mhtui.store.grid import grid, grid_edit, shift_plans
from mhtui.store.models import (
    Action,
    AgendaTemplateItem,
    Capability,
    Meeting,
    MeetingItem,
    Reflection,
    Role,
    ShiftPlan,
    Staff,
    Task,
    TaskCategory,
    Team,
)
from mhtui.store.reflections import reflection_edit
from mhtui.store.reflections.reflection_edit import Draft
from mhtui.ui.app import MHApp
from mhtui.ui.screens.grid import GridScreen
from mhtui.ui.screens.invite import ScheduleScreen
from mhtui.ui.screens.meeting import MeetingScreen
from mhtui.ui.screens.shift_plan import ShiftPlanScreen
from tests.helpers import db_arg, table_rows, text_of

TwoDbs = tuple[Database, Database]


@pytest.fixture
def two(demo_target: Target, open_db: Callable[[Target], Database]) -> TwoDbs:
    """Two connections to one file, as two copies of the app would hold."""
    return open_db(demo_target), open_db(demo_target)


def _task(db: Database, name: str) -> Task:
    with db.read() as session:
        return session.exec(select(Task).join(TaskCategory).where(
            TaskCategory.team_id == 1, col(Task.name).startswith(name))).one()


def _role(db: Database, name: str) -> Role:
    with db.read() as session:
        return session.exec(select(Role).where(Role.team_id == 1, Role.name == name)).one()


def _get(db: Database, model: Any, row_id: int | None) -> Any:
    with db.read() as session:
        return session.get(model, row_id)


def _refused(write: Callable[[], object]) -> ConflictError:
    with pytest.raises(ConflictError) as caught:
        write()
    assert isinstance(caught.value, StorageProblem)  # so every key path reports it
    assert "\n" not in str(caught.value)
    return caught.value


# --- the store, two connections ---------------------------------------------------------


def test_grid_cell(two: TwoDbs) -> None:
    a, b = two
    task, role = _task(a, "Screening"), _role(a, "Teacher")
    assert task.id is not None and role.id is not None
    seen = grid.load(a, 1).stamps[(task.id, role.id)]  # A reads the cell
    b_seen = grid.load(b, 1).stamps[(task.id, role.id)]
    grid_edit.set_cell(b, task.id, role.id, "training", b_seen)  # B writes
    error = _refused(lambda: grid_edit.set_cell(a, task.id or 0, role.id or 0, "no", seen))
    assert "the cell 'Screening' × Teacher" in str(error) and "◐ With training" in str(error)
    assert grid.load(a, 1).cells[(task.id, role.id)] == "training"
    # Clearing based on the old version is refused too, and so is setting a cell that
    # was not assessed when read but has been since.
    _refused(lambda: grid_edit.set_cell(a, task.id or 0, role.id or 0, None, seen))
    other = _task(a, "Threat assessment")
    assert other.id is not None
    key = (other.id, role.id)
    grid_edit.set_cell(b, other.id, role.id, None, grid.load(b, 1).stamps[key])
    assert key not in grid.load(a, 1).cells  # A sees it not assessed
    grid_edit.set_cell(b, other.id, role.id, "yes", None)
    _refused(lambda: grid_edit.set_cell(a, other.id or 0, role.id or 0, "no", None))
    assert grid.load(a, 1).cells[key] == "yes"


def test_grid_cell_cleared_and_set_again_is_not_the_cell_read(two: TwoDbs) -> None:
    a, b = two
    task, role = _task(a, "Screening"), _role(a, "Teacher")
    assert task.id is not None and role.id is not None
    seen = grid.load(a, 1).stamps[(task.id, role.id)]
    grid_edit.set_cell(b, task.id, role.id, None, grid.load(b, 1).stamps[(task.id, role.id)])
    grid_edit.set_cell(b, task.id, role.id, "yes", None)  # a new row, at version 1 again
    _refused(lambda: grid_edit.set_cell(a, task.id or 0, role.id or 0, "no", seen))
    assert grid.load(a, 1).cells[(task.id, role.id)] == "yes"


@pytest.mark.sqlite_only("SQLite gives the highest id out again after a delete; a "
                         "PostgreSQL sequence never reuses one")
def test_the_newest_cell_cleared_and_set_again_gets_its_id_back_but_not_its_version(
        two: TwoDbs) -> None:
    """SQLite gives the highest id out again once its row is deleted: the cell made last,
    cleared and set again by B, is the same id; A's stamp of it must still be refused."""
    a, b = two
    task, role = _task(a, "Screening"), _role(a, "Teacher")
    assert task.id is not None and role.id is not None
    key = (task.id, role.id)
    stamp = grid.load(b, 1).stamps.get(key)
    if stamp is not None:
        grid_edit.set_cell(b, task.id, role.id, None, stamp)
    made = grid_edit.set_cell(b, task.id, role.id, "yes", None)  # now the highest id
    seen = grid.load(a, 1).stamps[key]
    assert seen == made
    grid_edit.set_cell(b, task.id, role.id, None, made)
    again = grid_edit.set_cell(b, task.id, role.id, "training", None)
    assert again is not None and made is not None and again[0] == made[0]  # id reused
    _refused(lambda: grid_edit.set_cell(a, task.id or 0, role.id or 0, "no", seen))
    assert grid.load(a, 1).cells[key] == "training"


def test_task_marks(two: TwoDbs) -> None:
    a, b = two
    seen = _task(a, "Crisis intervention")
    assert seen.id is not None
    grid_edit.toggle_task_mark(b, seen.id, _task(b, "Crisis intervention").version, "to_shift")
    _refused(lambda: grid_edit.toggle_task_mark(a, seen.id or 0, seen.version, "to_shift"))
    assert _task(a, "Crisis intervention").to_shift is True  # B's mark not undone
    _refused(lambda: grid_edit.toggle_task_mark(a, seen.id or 0, seen.version, "priority"))


def test_role_constrained_rename_move_delete(two: TwoDbs) -> None:
    a, b = two
    seen = _role(a, "Teacher")
    assert seen.id is not None
    grid_edit.rename(b, "role", seen.id, _role(b, "Teacher").version, "Classroom teacher")
    for write in (lambda: grid_edit.toggle_constrained(a, seen.id or 0, seen.version),
                  lambda: grid_edit.rename(a, "role", seen.id or 0, seen.version, "Teachers"),
                  lambda: grid_edit.move(a, "role", seen.id or 0, seen.version, -1),
                  lambda: grid_edit.remove(a, "role", seen.id or 0, seen.version)):
        error = _refused(write)
        assert "'Classroom teacher'" in str(error)
    now = _get(a, Role, seen.id)
    assert (now.name, now.capacity_constrained, now.position) == (
        "Classroom teacher", seen.capacity_constrained, seen.position)
    # Deleting as asked ("N assessed cells will be lost") is refused if cells came since.
    screening = _task(b, "Screening")
    assert screening.id is not None
    key = (screening.id, seen.id)
    grid_edit.set_cell(b, screening.id, seen.id, None, grid.load(b, 1).stamps[key])
    cells = grid_edit.cells_in(a, "role", seen.id)  # what A is asked about
    grid_edit.set_cell(b, screening.id, seen.id, "yes", None)
    error = _refused(lambda: grid_edit.remove(a, "role", seen.id or 0, now.version, cells))
    assert f"{cells + 1} assessed cells" in str(error)
    assert _get(a, Role, seen.id) is not None


def test_categories_and_tasks_rename_move_delete(two: TwoDbs) -> None:
    a, b = two
    with a.read() as session:
        category = session.exec(select(TaskCategory).where(TaskCategory.team_id == 1)
                                .order_by(col(TaskCategory.position))).first()
    assert category is not None and category.id is not None
    grid_edit.rename(b, "category", category.id, category.version, "Assessment (all)")
    _refused(lambda: grid_edit.rename(a, "category", category.id or 0, category.version, "X"))
    _refused(lambda: grid_edit.move(a, "category", category.id or 0, category.version, 1))
    _refused(lambda: grid_edit.remove(a, "category", category.id or 0, category.version))
    assert _get(a, TaskCategory, category.id).name == "Assessment (all)"
    task = _task(a, "Screening")
    assert task.id is not None
    grid_edit.rename(b, "task", task.id, task.version, "Universal screening")
    _refused(lambda: grid_edit.rename(a, "task", task.id or 0, task.version, "Screens"))
    _refused(lambda: grid_edit.remove(a, "task", task.id or 0, task.version))
    assert _get(a, Task, task.id).name == "Universal screening"


def test_capacity_enrollment_and_fte(two: TwoDbs) -> None:
    a, b = two
    team, role = _get(a, Team, 1), _role(a, "Counselor")
    assert role.id is not None
    grid_edit.set_capacity(b, 1, (team.version, 900), {role.id: (role.version, 2.0, None)})
    _refused(lambda: grid_edit.set_capacity(a, 1, (team.version, 1450), {}))
    error = _refused(lambda: grid_edit.set_capacity(
        a, 1, None, {role.id or 0: (role.version, 1.0, "counselor")}))
    assert "2 FTE" in str(error)
    assert _get(a, Team, 1).enrollment == 900 and _get(a, Role, role.id).fte == 2.0


def _live(db: Database) -> checkins.Live:
    meeting = checkins.start(db, 1, datetime(2026, 11, 24, 15, tzinfo=UTC), [("Ana", "")])
    assert meeting.id is not None
    return checkins.load(db, meeting.id)


def test_meeting_clock_bell_and_end(two: TwoDbs, clock: FakeClock) -> None:
    a, b = two
    live_a = _live(a)
    assert live_a.meeting.id is not None
    live_b = checkins.load(b, live_a.meeting.id)
    live_b.clock.toggle(clock.now())
    checkins.save_clock(b, live_b, clock)  # B starts the clock
    live_a.clock.go_to(2, clock.now())
    error = _refused(lambda: checkins.save_clock(a, live_a, clock))
    assert "running on item 1" in str(error)
    _refused(lambda: checkins.set_bell(a, live_a.meeting.id or 0, live_a.meeting.version, True))
    _refused(lambda: checkins.end(a, live_a, clock))
    stored = _get(a, Meeting, live_a.meeting.id)
    assert (stored.current_position, stored.state, stored.bell) == (0, "running", False)
    assert stored.running_since is not None


def test_meeting_item_notes(two: TwoDbs) -> None:
    a, b = two
    live = _live(a)
    item = live.items[0]
    assert item.id is not None
    checkins.save_notes(b, item.id, item.version, "B: room 12 is booked")
    error = _refused(lambda: checkins.save_notes(a, item.id or 0, item.version, "A: no room"))
    assert "'B: room 12 is booked'" in str(error)
    assert _get(a, MeetingItem, item.id).notes == "B: room 12 is booked"
    # Notes already as given are no conflict: nothing would be lost.
    assert checkins.save_notes(a, item.id, item.version, "B: room 12 is booked").version == (
        item.version + 1)


def test_agenda_template_and_meeting_items(two: TwoDbs) -> None:
    a, b = two
    for which in (Agenda("template", 1), Agenda("meeting", _live(a).meeting.id or 0)):
        first = agenda.items(a, which)[0]
        agenda.save(b, which, first.id, first.version, "Review (short)", 10, "")
        _refused(lambda: agenda.save(a, which, first.id, first.version, "Review", 20, ""))  # noqa: B023
        _refused(lambda: agenda.move(a, which, first.id, first.version, 1))  # noqa: B023
        _refused(lambda: agenda.remove(a, which, first.id, first.version))  # noqa: B023
        now = agenda.items(a, which)[0]
        assert (now.id, now.title, now.minutes) == (first.id, "Review (short)", 10)
        _, version = agenda.length_and_version(a, which)
        agenda.set_length(b, which, version, 75)
        _refused(lambda: agenda.set_length(a, which, version, 90))  # noqa: B023
        assert agenda.length_and_version(a, which)[0] == 75
    with a.read() as session:
        assert session.exec(select(AgendaTemplateItem)).first() is not None


def test_schedule(two: TwoDbs) -> None:
    a, b = two
    seen = _get(a, Team, 1)
    invites.set_schedule(b, 1, seen.version, "monthly", 4, date(2026, 12, 2), time(15), 60,
                         "Library")
    error = _refused(lambda: invites.set_schedule(a, 1, seen.version, "weeks", 6,
                                                  date(2026, 12, 9), time(14, 30), 45, "Gym"))
    assert "Library" in str(error) and "2026-12-02" in str(error)
    stored = _get(a, Team, 1)
    assert (stored.cadence, stored.place) == ("monthly", "Library")


def test_shift_plan(two: TwoDbs, clock: FakeClock) -> None:
    a, b = two
    task = _task(a, "Proactive family engagement")
    assert task.id is not None
    plan = shift_plans.get_or_create(a, task.id, clock)
    assert plan.id is not None
    answers = {key: "" for key in shift_plans.ANSWERS}
    shift_plans.save(b, plan.id, plan.version, {**answers, "roles": "Paras"}, "agreed", clock)
    error = _refused(lambda: shift_plans.save(a, plan.id or 0, plan.version,
                                              {**answers, "roles": "Teachers"}, "draft", clock))
    assert isinstance(error, shift_plans.PlanConflict) and "agreed" in str(error)
    stored = _get(a, ShiftPlan, plan.id)
    assert (stored.roles, stored.state) == ("Paras", "agreed")


def test_reflections(two: TwoDbs, clock: FakeClock) -> None:
    a, b = two
    made = reflection_edit.new_draft(a, 1, Draft(date(2026, 11, 20), None, "Counselor"), clock)
    assert made.id is not None
    reflection_edit.save_draft(b, made.id, made.version,
                               Draft(date(2026, 11, 20), None, "Counselor", "B's text"), clock)
    for write in (
            lambda: reflection_edit.save_draft(a, made.id or 0, made.version, Draft(
                date(2026, 11, 20), None, "Counselor", "A's text"), clock),
            lambda: reflection_edit.submit(a, made.id or 0, made.version, clock),
            lambda: reflection_edit.discard(a, made.id or 0, made.version)):
        error = _refused(write)
        assert isinstance(error, reflection_edit.ReflectionError)  # the form's refusals
    assert _get(a, Reflection, made.id).support_needed == "B's text"
    version = _get(b, Reflection, made.id).version
    reflection_edit.submit(b, made.id, version, clock)
    _refused(lambda: reflection_edit.reopen(a, made.id or 0, version, clock))
    assert _get(a, Reflection, made.id).state == "submitted"


def test_actions_share_the_same_error_and_the_cli_says_it_in_one_line(
        demo_target: Target, two: TwoDbs, clock: FakeClock,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = two
    with a.read() as session:
        action = session.exec(select(Action).where(col(Action.deleted_at).is_(None))).first()
    assert action is not None and action.id is not None
    actions.set_status(b, action.id, action.version, Status.BLOCKED, clock)
    error = _refused(lambda: actions.set_status(a, action.id or 0, action.version,
                                                Status.COMPLETED, clock))
    assert isinstance(error, actions.ConflictError) and error.current is not None
    assert error.current.status == Status.BLOCKED.value
    # `mhtui actions set` reads the action; another copy changes it before the write.
    real_get = actions.get

    def stale_get(cli_db: Database, action_id: int) -> ActionItem | None:
        read = real_get(cli_db, action_id)
        now = _get(b, Action, action_id)
        actions.set_status(b, action_id, now.version, Status.IN_PROGRESS, clock)
        return read

    monkeypatch.setattr(actions, "get", stale_get)
    code = main(["--db", db_arg(demo_target), "actions", "set", str(action.id), "done"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("mhtui: ") and "Traceback" not in err
    assert "Changed elsewhere" in err and "in progress" in err
    assert _get(a, Action, action.id).status == Status.IN_PROGRESS.value


def test_staff_rows_carry_a_version(two: TwoDbs) -> None:
    a, _ = two
    with a.read() as session:
        people = session.exec(select(Staff)).all()
    # New rows start at a random version (see models.fresh_version), so two rows made
    # one after the other at the same id cannot be taken for each other.
    assert people and all(p.version >= 1 for p in people)
    assert len({p.version for p in people}) == len(people)


# --- two apps on one file, by their keys -------------------------------------------------
#
# Both run in this one test: Textual finds "the app" through a context variable, so each
# app's keys are pressed, and its fields set, with that app made the current one.


@contextmanager
def acting(app: App[Any]) -> Iterator[None]:
    with app._context():
        yield


async def press(pilot: Pilot[Any], *keys: str) -> None:
    with acting(pilot.app):
        await pilot.press(*keys)
        await pilot.pause()


async def _grid(pilot: Pilot[Any], task: str, role: str) -> GridScreen:
    await press(pilot, "g")
    screen = pilot.app.screen
    assert isinstance(screen, GridScreen) and screen.data is not None
    row = next(i for i, r in enumerate(table_rows(pilot.app, "#grid-table"))
               if r[0].lstrip("★⇄ ").startswith(task))
    column = next(r.id for r in screen.data.roles if r.name == role)
    with acting(screen.app):
        screen.table.cursor_coordinate = Coordinate(
            row, screen.table.get_column_index(f"role-{column}"))
        await pilot.pause()
    return screen


def _row(app: MHApp, task: str) -> list[str]:
    return next(r for r in table_rows(app, "#grid-table") if task in r[0])


def _two(target: Target, clock: FakeClock) -> tuple[MHApp, MHApp]:
    return MHApp(target, clock=clock), MHApp(target, clock=clock)


async def test_two_apps_on_one_grid_cell(demo_target: Target, clock: FakeClock,
                                         open_db: Callable[[Target], Database]) -> None:
    """A sets ✗, B (still showing the old value) sets ◐: B is refused and shows ✗."""
    one, other = _two(demo_target, clock)
    async with one.run_test(size=(160, 45)) as a, other.run_test(size=(160, 45)) as b:
        grid_a = await _grid(a, "Screening", "Counselor")
        await _grid(b, "Screening", "Counselor")
        counselor = _role(open_db(demo_target), "Counselor")
        column = grid_a.table.get_column_index(f"role-{counselor.id}")
        before = _row(other, "Screening")[column]
        await press(a, "n")
        assert _row(one, "Screening")[column] == "✗" != before
        assert _row(other, "Screening")[column] == before  # B's screen is behind
        await press(b, "t")
        assert _row(other, "Screening")[column] == "✗"  # B now shows A's value
        status = text_of(other, "#grid-status")
        assert "Not saved: someone else changed the cell 'Screening' × Counselor" in status
        assert "✗ No" in status and "The screen now shows their version." in status
        # B's next key, based on what B now shows, is saved.
        await press(b, "t")
        assert text_of(other, "#grid-status").startswith("Saved:")
        assert _row(other, "Screening")[column] == "◐"
    task = _task(open_db(demo_target), "Screening")
    with open_db(demo_target).read() as session:
        cell = session.exec(select(Capability).where(Capability.task_id == task.id,
                                                     Capability.role_id == counselor.id)).one()
    assert cell.value == "training"


async def test_two_apps_on_one_mark(demo_target: Target, clock: FakeClock,
                                    open_db: Callable[[Target], Database]) -> None:
    """A marks a task to shift; B, still showing it unmarked, presses s: the mark stays."""
    one, other = _two(demo_target, clock)
    async with one.run_test(size=(160, 45)) as a, other.run_test(size=(160, 45)) as b:
        await _grid(a, "Screening", "Teacher")
        await _grid(b, "Screening", "Teacher")
        await press(a, "s")
        assert "⇄" not in _row(other, "Screening")[0]
        await press(b, "s")
        assert "⇄" in _row(other, "Screening")[0]
        assert "⇄ to shift" in text_of(other, "#grid-status")
    assert _task(open_db(demo_target), "Screening").to_shift is True


async def test_two_apps_rename_one_role(demo_target: Target, clock: FakeClock,
                                        open_db: Callable[[Target], Database]) -> None:
    one, other = _two(demo_target, clock)
    async with one.run_test(size=(160, 45)) as a, other.run_test(size=(160, 45)) as b:
        await _grid(a, "Screening", "Teacher")
        grid_b = await _grid(b, "Screening", "Teacher")
        await press(a, "R", "ctrl+a", "ctrl+k", *"Classroom teacher", "enter")
        await press(b, "R", "ctrl+a", "ctrl+k", *"Teachers", "enter")
        headers = [c.label for c in grid_b.table.columns]
        assert any(h.startswith("Classroom tea") for h in headers)
        assert not any(h == "Teachers" for h in headers)
        assert "'Classroom teacher'" in text_of(other, "#grid-status")
    names = [r.name for r in grid.load(open_db(demo_target), 1).roles]
    assert "Classroom teacher" in names and "Teachers" not in names


async def test_two_apps_on_one_running_checkin(demo_target: Target, clock: FakeClock,
                                               open_db: Callable[[Target], Database]) -> None:
    one, other = _two(demo_target, clock)
    async with one.run_test(size=(120, 40)) as a, other.run_test(size=(120, 40)) as b:
        await press(a, "c", "s")
        await press(a, "ctrl+s")
        assert isinstance(one.screen, MeetingScreen)
        await press(b, "c", "r")  # the other copy resumes the same check-in
        screen_b = other.screen
        assert isinstance(screen_b, MeetingScreen)
        await press(a, "w", *"A: the room is booked", "escape")
        await press(b, "w", *"B: no room", "escape")  # leaving the notes writes them
        # B's notes are refused (A wrote first), and kept: A's, then B's under a line.
        notes = screen_b.query_one("#meeting-notes", TextArea).text
        assert notes == keep_both("A: the room is booked", "B: no room")
        assert notes.startswith("A: the room is booked") and notes.endswith("B: no room")
        status = text_of(other, "#meeting-status")
        assert "Not saved: someone else changed the notes of" in status
        assert "'A: the room is booked'" in status
        # The clock too: A starts it; B, still showing it paused, moves on: refused.
        await press(a, "space")
        await press(b, "n")
        assert "RUNNING" in text_of(other, "#meeting-state")
        assert "Item 1 of 3" in text_of(other, "#meeting-title")
        assert "the check-in's clock" in text_of(other, "#meeting-status")
    with open_db(demo_target).read() as session:
        meeting = session.exec(select(Meeting).order_by(col(Meeting.id).desc())).first()
        assert meeting is not None
        first = session.exec(select(MeetingItem).where(MeetingItem.meeting_id == meeting.id,
                                                       MeetingItem.position == 0)).one()
    assert first.notes == keep_both("A: the room is booked", "B: no room")
    assert (meeting.current_position, meeting.running_since is not None) == (0, True)


async def test_two_apps_answer_one_shift_plan(demo_target: Target, clock: FakeClock,
                                              open_db: Callable[[Target], Database]) -> None:
    one, other = _two(demo_target, clock)
    async with one.run_test(size=(160, 45)) as a, other.run_test(size=(160, 45)) as b:
        for pilot in (a, b):
            await _grid(pilot, "Proactive family engagement", "Teacher")
            await press(pilot, "P")
            assert isinstance(pilot.app.screen, ShiftPlanScreen)
        await press(a, *"Para-professionals", "ctrl+s")
        await press(b, *"Teachers", "ctrl+s")
        screen_b = other.screen
        assert isinstance(screen_b, ShiftPlanScreen)
        # B's answer is refused (A wrote first) and kept below A's, then saved.
        assert screen_b.answers()["roles"] == keep_both("Para-professionals", "Teachers")
        assert any("Not saved: someone else changed this shift plan" in str(n.message)
                   and "what you typed is kept below it" in str(n.message)
                   for n in other._notifications)
    with open_db(demo_target).read() as session:
        plan = session.exec(select(ShiftPlan)).one()
    assert plan.roles == keep_both("Para-professionals", "Teachers")


async def test_two_apps_set_one_schedule(demo_target: Target, clock: FakeClock,
                                         open_db: Callable[[Target], Database]) -> None:
    one, other = _two(demo_target, clock)
    async with one.run_test(size=(100, 36)) as a, other.run_test(size=(100, 36)) as b:
        for pilot in (a, b):
            await press(pilot, "c", "S")
            assert isinstance(pilot.app.screen, ScheduleScreen)
        with acting(one):
            one.screen.query_one("#sched-place", Input).value = "Library"
        await press(a, "ctrl+s")
        with acting(other):
            other.screen.query_one("#sched-place", Input).value = "Gym"
        await press(b, "ctrl+s")
        assert other.screen.query_one("#sched-place", Input).value == "Library"
        assert any("someone else changed the check-in schedule" in str(n.message)
                   and "Library" in str(n.message) for n in other._notifications)
    assert _get(open_db(demo_target), Team, 1).place == "Library"


async def test_grid_replaced_by_the_command_line_under_an_open_grid(
        demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database],
        tmp_path: Path) -> None:
    """`mhtui import grid` replaces every row the open grid shows: its next key is refused
    (not a crash on a task that is gone) and the grid shows the imported one."""
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        await _grid(pilot, "Screening", "Counselor")
        csv_file = tmp_path / "grid.csv"
        db = ["--db", db_arg(demo_target)]
        assert main([*db, "export", "grid", "--out", str(csv_file)]) == 0
        csv_file.write_text(csv_file.read_text().replace("Screening", "Universal screening"))
        assert main([*db, "import", "grid", str(csv_file)]) == 0
        await press(pilot, "t")
        status = text_of(app, "#grid-status")
        assert "Not saved: someone else deleted this task meanwhile." in status
        assert _row(app, "Universal screening")  # the imported grid, read again
    assert grid.load(open_db(demo_target), 1).cells.get(
        (_task(open_db(demo_target), "Universal screening").id or 0,
         _role(open_db(demo_target), "Counselor").id or 0)) == "yes"


async def test_two_apps_type_into_one_reflection_draft(
        demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]) -> None:
    from mhtui.ui.screens.reflection_form import ReflectionForm

    made = reflection_edit.new_draft(open_db(demo_target), 1,
                                     Draft(date(2030, 1, 1), None, "Counselor"), clock)
    one, other = _two(demo_target, clock)
    async with one.run_test(size=(120, 40)) as a, other.run_test(size=(120, 40)) as b:
        for pilot in (a, b):
            await press(pilot, "r")
            await press(pilot, "enter")  # the newest first: the draft made above
            assert isinstance(pilot.app.screen, ReflectionForm)
        await press(a, "tab", "tab", *"A needs a room", "ctrl+s")
        await press(b, "tab", "tab", *"B needs time", "ctrl+s")
        form = other.screen
        both = keep_both("A needs a room", "B needs time")
        assert form.query_one("#r-support", TextArea).text == both
        assert any("someone else changed this reflection" in str(n.message)
                   and "what you typed is kept below it" in str(n.message)
                   for n in other._notifications)
    assert _get(open_db(demo_target), Reflection, made.id).support_needed == both
