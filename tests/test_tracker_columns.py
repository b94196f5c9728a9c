"""The tracker's columns at every width, its detail panel's shift-plan link, and the
owner a plan's hiring or training action takes from the plan."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Input

from mhtui.core.clock import FakeClock
from mhtui.core.grid_analysis import responsible
from mhtui.store.actions import actions
from mhtui.store.database import opening
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.grid import grid, shift_plans
from mhtui.ui.app import MHApp
from mhtui.ui.screens.action_form import ActionForm
from mhtui.ui.screens.shift_plan import ShiftPlanScreen
from mhtui.ui.screens.tracker import TrackerScreen
from tests.helpers import screen_lines, table_rows, text_of


async def _tracker(app: MHApp, pilot: object) -> TrackerScreen:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()
    await pilot.press("f", "f", "f")  # open, overdue, soon, all
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, TrackerScreen)
    return screen


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (150, 40), (200, 50)])
async def test_a_number_column_at_every_width(demo_target: Target, clock: FakeClock,
                                              size: tuple[int, int]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=size) as pilot:
        screen = await _tracker(app, pilot)
        labels = [c.label for c in screen.table.columns]
        assert labels[0] == "#"
        rows = table_rows(app)
        assert sorted(int(r[0]) for r in rows) == list(range(1, 13))
        widths = sum(c.render_width for c in screen.table.columns)
        assert widths <= screen.table.size.width  # nothing runs off to the right


async def test_at_120_columns_the_legend_dates_and_row_count_fit(
        demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _tracker(app, pilot)
        shown = "\n".join(screen_lines(app))
        assert "5✔ completed" in shown and "4⊘ abandoned" in shown
        assert "rows 1–12 of 12" in shown
        assert "! overdue by 12 days" in shown and "due in 45 days" in shown
        labels = [c.label for c in screen.table.columns]
        assert "Due" in labels
        lunch = next(r for r in table_rows(app) if r[1].startswith("Take the social"))
        assert lunch[labels.index("Due")].count("-") == 2  # an ISO date, whole


def _plan_action(target: Target, answers: dict[str, str] | None = None) -> tuple[int, str]:
    db = opening.connect(target)
    data = grid.load(db, 1)
    task = next(t for _, ts in data.categories for t in ts if t.to_shift)
    plan = shift_plans.get_or_create(db, task.id, FakeClock())
    if answers:
        shift_plans.save(db, plan.id, plan.version, answers, "draft", FakeClock())
    number = shift_plans.make_action(db, 1, plan.id,
                                     actions.Fields("Hire a para [b]now[/b]", "Ana"),
                                     FakeClock())
    db.close()
    return number, task.name


async def test_the_detail_panel_links_the_shift_plan(demo_target: Target,
                                                     clock: FakeClock) -> None:
    number, task = _plan_action(demo_target)
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await _tracker(app, pilot)
        index = next(i for i, r in enumerate(table_rows(app)) if r[0] == str(number))
        screen.table.move_cursor(row=index)
        await pilot.pause()
        detail = text_of(app, "#tracker-detail")
        assert detail.splitlines()[1] == f"From the shift plan for “{task}” (plan 1; in the " \
            "grid, L lists the plans)"  # under the action's text, in view at 80x24
        assert "Hire a para [b]now[/b]" in detail
        other = next(i for i, r in enumerate(table_rows(app)) if r[0] == "1")
        screen.table.move_cursor(row=other)
        await pilot.pause()
        assert "shift plan" not in text_of(app, "#tracker-detail")


@pytest.mark.parametrize(("answer", "who"), [
    ("Hiring required (vice principal responsible)", "vice principal"),
    ("Training needed; school mental health lead responsible", "school mental health lead"),
    ("Existing staff. Responsible for hiring - Zoë Ñúñez.", "Zoë Ñúñez"),
    ("Dev Patel is responsible for training", "Dev Patel"),
    ("Existing staff", ""),
    ("", ""),
])
def test_who_the_plan_makes_responsible(answer: str, who: str) -> None:
    assert responsible(answer) == who


async def test_a_plans_hiring_action_takes_its_owner_from_the_plan(
        demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]) -> None:
    db = open_db(demo_target)
    data = grid.load(db, 1)
    task = next(t for _, ts in data.categories for t in ts if t.to_shift)
    plan = shift_plans.get_or_create(db, task.id, clock)
    shift_plans.save(db, plan.id, plan.version, {
        "staffing": "Hiring required (vice principal responsible)",
        "training": "Training needed; Grace Kim responsible"}, "draft", clock)
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(ShiftPlanScreen(task.id))
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        assert app.screen.query_one("#form-owner", Input).value == "vice principal"
        await pilot.press("tab", "tab", *"+4w", "ctrl+s")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        assert app.screen.query_one("#form-owner", Input).value == "Grace Kim"
    linked = [a for a in actions_of(db) if a.shift_plan_id == plan.id]
    assert [(a.owner, a.text.split(":")[0]) for a in linked] == [("vice principal",
                                                                   "Hire for")]


def actions_of(db: Database) -> list[actions.ActionItem]:
    from datetime import date

    from mhtui.store.actions import action_list

    return action_list.matching(db, action_list.Query(team_id=1), date(2026, 1, 1))
