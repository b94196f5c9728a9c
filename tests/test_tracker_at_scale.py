"""The tracker's filter and its changes since the last check-in with 100,000 actions:
read a page at a time, in workers, the newest filter's rows only."""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable

import pytest

from bench.build import build
from mhtui.core.clock import FakeClock, local_today
from mhtui.store.actions import action_list, actions
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.screens.since import SinceScreen
from mhtui.ui.screens.tracker import TrackerScreen
from tests.conftest import InTerminal
from tests.helpers import settled, table_rows, text_of

ACTIONS = 100_000


pytestmark = pytest.mark.sqlite_only(
    "its 100,000 actions are written into an SQLite file by bench/build.py (executemany on "
    "sqlite3); paging itself is the same SQL on both")


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Target:
    """The demo team plus 100,000 actions made since its last check-in, written by one
    executemany (bench/build.py), not one call per action: about 5 seconds."""
    return build(tmp_path_factory.mktemp("large") / "large.db", ACTIONS)


def _sql(target: Target, query: str) -> list[tuple[object, ...]]:
    assert target.path is not None
    conn = sqlite3.connect(target.path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


async def test_changes_since_the_last_check_in_are_paged_at_100k(large: Target) -> None:
    # The demo team's (team 1, the one the tracker shows): the file holds other schools,
    # with their own actions and check-ins.
    [(new,)] = _sql(large, "SELECT count(*) FROM actionevent e JOIN action a ON a.id ="
                           " e.action_id WHERE a.team_id = 1 AND a.deleted_at IS NULL AND"
                           " e.kind = 'created' AND e.at >= (SELECT max(ended_at) FROM"
                           " meeting WHERE team_id = 1 AND state = 'ended')")
    assert isinstance(new, int) and new > ACTIONS
    app = MHApp(large, clock=FakeClock())
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        app.go("tracker")
        await pilot.pause()
        assert isinstance(app.screen, TrackerScreen)
        await pilot.press("l")
        await app.workers.wait_for_complete()  # the first page
        await pilot.pause()
        await app.workers.wait_for_complete()  # the counts, read by the screen
        await pilot.pause()
        assert isinstance(app.screen, SinceScreen)
        since = app.screen
        summary = since.summary
        assert summary.counts["new"] == new
        assert f"New actions ({new:,})" in text_of(app, "#since-body")
        # One page in the table, whatever the total.
        rows = table_rows(app, "#since-table")
        assert len(rows) == action_list.PAGE_SIZE
        assert rows[0][1] == "new action"
        assert f"rows 1–100 of {summary.total:,} changes" in text_of(app, "#since-rows")
        # End: the last page, ending with the newest overdue action.
        await pilot.press("end")
        await pilot.pause()
        rows = table_rows(app, "#since-table")
        assert 0 < len(rows) <= action_list.PAGE_SIZE
        last = since.rows[-1]
        assert last.what == "overdue" and rows[-1][1].startswith("was due ")
        assert f"of {summary.total:,} changes" in text_of(app, "#since-rows")
        assert since.start + len(since.rows) == summary.total
        # Down past the first page's end reads the next page; Home goes back.
        await pilot.press("home")
        await pilot.pause()
        for _ in range(action_list.PAGE_SIZE):
            await pilot.press("down")
        await pilot.pause()
        assert since.start == action_list.PAGE_SIZE
        assert f"rows 101–200 of {summary.total:,}" in text_of(app, "#since-rows")
        assert len(table_rows(app, "#since-table")) == action_list.PAGE_SIZE
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TrackerScreen)


def test_every_group_in_order_across_page_ends(demo_target: Target,
                                               open_db: Callable[[Target], Database],
                                               clock: FakeClock) -> None:
    """Pages of any size put together are the whole list, groups in order."""
    db = open_db(demo_target)
    today = local_today(clock)
    summary = action_list.since_summary(db, 1, today)
    whole = action_list.since(db, 1, None, today)
    assert summary.total == len(whole) > 5
    assert [c.what for c in whole] == sorted(
        (c.what for c in whole), key=action_list.SINCE_GROUPS.index)
    for size in (1, 2, 4, 5):
        pieces = [c for start in range(0, summary.total, size)
                  for c in action_list.since_page(db, summary, start, size)]
        assert pieces == whole
    # Before the counts: the first page, the same; no other page.
    begun = action_list.since_begin(db, 1, today)
    assert begun.counts is None and begun.since_at == summary.since_at
    assert list(action_list.since_page(db, begun, 0, 4)) == whole[:4]
    with pytest.raises(ValueError, match="first page"):
        action_list.since_page(db, begun, 4, 4)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminals")
def test_filter_typed_as_a_burst_shows_only_its_rows(
        in_terminal: InTerminal, demo_target: Target,
        open_db: Callable[[Target], Database]) -> None:
    """A filter arriving in one write (a text expander, a fast typist) shows the rows of
    the whole filter, and the key after Enter acts on one of them."""
    db = open_db(demo_target)
    clock = FakeClock()
    wanted = actions.create(db, 1, actions.Fields(
        "Ask about the para-professionals' lunch duty [/b]", owner="Zoë Ünal"), clock)
    actions.create(db, 1, actions.Fields("Zoë's room plan", owner="Ana Ruiz"), clock)
    actions.create(db, 1, actions.Fields("Duty roster review", owner="Ana Ruiz"), clock)
    term = in_terminal(demo_target)
    since = term.offset
    term.press("t")
    term.wait_for("rows 1", since)
    settled(term)
    since = term.offset
    term.burst("/", *"DUTY zoe")  # every word, any order, any case, no accents
    term.wait_for("1–1 of 1", since)
    assert "Ask about the para-professionals" in term.text(since)
    term.burst("enter", "5")

    def status() -> object:
        return _sql(demo_target, f"SELECT status FROM action WHERE id = {wanted.id}")

    deadline = time.monotonic() + 10
    while status() != [("completed",)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status() == [("completed",)]
    # Only that action changed.
    assert _sql(demo_target, "SELECT count(*) FROM action WHERE status = 'completed' AND "
                             "text LIKE '%roster%' OR text LIKE 'Zoë%' AND "
                             "status = 'completed'") == [(0,)]
