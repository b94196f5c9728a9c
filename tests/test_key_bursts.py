"""Keys written to a real pseudo-terminal in one burst, as a text expander or a password
manager types them: every key must land in the field, row or dialog it was meant for.

Pilot waits for the app to go idle after each key, so it cannot show this; here the app
reads "name<Tab>role<Tab>..." in one piece before it has handled any of it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bench.terminal import Terminal
from mhtui.core.action_views import Sort, View
from mhtui.core.clock import SystemClock, local_today
from mhtui.store.actions import action_list, actions
from mhtui.store.actions.actions import Fields
from mhtui.store.database import opening
from mhtui.store.database.target import Target
from tests.conftest import InTerminal, MakeTarget
from tests.helpers import WRITTEN_HERE, db_rows, eventually, lone_escape, settled

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="pseudo-terminals as on Linux")

Start = Callable[[Target], Terminal]
CLEAR = "\x15"  # ctrl+u: the text left of the cursor deleted, as in any shell


def _days_ahead(days: int) -> str:
    """A date from the app's today (it runs on the real clock), never a fixed one: a
    date typed into a form must not turn into "in the past" on some later day."""
    return (local_today(SystemClock()) + timedelta(days=days)).isoformat()


@pytest.fixture
def start(in_terminal: InTerminal) -> Start:
    return in_terminal


def _open(term: Terminal, key: str, marker: str) -> None:
    since = term.offset
    term.press(key)
    term.wait_for(marker, since)
    settled(term)


def test_reflection_form_takes_name_role_and_answers_in_one_burst(
        start: Start, demo_target: Target) -> None:
    term = start(demo_target)
    _open(term, "r", "Discard draft")
    _open(term, "n", "anonymous")
    term.burst("Ana Ruiz", "tab", "School counselor", "tab", "A private room", "tab",
               "No lunch duty", "ctrl+s")

    def newest() -> object:
        return db_rows(demo_target, "SELECT author_name, role_name, support_needed, barriers "
                                  f"FROM reflection WHERE {WRITTEN_HERE}")

    assert eventually(newest, [("Ana Ruiz", "School counselor", "A private room",
                                 "No lunch duty")]) == [
        ("Ana Ruiz", "School counselor", "A private room", "No lunch duty")]


def test_new_action_form_and_the_next_status_key_in_one_burst(
        start: Start, demo_target: Target) -> None:
    term = start(demo_target)
    _open(term, "t", "rows 1")
    # n opens the form; the rest arrives before it is even drawn; 2 after saving sets
    # the status of the action just made, not of the row that was selected before.
    due = _days_ahead(7)
    term.burst("n", "Fix the sink in room 4", "tab", "Ana Ruiz", "tab", due, "ctrl+s", "2")

    def made() -> object:
        return db_rows(demo_target, "SELECT text, owner, due_on, status FROM action "
                                  "WHERE text LIKE 'Fix the sink%'")

    wanted = [("Fix the sink in room 4", "Ana Ruiz", due, "in progress")]
    assert eventually(made, wanted) == wanted


def test_agenda_item_dialog_in_one_burst(start: Start, demo_target: Target) -> None:
    term = start(demo_target)
    _open(term, "c", "Agenda template")
    _open(term, "a", "Questions")
    # The minutes field comes with the usual length in it, the cursor after it.
    term.burst("a", "Wellbeing round", "tab", CLEAR, "5", "tab", "How is everyone?", "ctrl+s")

    def item() -> object:
        return db_rows(demo_target, "SELECT title, minutes, questions FROM agendatemplateitem "
                                  "WHERE title = 'Wellbeing round'")

    assert eventually(item, [("Wellbeing round", 5, "How is everyone?")]) == [
        ("Wellbeing round", 5, "How is everyone?")]


def test_start_check_in_dialog_in_one_burst(start: Start, demo_target: Target) -> None:
    term = start(demo_target)
    _open(term, "c", "Agenda template")
    # Date (kept as offered), the roster (Dev Patel, second, unticked as away), then
    # two guests typed one per line: every key in one burst.
    term.burst("s", "tab", "down", " ", "tab", "Ana Ruiz, School counselor", "enter",
               "Bo Chen, School psychologist", "ctrl+s")

    def attendees() -> object:
        return db_rows(demo_target, "SELECT a.name, a.role_name, a.present "
                                  "FROM meetingattendee a JOIN meeting m ON m.id = a.meeting_id"
                                  " WHERE m.state != 'ended' ORDER BY a.name")

    wanted = [("Ana Ruiz", "School counselor", 1), ("Bo Chen", "School psychologist", 1),
              ("Dev Patel", "Counselor", 0), ("Grace Kim", "Counselor", 1),
              ("John Smith", "Assistant principal", 1), ("Maria Lopez", "LCSW", 1)]
    assert eventually(attendees, wanted) == wanted


def test_schedule_form_in_one_burst(start: Start, demo_target: Target) -> None:
    term = start(demo_target)
    _open(term, "c", "Agenda template")
    _open(term, "S", "Length in minutes")
    # The cadence is a drop-down: Enter opens it, two rows down is "every N weeks".
    # Each field holds the team's schedule, the cursor after it: ctrl+u clears it first.
    first = _days_ahead(9)  # a date in the past would be asked about, and not saved
    term.burst(CLEAR, first, "tab", CLEAR, "15:30", "tab", "enter", "down", "down", "enter",
               "tab", CLEAR, "6", "tab", CLEAR, "45", "tab", CLEAR, "Room 12", "ctrl+s")

    def team() -> object:
        return db_rows(demo_target, "SELECT next_checkin_on, start_time, cadence, "
                                  "cadence_weeks, meeting_minutes, place FROM team "
                                  "ORDER BY id LIMIT 1")

    wanted = [(first, "15:30", "weeks", 6, 45, "Room 12")]
    assert eventually(team, wanted) == wanted


def test_new_team_in_one_burst(start: Start, demo_target: Target) -> None:
    term = start(demo_target)
    term.burst("s", "n", "Lincoln High", "enter")

    def team() -> object:
        return db_rows(demo_target, "SELECT name FROM team WHERE name = 'Lincoln High'")

    assert eventually(team, [("Lincoln High",)]) == [("Lincoln High",)]


# --- the tracker at more than one page of rows -------------------------------------------


@pytest.fixture
def many_actions(make_target: MakeTarget) -> Target:
    """350 open actions with due dates a day apart, all ahead: three and a half pages."""
    target = make_target("many.db")
    db = opening.connect(target)
    clock = SystemClock()
    from mhtui.store.teams import teams

    team_id = teams.active_team(db, clock).id
    assert team_id is not None
    first = local_today(clock) + timedelta(days=30)
    for n in range(350):
        actions.create(db, team_id, Fields(text=f"Action number {n:03d}", owner="Ana",
                                           due_on=first + timedelta(days=n)), clock)
    db.close()
    return target


def _in_order(target: Target, index: int) -> int:
    """The id of the tracker's row number ``index`` (open view, by due date)."""
    db = opening.connect(target)
    try:
        from mhtui.store.teams import teams

        team_id = teams.active_team(db, SystemClock()).id
        assert team_id is not None
        query = action_list.Query(team_id=team_id, view=View.OPEN, sort=Sort.DUE)
        page = action_list.page(db, query, local_today(SystemClock()), offset=index, limit=1)
        assert page.rows[0].id is not None
        return page.rows[0].id
    finally:
        db.close()


