"""Undo and redo of the grid's structure: adding and deleting a task, a category or a
role comes back exactly (cells, marks, shift plan, place, ids) and goes again, through
the version check; and a delete with `u` typed in the same burst in a real terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import pytest
from textual.coordinate import Coordinate
from textual.pilot import Pilot

from mhtui.core.clock import FakeClock
from mhtui.store.actions import actions
from mhtui.store.database import opening
from mhtui.store.database.target import Target
from mhtui.store.grid import grid, grid_edit, shift_plans
from mhtui.ui.app import MHApp
from mhtui.ui.screens.grid import GridScreen
from mhtui.ui.widgets.text import one_line
from tests.conftest import InTerminal
from tests.helpers import db_rows, screen_lines, settled, table_rows
from tests.test_grid import goto, open_grid

State = dict[str, list[tuple[object, ...]]]

TEAM_TASKS = "SELECT t.id FROM task t JOIN taskcategory c ON c.id = t.category_id " \
             "WHERE c.team_id = 1"
QUERIES = {  # the first team's grid (the demo has another team with the same names)
    "role": "SELECT id, team_id, position, name, audience, capacity_constrained, fte, "
            "ratio_kind FROM role WHERE team_id = 1 ORDER BY id",
    "category": "SELECT id, team_id, position, name FROM taskcategory WHERE team_id = 1 "
                "ORDER BY id",
    "task": "SELECT id, category_id, position, name, priority, to_shift FROM task "
            f"WHERE id IN ({TEAM_TASKS}) ORDER BY id",
    "cell": "SELECT id, task_id, role_id, value, version FROM capability "
            "WHERE role_id IN (SELECT id FROM role WHERE team_id = 1) "
            f"OR task_id IN ({TEAM_TASKS}) ORDER BY id",
    "plan": "SELECT id, task_id, roles, \"when\", state, updated_at FROM shiftplan "
            f"WHERE task_id IN ({TEAM_TASKS}) ORDER BY id",
    "links": "SELECT id, shift_plan_id, version FROM action WHERE team_id = 1 ORDER BY id",
}


def state(target: Target) -> State:
    """Everything the grid is made of, as the database holds it (versions of the rows
    people rename aside: a restored row is a new version of itself)."""
    return {name: db_rows(target, sql) for name, sql in QUERIES.items()}


async def _press(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


def _shown(app: MHApp) -> str:
    return "\n".join(screen_lines(app))


def _with_a_plan(target: Target) -> tuple[int, str]:
    """A plan for the first task to shift, with an action made from it: (plan id, task)."""
    db = opening.connect(target)
    try:
        task = next(t for _, ts in grid.load(db, 1).categories for t in ts if t.to_shift)
        plan = shift_plans.get_or_create(db, task.id, FakeClock())
        shift_plans.make_action(db, 1, plan.id, actions.Fields("Hire a para", "Vice P"),
                                FakeClock())
        return plan.id, task.name
    finally:
        db.close()


def _goto_heading(screen: GridScreen, name: str) -> None:
    row = next(i for i, r in enumerate(table_rows(screen.app, "#grid-table"))
               if r[0] == name)
    screen.table.cursor_coordinate = Coordinate(row, 2)


async def _delete_undo_redo(pilot: Pilot[None], app: MHApp, target: Target,
                            keys: tuple[str, ...], gone: Callable[[State], bool],
                            words: str) -> None:
    before = state(target)
    await _press(pilot, *keys)
    deleted = state(target)
    assert deleted != before and gone(deleted)
    await _press(pilot, "u")
    assert state(target) == before
    assert f"Undone: {words}" in _shown(app)
    await _press(pilot, "ctrl+r")
    assert state(target) == deleted
    assert f"Redone: {words}" in _shown(app)
    await _press(pilot, "u")
    assert state(target) == before


async def test_a_deleted_task_comes_back_with_its_cells_mark_plan_and_place(
        demo_target: Target, clock: FakeClock) -> None:
    plan_id, name = _with_a_plan(demo_target)
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        goto(screen, name[:30])
        await _press(pilot, "p")  # a priority mark on it too
        before = state(demo_target)
        assert any(p[0] == plan_id for p in before["plan"])
        assert any(link[1] == plan_id for link in before["links"])
        await _delete_undo_redo(
            pilot, app, demo_target, ("delete", "y"),
            lambda s: not any(t[3] == name for t in s["task"]) and not s["plan"],
            f"task {one_line(name, 30)!r} deleted")
        # Back in its place, on screen too.
        assert any(r[0].lstrip("★⇄ ").startswith(name[:20])
                   for r in table_rows(app, "#grid-table"))


async def test_a_deleted_category_comes_back_with_its_tasks(demo_target: Target,
                                                            clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        _goto_heading(screen, "Assessment")
        await _delete_undo_redo(
            pilot, app, demo_target, ("delete", "y"),
            lambda s: not any(c[3] == "Assessment" for c in s["category"])
            and not any(t[3] == "Screening" for t in s["task"]),
            "category 'Assessment' deleted")
        assert table_rows(app, "#grid-table")[0][0] == "Assessment"


async def test_a_deleted_role_comes_back_with_its_column(demo_target: Target,
                                                        clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        goto(screen, "Screening", "Counselor")
        column = screen.table.cursor_coordinate.column
        await _delete_undo_redo(
            pilot, app, demo_target, ("D", "y"),
            lambda s: not any(r[3] == "Counselor" for r in s["role"]),
            "role 'Counselor' deleted")
        assert screen.data is not None
        counselor = next(r.id for r in screen.data.roles if r.name == "Counselor")
        assert screen.table.get_column_index(f"role-{counselor}") == column


@pytest.mark.parametrize(("keys", "kind", "name"), [
    (("a", *"[b]Zoë's task", "enter"), "task", "[b]Zoë's task"),
    (("g", *"שלום [/b]", "enter"), "category", "שלום [/b]"),
    (("A", *"ÉLODIE [red]", "enter"), "role", "ÉLODIE [red]"),
])
async def test_an_added_row_or_role_is_undone_and_redone(
        demo_target: Target, clock: FakeClock, keys: tuple[str, ...], kind: str,
        name: str) -> None:
    table = {"task": "task", "category": "category", "role": "role"}[kind]
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        goto(screen, "Screening", "LCSW")
        before = state(demo_target)
        await _press(pilot, *keys)
        added = state(demo_target)
        new = [r for r in added[table] if r[3] == name]
        assert len(new) == 1, added[table][-2:]
        await _press(pilot, "u")
        assert state(demo_target) == before
        assert f"Undone: {kind} {name!r} added" in _shown(app)
        await _press(pilot, "ctrl+r")
        assert state(demo_target) == added  # the same row, the same id
        await _press(pilot, "u", "u")  # and what came before it is still undone in turn
        assert "Nothing to undo." in _shown(app)
        assert state(demo_target) == before


async def test_a_change_elsewhere_refuses_the_undo_of_a_delete_and_an_add(
        demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        goto(screen, "Screening", "LCSW")
        await _press(pilot, "delete", "y")
        db = opening.connect(demo_target)
        try:  # another laptop deletes the task's category meanwhile
            category = grid.load(db, 1).categories[0][0]
            assert category.name == "Assessment"
            grid_edit.remove(db, "category", category.id, category.version)
        finally:
            db.close()
        after = state(demo_target)
        await _press(pilot, "u")
        assert "Undo refused: Not restored: someone else deleted the task's category" in (
            _shown(app))
        assert state(demo_target) == after
        # An added role that someone else has since assessed is not deleted by the undo.
        await _press(pilot, "A", *"School nurse", "enter")
        db = opening.connect(demo_target)
        try:
            data = grid.load(db, 1)
            nurse = next(r for r in data.roles if r.name == "School nurse")
            task = data.categories[0][1][0]
            grid_edit.set_cell(db, task.id, nurse.id, "yes", None)
        finally:
            db.close()
        await _press(pilot, "u")
        assert "Undo refused: Not deleted: someone else changed the role's cells" in (
            _shown(app))
        assert any(r[3] == "School nurse" for r in state(demo_target)["role"])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminals")
def test_delete_confirm_and_undo_typed_at_once(in_terminal: InTerminal,
                                               demo_target: Target) -> None:
    term = in_terminal(demo_target)
    since = term.offset
    term.press("g")
    term.wait_for("Coverage", since)
    settled(term)
    before = state(demo_target)
    since = term.offset
    term.burst("delete", "y", "u")  # the first task (Screening): deleted and back at once
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "Undone" not in term.text(since):
        time.sleep(0.05)
    assert "Undone: task 'Screening' deleted" in term.text(since), term.text(since)[-3000:]
    assert state(demo_target) == before
    term.burst("\x12")  # ctrl+r: redo, the task deleted again
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(t[3] == "Screening"
                                              for t in state(demo_target)["task"]):
        time.sleep(0.05)
    assert not any(t[3] == "Screening" for t in state(demo_target)["task"])


async def test_the_delete_message_keeps_its_u_at_80_columns(demo_target: Target,
                                                            clock: FakeClock) -> None:
    """'Deleted task 'Coaching and support of teachers and staff (e.g. attending' was all
    of it at 80 columns: the long name pushed "u undoes it" off the line."""
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_grid(pilot)
        name = "Coaching and support of teachers and staff (e.g. attending PLCs)"
        goto(screen, name[:15])  # the task column shows about 20 cells at 80
        await _press(pilot, "delete", "y")
        assert f"Deleted task {one_line(name, 30)!r}; u undoes it." in _shown(app)
