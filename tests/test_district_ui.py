"""The district's view in the app: the figures a director sees, drilling into a school by
key, names shown as typed, and the screen at 80x24 and 200x50."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from mhtui.core.clock import FakeClock
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.teams import staff, teams
from mhtui.ui.app import MHApp
from mhtui.ui.screens.dashboard import DashboardScreen
from mhtui.ui.screens.district import DistrictScreen
from mhtui.ui.screens.help import HelpScreen
from mhtui.ui.screens.tracker import TrackerScreen
from tests.helpers import palette_offers, screen_lines, text_of


async def _open(pilot: Pilot[Any]) -> DistrictScreen:
    await pilot.pause()
    await pilot.press("d")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DistrictScreen)
    return screen


def _rows(app: MHApp) -> list[list[str]]:
    table = app.screen.query_one("#district-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_row_per_school_with_its_figures_at_80x24(demo_target: Target,
                                                          clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert screen.sub_title == "4 schools"
        rows = _rows(app)
        assert [r[0] for r in rows] == ["Lincoln High School", "Roosevelt Middle Sch…",
                                        "Sojourner Truth Elem…", "Westview High School"]
        assert rows[0][1:] == ["4○ 3◔ 2⚠ 1⊘ 2✔", "! 3", "2 of 3", "7", "▼ -28.3"]
        assert rows[1][1:] == ["0○ 0◔ 0⚠ 0⊘ 0✔", "0", "0 held", "0", "—"]
        assert rows[2][3] == "1 of 2" and rows[3][3] == "3 of 3"
        summary = text_of(app, "#district-summary")
        assert summary == ("4 schools · last 90 days (25 Aug to 23 Nov 2026) · ! 8 actions "
                           "overdue")
        barriers = text_of(app, "#district-barriers")
        assert barriers.startswith("Non-counseling duties · 3 schools (task type, 10+ points")
        assert "“Lunch duty and class coverage” · 3 schools (same words)" in barriers
        assert "  role not shown: Sojourner Truth Elementary School, Westview High School" in (
            barriers)
        services = text_of(app, "#district-services")
        assert ("ideal 87.5% → now 59.2%  ▼ -28.3 points  (6 time tables; anonymous "
                "tables left out)") in services
        capacity = text_of(app, "#district-capacity")
        assert "  ✖ No role can do now: Threat assessment" in capacity
        assert "  · 18 tasks not assessed yet" in capacity
        # Every line fits: nothing of the footer's keys is cut.
        footer = screen_lines(app)[-1]
        assert "⏎ Open school" in footer and "t Its tracker" in footer and "p Period" in footer
        # p: the last 30 days, then 180 and 365, then 90 again.
        await pilot.press("p")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "last 30 days" in text_of(app, "#district-summary")
        assert _rows(app)[0][4] == "3"  # Lincoln's reflections of the last 30 days


async def test_enter_opens_the_school_and_d_comes_back(demo_target: Target,
                                                       clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.sub_title == "Sojourner Truth Elementary School"
        assert "Psychological" not in text_of(app, "#capacity")
        assert "School counselor" in text_of(app, "#capacity")  # its own grid's roles
        # Back to the district: the cursor stays on the school; t opens its tracker.
        await _open(pilot)
        assert app.screen.query_one(DataTable).cursor_row == 2
        await pilot.press("down", "t")
        await pilot.pause()
        assert isinstance(app.screen, TrackerScreen)
        assert app.screen.sub_title == "Westview High School"
    # The school drilled into stays the active team.
    again = MHApp(demo_target, clock=clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.screen.sub_title == "Westview High School"


async def test_the_palette_and_f1(demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"go: district")
        await palette_offers(pilot, "go: district")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, DistrictScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = text_of(app, "#help-keys")
        assert "Enter  Open school" in keys and "t  Its tracker" in keys
        assert "p  Period" in keys and "Esc  Back" in keys
        about = text_of(app, "#help-about")
        assert "10 or more points more of the time now than the ideal" in about
        assert "at least 3 anonymous answers of the period at its school" in about
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_school_names_show_as_typed(demo_target: Target, clock: FakeClock,
                                          open_db: Callable[[Target], Database],
                                          size: tuple[int, int]) -> None:
    db = open_db(demo_target)
    lincoln = teams.find_team(db, "Lincoln High School")
    assert lincoln is not None
    staff.rename_team(db, lincoln.id, lincoln.version, "[/b]")
    teams.create_team(db, "[@click=app.quit]Zoë 李明 🏫", clock)
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=size) as pilot:
        await _open(pilot)
        names = [r[0] for r in _rows(app)]
        assert "[/b]" in names
        assert any(n.startswith("[@click=app.quit]Zo") for n in names)
        assert "[/b]" in text_of(app, "#district-capacity")
        assert "[/b]" in text_of(app, "#district-barriers")
        assert app.is_running  # nothing clicked, nothing parsed
        await pilot.press("enter")  # "[/b]" sorts first
        await pilot.pause()
        assert app.screen.sub_title == "[/b]"
