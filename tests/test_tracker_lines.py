"""The tracker's table over more than a page of rows: the cursor moves over the whole
list, the bar says which hundred rows it is in, and a status key draws only its row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from mhtui.core.clock import FakeClock
from mhtui.store import actions, opening, teams
from mhtui.store.actions import ActionItem, Fields
from mhtui.store.db import Database
from mhtui.store.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.screens.tracker import TrackerScreen
from mhtui.ui.widgets.line_table import Cell, Column
from tests.helpers import screen_lines, text_of


def _add(db: Database, clock: FakeClock, count: int) -> None:
    team_id = teams.active_team(db, clock).id
    assert team_id is not None
    start = date(2030, 1, 1)
    for n in range(count):
        actions.create(db, team_id, Fields(text=f"Numbered action {n:03d}", owner="Ana",
                                           due_on=start + timedelta(days=n)), clock)


async def test_end_home_and_page_down_move_over_the_whole_list(
        demo_target: Target, clock: FakeClock) -> None:
    db = opening.connect(demo_target)
    _add(db, clock, 240)  # with the demo's 9 open actions: 249 rows, three pages
    db.close()
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrackerScreen)
        assert "rows 1–100 of 249" in text_of(app, "#tracker-bar")
        await pilot.press("end")
        await pilot.pause()
        assert "rows 201–249 of 249" in text_of(app, "#tracker-bar")
        last = screen.selected()  # the demo's action with no date sorts last
        assert last is not None and last.due_on is None
        shown = screen_lines(app)
        assert any(last.text[:30] in line for line in shown)
        assert any("Numbered action 239" in line for line in shown)
        await pilot.press("home", "pagedown", "pagedown", "pagedown")
        await pilot.pause()
        # Three screenfuls of 44 rows under the header: row 132, in the second hundred.
        assert screen.table.cursor_row == 132
        assert "rows 101–200 of 249" in text_of(app, "#tracker-bar")
        chosen = screen.selected()
        assert chosen is not None
        await pilot.press("5")
        await pilot.pause()
        assert f"Saved: #{chosen.id} is now ✔ completed." in text_of(app, "#tracker-status")
        row = next(line for line in screen_lines(app)
                   if line.lstrip().startswith(f"{chosen.id} "))
        assert chosen.text in row and "✔ completed" in row


async def test_a_status_key_draws_only_the_changed_row_again(
        demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrackerScreen) and screen.rows is not None
        drawn: list[int] = []
        cells = screen.rows.cells

        def counted(row: ActionItem, columns: Sequence[Column]) -> Sequence[Cell]:
            drawn.append(row.id)
            return cells(row, columns)

        rows: Callable[..., Sequence[Cell]] = counted
        screen.rows.cells = rows  # type: ignore[method-assign]
        await pilot.press("down", "down")
        await pilot.pause()
        drawn.clear()
        selected = screen.selected()
        assert selected is not None
        await pilot.press("3")
        await pilot.pause()
        assert drawn == [selected.id]  # one line drawn again, not the screenful
        row = next(line for line in screen_lines(app) if line.lstrip().startswith(
            f"{selected.id} "))
        assert "⚠ blocked or behind schedule" in row
