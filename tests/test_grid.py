"""The role-capability grid by keys, its analysis, shift plans, capacity and the CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import col, select
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import Input, Select

from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.grid import grid
from mhtui.store.models import Action, Capability, Role, ShiftPlan, Task, TaskCategory
from mhtui.ui.app import MHApp
from mhtui.ui.screens.capacity import CapacityScreen
from mhtui.ui.screens.confirm import ConfirmScreen
from mhtui.ui.screens.grid import GridScreen
from mhtui.ui.screens.shift_plan import PlansScreen, ShiftPlanScreen
from tests.helpers import db_arg, table_rows, text_of

# The toolkit's example district, by task: LCSW, Counselor, Admin/para, Teacher.
EXAMPLE = {
    "Screening": "YYNN", "Psychological assessment": "YYNN", "Threat assessment": "YYNN",
    "Scheduled Tier 3 support provision": "YYNN", "Scheduled Tier 2 support provision": "YYNN",
    "Scheduled Tier 1 support provision": "YYNY", "Non-scheduled non-acute": "YYNY",
    "Crisis intervention": "YYNY", "Connecting students": "YYNY", "Referral, identification":
    "YYNY", "Proactive family engagement": "YYYY", "Procurement and provision": "YYYY",
    "Formal training": "YYNN", "Coaching and support": "YYNY", "Program management": "YYYN",
    "Community partnership engagement": "YYYN", "Counseling-related administrative duties":
    "YYYN", "Non-counseling duties": "YYYY",
}


async def open_grid(pilot: Pilot[None], size_note: str = "") -> GridScreen:
    await pilot.pause()
    await pilot.press("g")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, GridScreen)
    return screen


def goto(screen: GridScreen, task_prefix: str, role_name: str | None = None) -> None:
    table = screen.table
    row = next(i for i, r in enumerate(table_rows(screen.app, "#grid-table"))
               if r[0].lstrip("★⇄ ").startswith(task_prefix))
    column = 2
    if role_name is not None:
        assert screen.data is not None
        role = next(r for r in screen.data.roles if r.name == role_name)
        column = table.get_column_index(f"role-{role.id}")
    table.cursor_coordinate = Coordinate(row, column)


def cell_value(db: Database, task_prefix: str, role_name: str) -> str | None:
    with db.read() as session:
        task = session.exec(select(Task).join(TaskCategory).where(
            TaskCategory.team_id == 1, col(Task.name).startswith(task_prefix))).first()
        role = session.exec(select(Role).where(Role.team_id == 1,
                                               Role.name == role_name)).first()
        assert task is not None and role is not None
        found = session.exec(select(Capability).where(Capability.task_id == task.id,
                                                      Capability.role_id == role.id)).first()
    return found.value if found else None


async def test_cell_keys_save_and_show_symbols(demo_target: Target, clock: FakeClock,
                                               open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        goto(screen, "Screening", "Teacher")

        def row() -> list[str]:
            return next(r for r in table_rows(app, "#grid-table") if "Screening" in r[0])

        for key, value, symbol in (("t", "training", "◐"), ("y", "yes", "✓"),
                                   ("n", "no", "✗"), ("x", None, "·")):
            await pilot.press(key)
            await pilot.pause()
            assert cell_value(open_db(demo_target), "Screening", "Teacher") == value
            assert row()[-1] == symbol
        await pilot.press("space")  # not assessed -> Yes
        await pilot.pause()
        assert row()[-1] == "✓" and row()[1] == "3 now · 0 train"
        await pilot.press("space")  # Yes -> With training
        await pilot.pause()
        assert row()[-1] == "◐" and row()[1] == "2 now · 1 train ⚑"


async def test_marks_on_rows_and_columns(demo_target: Target, clock: FakeClock,
                                         open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        goto(screen, "Crisis intervention", "Teacher")
        await pilot.press("p", "s")  # priority off (it was on), to shift on
        await pilot.press("c")  # Teacher becomes capacity-constrained
        await pilot.pause()
        label = next(r[0] for r in table_rows(app, "#grid-table") if "Crisis" in r[0])
        assert label.startswith(" ⇄")
        headers = [c.label for c in screen.table.columns]
        assert "▲ Teacher" in headers
    with open_db(demo_target).read() as session:
        task = session.exec(select(Task).join(TaskCategory).where(
            TaskCategory.team_id == 1, Task.name == "Crisis intervention")).one()
        teacher = session.exec(select(Role).where(Role.team_id == 1,
                                                  Role.name == "Teacher")).one()
    assert (task.priority, task.to_shift, teacher.capacity_constrained) == (False, True, True)


async def test_add_rename_move_delete(demo_target: Target, clock: FakeClock,
                                      open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        goto(screen, "Screening", "Teacher")
        await pilot.press("A", *"School nurse", "enter")
        await pilot.pause()
        assert screen.data is not None and screen.data.roles[-1].name == "School nurse"
        await pilot.press("a", *"Suicide risk screening", "enter")
        await pilot.pause()
        assert "Suicide risk screening" in "".join(r[0] for r in table_rows(app, "#grid-table"))
        goto(screen, "Suicide risk", "Teacher")
        await pilot.press("r", "ctrl+a", "ctrl+k", *"Risk screening", "enter")
        await pilot.pause()
        goto(screen, "Risk screening", "Teacher")
        await pilot.press("K")  # up one place within Assessment
        await pilot.pause()
        names = [r[0].strip("★⇄ ") for r in table_rows(app, "#grid-table")]
        assert names.index("Risk screening") == names.index("Threat assessment") - 1
        await pilot.press("delete")  # no assessed cells: deleted without asking
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        goto(screen, "Screening", "Teacher")
        await pilot.press("delete")  # four assessed cells: asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "4 assessed cells will be lost" in str(app.screen.detail)
        await pilot.press("n")
        await pilot.pause()
        goto(screen, "Screening", "Teacher")
        await pilot.press("D", "y")  # delete the Teacher role (cells lost, confirmed)
        await pilot.pause()
        assert "Teacher" not in [r.name for r in screen.data.roles]
    with open_db(demo_target).read() as session:
        stored = session.exec(select(Task.name).join(TaskCategory)
                             .where(TaskCategory.team_id == 1)).all()
    assert "Screening" in stored and "Risk screening" not in stored


def test_coverage_and_candidates_on_known_data(demo_target: Target,
                                               open_db: Callable[[Target], Database]) -> None:
    from mhtui.core import grid_analysis
    from mhtui.ui.widgets.grid_text import info

    db = open_db(demo_target)
    data = grid.load(db, 1)
    roles = [info(r) for r in data.roles]
    tasks = {t.name: t for _, ts in data.categories for t in ts}
    screening = grid_analysis.coverage(tasks["Screening"].id or 0, roles, data.cells)
    assert (screening.now, screening.with_training, screening.only_constrained) == (2, 0, True)
    tier1 = grid_analysis.coverage(tasks["Scheduled Tier 1 support provision"].id or 0,
                                   roles, data.cells)
    assert tier1.only_constrained is False
    program = tasks["Program management"]
    teacher = next(r for r in data.roles if r.name == "Teacher")
    cells = {**data.cells, (program.id or 0, teacher.id or 0): "training"}  # data is frozen
    found = grid_analysis.candidates(program.id or 0, roles, cells)
    assert [(c.role.name, c.ready) for c in found] == [
        ("Administrator/para-professional", True), ("Teacher", False)]
    assert "Youth Mental Health First Aid" in found[1].trainings
    assert "Classroom WISE Mental Health Literacy Training" in found[1].trainings


async def test_shift_plan_makes_linked_tracker_actions(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        goto(screen, "Proactive family engagement", "Teacher")
        await pilot.pause()
        assert "ready now: Administrator/para-professional" in text_of(app, "#grid-detail")
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, ShiftPlanScreen)
        await pilot.press(*"Para-professionals", "tab", *"Start of next school year")
        await pilot.press("f6")  # draft -> agreed (and saved)
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("tab", *"Vice principal", "tab", *"+4w", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ShiftPlanScreen)
        await pilot.press("escape", "L")
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen)
        plans = table_rows(app, "#plans-table")
        family = next(r for r in plans if r[0].startswith("Proactive"))
        assert family[1:] == ["agreed", "Para-professionals", "1"]
    with open_db(demo_target).read() as session:
        plan = session.exec(select(ShiftPlan)).one()
        action = session.exec(select(Action).where(Action.shift_plan_id == plan.id)).one()
    assert plan.when == "Start of next school year" and plan.state == "agreed"
    assert action.owner == "Vice principal" and action.text.startswith("Hire for: Proactive")


async def test_capacity_ratios_suggest_constraints(demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        await pilot.press("f")
        await pilot.pause()
        capacity = app.screen
        assert isinstance(capacity, CapacityScreen)
        assert screen.data is not None
        admin = next(r for r in screen.data.roles if r.name.startswith("Administrator"))
        capacity.query_one(f"#fte-{admin.id}", Input).value = "2"
        capacity.query_one(f"#kind-{admin.id}", Select).value = "counselor"
        capacity.query_one("#enrollment", Input).value = "x"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a whole number" in text_of(app, "#capacity-error")
        capacity.query_one("#enrollment", Input).value = "1450"
        await pilot.press("ctrl+s")
        await pilot.pause()
        ratios = text_of(app, "#capacity-ratios")
        assert "725 students per staff member, over the recommended 1:250" in ratios
        assert "consider marking it capacity-constrained" in ratios


async def test_example_district_loads_and_exports_cell_for_cell(
    demo_target: Target, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press("s", "down", "enter")  # the second team: default grid
        await pilot.pause()
        await open_grid(pilot)
        await pilot.press("E", "y")
        await pilot.pause()
    assert main(["--db", db_arg(demo_target), "export", "grid", "--team",
                 "Roosevelt Middle School"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["Task category", "Task", "Priority", "To shift", "LCSW", "Counselor",
                       "Administrator/para-professional", "Teacher"]
    words = {"Y": "Yes", "N": "No"}
    body = [r for r in rows[1:] if r[0] != "(capacity-constrained)"]
    assert len(body) == 18
    for prefix, expected in EXAMPLE.items():
        row = next(r for r in body if r[1].startswith(prefix))
        assert row[4:] == [words[c] for c in expected], prefix
    assert rows[-1] == ["(capacity-constrained)", "", "", "", "yes", "yes", "", ""]


def test_grid_csv_round_trip_and_bad_files(tmp_path: Path, demo_target: Target,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", db_arg(demo_target)]
    first = tmp_path / "grid.csv"
    assert main([*db, "export", "grid", "--out", str(first)]) == 0
    assert main([*db, "import", "grid", str(first), "--team", "Roosevelt Middle School"]) == 0
    second = tmp_path / "again.csv"
    assert main([*db, "export", "grid", "--team", "Roosevelt Middle School", "--out",
                 str(second)]) == 0
    assert first.read_text() == second.read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text(first.read_text().replace("Yes", "Maybe", 1).replace("With training",
                                                                        "Perhaps", 1))
    capsys.readouterr()
    assert main([*db, "import", "grid", str(bad), "--team", "Roosevelt Middle School"]) == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err and "'Maybe'" in err
    assert main([*db, "export", "grid", "--team", "Roosevelt Middle School", "--out",
                 str(second), "--force"]) == 0
    assert first.read_text() == second.read_text()  # unchanged by the refused import
    md = tmp_path / "grid.md"
    assert main([*db, "export", "grid", "--format", "md", "--out", str(md)]) == 0
    assert "| Assessment | Screening | ★ | ✓ | ✓ | ✗ | ✗ |" in md.read_text()
