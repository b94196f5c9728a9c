"""Issue 24 §5 in a real pseudo-terminal: keys written in one burst (or one by one, as a
slow typist does) change the row the cursor shows, and Esc then a status key in the
tracker's filter closes the filter and changes the row."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest

from bench.terminal import Terminal
from mhtui.core.action_views import Sort, View
from mhtui.core.clock import SystemClock, local_today
from mhtui.store.actions import action_list
from mhtui.store.database import opening
from mhtui.store.database.target import Target
from mhtui.store.teams import teams
from tests.conftest import InTerminal
from tests.helpers import (
    WRITTEN_HERE,
    db_rows,
    eventually,
    lone_escape,
    settled,
    start_checkin_in,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="pseudo-terminals as on Linux")


def _open_actions(target: Target) -> list[int]:
    """The ids of the open actions in the order the check-in's review lists them."""
    db = opening.connect(target)
    try:
        clock = SystemClock()
        team_id = teams.active_team(db, clock).id
        assert team_id is not None
        query = action_list.Query(team_id=team_id, view=View.OPEN, sort=Sort.DUE)
        return [a.id for a in action_list.page(db, query, local_today(clock), limit=5).rows]
    finally:
        db.close()


def _statuses(target: Target) -> Callable[[], dict[object, object]]:
    return lambda: dict(db_rows(target, "SELECT id, status FROM action"))


@pytest.mark.parametrize("gap", [0.0, 0.4], ids=["burst", "slow"])
def test_next_previous_down_and_a_status_key_change_the_second_action(
        in_terminal: InTerminal, demo_target: Target, gap: float) -> None:
    term: Terminal = in_terminal(demo_target)
    start_checkin_in(term)
    settled(term)
    second = _open_actions(demo_target)[1]
    before = _statuses(demo_target)()
    keys = ("n", "p", "down", "4")
    if gap:
        term.press(*keys, gap=gap)
    else:
        term.burst(*keys)
    wanted = {**before, second: "abandoned"}
    assert eventually(_statuses(demo_target), wanted) == wanted


def _open_ids(target: Target, text: str = "") -> list[int]:
    """The tracker's open rows (by due date), filtered by ``text`` as its / does."""
    db = opening.connect(target)
    try:
        clock = SystemClock()
        team_id = teams.active_team(db, clock).id
        assert team_id is not None
        query = action_list.Query(team_id=team_id, view=View.OPEN, sort=Sort.DUE, text=text)
        return [a.id for a in action_list.page(db, query, local_today(clock), limit=500).rows]
    finally:
        db.close()


@pytest.mark.parametrize("after", [(), ("down", "5")], ids=["esc-4", "esc-4-down-5"])
def test_escape_and_a_status_key_in_one_burst_close_the_filter_and_change_the_row(
        in_terminal: InTerminal, demo_target: Target, after: tuple[str, ...]) -> None:
    """b"/duty\\x1b4": the terminal's bytes for Esc then 4 are also those of alt+4 (and,
    to Textual, WezTerm's Option+4, "¢"); the filter closes and 4 changes its row."""
    term: Terminal = in_terminal(demo_target)
    since = term.offset
    term.press("t")
    term.wait_for("rows 1", since)
    settled(term)
    first = _open_ids(demo_target, "duty")[0]
    every = _open_ids(demo_target)
    before = _statuses(demo_target)()
    term.burst("/", "duty", "escape", "4", *after)
    wanted = {**before, first: "abandoned"}
    if after:
        wanted[every[every.index(first) + 1]] = "completed"
    assert eventually(_statuses(demo_target), wanted) == wanted
    since = term.offset
    term.press("/")  # the filter opens empty again: nothing was typed into it
    term.wait_for("filter: words", since)
    assert "¢" not in term.text() and "duty4" not in term.text()


def _running_on_the_dashboard(term: Terminal) -> None:
    start_checkin_in(term)
    settled(term)
    since = term.offset
    term.press(" ")  # the clock runs
    term.wait_for("RUNNING", since)
    since = term.offset
    lone_escape(term)  # the hub,
    lone_escape(term)  # then the dashboard
    term.wait_for("on record", since)


def test_ctrl_q_on_the_dashboard_asks_about_the_running_clock(
        in_terminal: InTerminal, demo_target: Target) -> None:
    term: Terminal = in_terminal(demo_target)
    _running_on_the_dashboard(term)
    since = term.offset
    term.press("ctrl+q")
    term.wait_for("The check-in's clock is running.", since)
    assert term.proc.poll() is None
    term.press("p")  # pause it, and quit
    assert term.proc.wait(timeout=60) == 0
    assert db_rows(demo_target, "SELECT running_since IS NULL FROM meeting "
                                "ORDER BY id DESC LIMIT 1") == [(1,)]


def test_sigterm_on_the_dashboard_still_asks_nothing(
        in_terminal: InTerminal, demo_target: Target) -> None:
    import signal

    term: Terminal = in_terminal(demo_target)
    _running_on_the_dashboard(term)
    term.proc.send_signal(signal.SIGTERM)
    assert term.proc.wait(timeout=60) == 0
    assert db_rows(demo_target, "SELECT running_since IS NULL FROM meeting "
                                "ORDER BY id DESC LIMIT 1") == [(0,)]  # still running


def test_back_in_a_filled_field_the_next_key_adds_to_it(in_terminal: InTerminal,
                                                          demo_target: Target) -> None:
    """Tab away from the name and shift+Tab back, then a key, in one burst: the key goes
    after the name (Textual's field selected it all on focus, and the key replaced it)."""
    term: Terminal = in_terminal(demo_target)
    since = term.offset
    term.press("r")
    term.wait_for("Discard draft", since)
    settled(term)
    since = term.offset
    term.press("n")
    term.wait_for("anonymous", since)
    settled(term)
    term.burst("Ana Ruiz", "tab", "Counselor", "\x1b[Z", "x", "ctrl+s")  # \x1b[Z: shift+tab

    def newest() -> object:
        return db_rows(demo_target, "SELECT author_name, role_name FROM reflection "
                                    f"WHERE {WRITTEN_HERE}")

    assert eventually(newest, [("Ana Ruizx", "Counselor")]) == [("Ana Ruizx", "Counselor")]
