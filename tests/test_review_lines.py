"""The check-in's review after a status key: the row shows the new status in place,
the counts since the last check-in follow, and only that row is drawn again."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

import pytest

from mhtui.core.clock import FakeClock
from mhtui.store.actions import actions
from mhtui.store.actions.actions import ActionItem
from mhtui.store.database.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.widgets.line_table import Cell, Column
from mhtui.ui.widgets.meeting_panels import ReviewPanel
from tests.helpers import table_rows, text_of
from tests.test_checkin import start_checkin


async def test_a_status_key_in_the_review_changes_its_row_and_the_counts(
        demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_checkin(pilot)
        panel = screen.query_one(ReviewPanel)
        before = text_of(app, "#review-since")
        rows_before = table_rows(app, "#review-table")
        drawn: list[int] = []
        cells = panel._cells

        def counted(row: ActionItem, columns: Sequence[Column]) -> Sequence[Cell]:
            drawn.append(row.id)
            return cells(row, columns)

        panel.source._cells = counted
        await pilot.press("down")
        await pilot.pause()
        drawn.clear()
        chosen = panel.selected()
        assert chosen is not None
        await pilot.press("4")
        await app.workers.wait_for_complete()  # the counts are read in a worker
        await pilot.pause()
        assert drawn == [chosen.id]  # its line alone drawn again
        rows = table_rows(app, "#review-table")
        assert rows[1][1] == "⊘ abandoned" and rows[1][0] == rows_before[1][0]
        assert rows[0] == rows_before[0] and len(rows) == len(rows_before)
        assert f"#{chosen.id} is now ⊘ abandoned" in text_of(app, "#meeting-status")
        assert _status_changes(text_of(app, "#review-since")) == _status_changes(before) + 1


def _status_changes(line: str) -> int:
    found = re.search(r"(\d+) status change", line)
    assert found is not None, line
    return int(found.group(1))


async def test_the_reviews_status_write_runs_off_the_screens_thread(
        demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The review's status key is the tracker's (ui/status_keys): its write runs in a
    thread the key waits for, so a server's retry pause does not freeze the clock."""
    on_screen_thread: list[bool] = []
    set_status = actions.set_status

    def watched(*args: Any, **kwargs: Any) -> ActionItem:
        on_screen_thread.append(threading.current_thread() is threading.main_thread())
        return set_status(*args, **kwargs)

    monkeypatch.setattr(actions, "set_status", watched)
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_checkin(pilot)
        chosen = screen.query_one(ReviewPanel).selected()
        assert chosen is not None
        await pilot.press("5")
        await pilot.pause()
        assert on_screen_thread == [False]
        assert f"#{chosen.id} is now ✔ completed" in text_of(app, "#meeting-status")