def _status_of(target: Target, action_id: int) -> Callable[[], object]:
    return lambda: db_rows(target, "SELECT status FROM action WHERE id = ?", action_id)


def test_150_down_keys_at_once_move_exactly_150_rows(start: Start,
                                                     many_actions: Target) -> None:
    term = start(many_actions)
    _open(term, "t", "rows 1")
    term.burst(*["down"] * 150, "5")
    wanted = _in_order(many_actions, 150)
    assert eventually(_status_of(many_actions, wanted), [("completed",)]) == [
        ("completed",)]
    assert db_rows(many_actions, "SELECT count(*) FROM action WHERE status = 'completed'") == [
        (1,)]


def test_end_and_home_reach_the_last_and_first_row_of_the_whole_list(
        start: Start, many_actions: Target) -> None:
    term = start(many_actions)
    _open(term, "t", "rows 1")
    last, first = _in_order(many_actions, 349), _in_order(many_actions, 0)
    term.burst("end", "5", "home", "4")
    assert eventually(_status_of(many_actions, first), [("abandoned",)]) == [
        ("abandoned",)]
    assert db_rows(many_actions, "SELECT status FROM action WHERE id = ?", last) == [
        ("completed",)]


def test_filter_then_escape_hands_the_next_key_to_the_table(
        start: Start, demo_target: Target) -> None:
    term = start(demo_target)
    _open(term, "t", "rows 1")
    term.burst("/", "lunch")
    settled(term)
    lone_escape(term)  # written with the next key it would read as alt+2
    term.press("2")
    wanted = db_rows(demo_target, "SELECT id FROM action WHERE text LIKE 'Take the social%'")
    status = eventually(_status_of(demo_target, int(str(wanted[0][0]))),
                         [("in progress",)])
    assert status == [("in progress",)]


