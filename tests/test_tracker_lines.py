"""The tracker's table over more than a page of rows: the cursor moves over the whole
list, the bar says which hundred rows it is in, and a status key draws only its row."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import pytest

from mhtui.core.clock import FakeClock
from mhtui.store.actions import action_list, actions
from mhtui.store.actions.actions import ActionItem, Fields
from mhtui.store.database import opening
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.teams import teams
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


async def test_pages_and_status_writes_are_read_and_written_off_the_screens_thread(
        demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawing and moving never wait on the database: the first page and one past it
    are read off the screen's thread, and a status key's write (and its undo) runs in a
    thread (a server's retry pauses there), while End then 5 still changes the last row."""
    db = opening.connect(demo_target)
    _add(db, clock, 240)
    db.close()
    on_screen_thread: list[tuple[str, bool]] = []

    def watched(name: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            on_screen_thread.append((name, threading.current_thread()
                                     is threading.main_thread()))
            return call(*args, **kwargs)
        return run

    monkeypatch.setattr(action_list, "page", watched("page", action_list.page))
    monkeypatch.setattr(actions, "set_status", watched("status", actions.set_status))
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert on_screen_thread == [("page", False)]  # the first page too (read())
        await pilot.press("end", "5")
        await pilot.pause()
        assert on_screen_thread[1:] == [("page", False), ("status", False)]
        screen = app.screen
        assert isinstance(screen, TrackerScreen)
        last = screen.selected()
        assert last is not None and last.due_on is None and last.status == "completed"
        assert f"Saved: #{last.id} is now ✔ completed." in text_of(app, "#tracker-status")
        await pilot.press("u")  # undone the same way
        await pilot.pause()
        assert on_screen_thread[3:] == [("status", False)]
        assert "Undone: status" in text_of(app, "#tracker-status")