def test_a_new_action_beyond_the_first_page_is_the_selected_row(
        start: Start, many_actions: Target) -> None:
    """With no date it sorts after 350 others, on the fourth page: the page is opened
    and the next key changes the new action, not the row selected before."""
    term = start(many_actions)
    _open(term, "t", "rows 1")
    term.burst("n", "A brand new action", "ctrl+s", "2")

    def made() -> object:
        return db_rows(many_actions, "SELECT status FROM action WHERE text = ?",
                     "A brand new action")

    assert eventually(made, [("in progress",)]) == [("in progress",)]
    assert db_rows(many_actions, "SELECT count(*) FROM action WHERE status = 'in progress'") == [
        (1,)]


def test_grid_prompts_and_capacity_form_in_one_burst(start: Start, demo_target: Target) -> None:
    term = start(demo_target)
    _open(term, "g", "Coverage")
    term.burst("A", "School nurse", "enter", "a", "Peer mentoring", "enter")

    def made() -> object:
        return (db_rows(demo_target, "SELECT count(*) FROM role WHERE name = 'School nurse'"),
                db_rows(demo_target, "SELECT count(*) FROM task WHERE name = 'Peer mentoring'"))

    assert eventually(made, ([(1,)], [(1,)])) == ([(1,)], [(1,)])
    term.burst("f", CLEAR, "850", "tab", CLEAR, "2.5", "ctrl+s")  # each field holds a figure

    def capacity() -> object:
        # The team the app opens (the first made) and its first role in the grid.
        return (db_rows(demo_target, "SELECT enrollment FROM team ORDER BY id LIMIT 1"),
                db_rows(demo_target, "SELECT fte FROM role WHERE team_id = "
                                     "(SELECT min(id) FROM team) ORDER BY position LIMIT 1"))

    assert eventually(capacity, ([(850,)], [(2.5,)])) == ([(850,)], [(2.5,)])


def test_delete_and_its_confirmation_in_one_burst(start: Start, demo_target: Target) -> None:
    term = start(demo_target)
    _open(term, "t", "rows 1")
    before = db_rows(demo_target, "SELECT count(*) FROM action WHERE deleted_at IS NULL")
    term.burst("delete", "y")

    def left() -> object:
        return db_rows(demo_target, "SELECT count(*) FROM action WHERE deleted_at IS NULL")

    wanted = [(int(str(before[0][0])) - 1,)]
    assert eventually(left, wanted) == wanted


def test_emoji_joined_by_a_zero_width_joiner_stay_one_emoji(start: Start,
                                                             demo_target: Target) -> None:
    """Typed (not pasted), the joiner in 👩‍🏫 is a key of its own; it must not be dropped
    and leave two emoji, 👩🏫."""
    term = start(demo_target)
    _open(term, "r", "Discard draft")
    _open(term, "n", "leave empty to stay anonymous")
    text = "Ana \U0001f469\u200d\U0001f3eb and Zo\u00eb"
    term.burst("tab", "tab", text, "ctrl+s")

    def support() -> object:
        return db_rows(demo_target, "SELECT support_needed FROM reflection "
                                  f"WHERE {WRITTEN_HERE}")

    assert eventually(support, [(text,)]) == [(text,)]
