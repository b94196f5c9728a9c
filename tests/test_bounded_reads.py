"""Views read what they show, not the team's whole history (issue 26, "nothing grows
with the data"): the work SQLite does for a view, counted in its virtual machine's steps
(sqlite3's progress handler), is the same with a few hundred more reflections from long
before the last check-in, or status changes made in other check-ins. Reading every
reflection to count the period's made it grow with each one (the roll-up at 10,000
reflections took twice its time at 10). A count of actions reads an index alone, as
SQLite's plan for it says, never each row for deleted_at.

A count of the team's actions without a filter's words adds up the counts kept by day
(revision 0015), so more actions on days already counted add no work at all.

SQLite's own counter, so these run on SQLite only; PostgreSQL plans for itself.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from mhtui.core.action_views import View
from mhtui.core.clock import FakeClock, local_today
from mhtui.core.statuses import OPEN_STATUSES
from mhtui.store.actions import action_list
from mhtui.store.actions.action_list import Query
from mhtui.store.checkins import checkin_clock
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.reflections import rollup
from mhtui.store.teams import dashboard

OLD = 300  # reflections submitted long before the last check-in


@pytest.fixture
def db(demo_target: Target, open_db: Callable[[Target], Database]) -> Database:
    if demo_target.path is None:
        pytest.skip("counts SQLite's steps")
    return open_db(demo_target)


def _add_old_reflections(target: Target, db: Database) -> None:
    last = rollup.last_checkin_end(db, 1)
    assert last is not None
    assert target.path is not None
    conn = sqlite3.connect(target.path)
    try:
        for n in range(OLD):
            day = (last - timedelta(days=400 + n)).date()
            conn.execute(
                "INSERT INTO reflection (uid, team_id, reflected_on, author_name, role_name,"
                " support_needed, barriers, state, submitted_at, updated_at, version)"
                " VALUES (?, 1, ?, 'Old', 'Counselor', 'x', 'y', 'submitted', ?, ?, 1)",
                (f"old-{n}", day.isoformat(), f"{day} 17:00:00.000000",
                 f"{day} 17:00:00.000000"))
        conn.commit()
    finally:
        conn.close()


@contextmanager
def _steps(db: Database) -> Iterator[list[int]]:
    """How many steps SQLite's machine takes for the ORM's statements meanwhile."""
    counted = [0]

    def tick() -> int:
        counted[0] += 1
        return 0

    def count_on(conn: Any, *_: Any) -> None:
        conn.connection.dbapi_connection.set_progress_handler(tick, 1)

    event.listen(db.engine, "before_cursor_execute", count_on)
    try:
        yield counted
    finally:
        event.remove(db.engine, "before_cursor_execute", count_on)


def _rollup_steps(db: Database) -> tuple[int, rollup.RollUp]:
    with _steps(db) as counted:
        found = rollup.build(db, 1, rollup.last_checkin_end(db, 1))
    return counted[0], found


def test_the_rollup_since_the_last_checkin_reads_only_that_period(
        demo_target: Target, db: Database) -> None:
    before, shown = _rollup_steps(db)
    assert shown.entries  # the demo has reflections since its last check-in
    _add_old_reflections(demo_target, db)
    after, shown_after = _rollup_steps(db)
    assert shown_after == shown
    assert after <= before * 1.05


def _figures_steps(target: Target, today: Any) -> tuple[int, dashboard.DashboardFigures]:
    assert target.path is not None
    conn = sqlite3.connect(target.path)
    counted = [0]

    def tick() -> int:
        counted[0] += 1
        return 0

    try:
        conn.set_progress_handler(tick, 1)
        team = dashboard.active_team(conn)
        assert team is not None
        shown = dashboard.figures(conn, team, today)
        return counted[0], shown
    finally:
        conn.close()


def test_the_dashboard_counts_the_reflections_since_the_last_checkin_alone(
        demo_target: Target, db: Database, clock: FakeClock) -> None:
    today = local_today(clock)
    before, shown = _figures_steps(demo_target, today)
    assert shown.reflections_since_last > 0
    _add_old_reflections(demo_target, db)
    after, shown_after = _figures_steps(demo_target, today)
    assert shown_after == shown
    assert after <= before * 1.05


def _count_plans(target: Target, statements: list[str]) -> dict[str, list[str]]:
    """SQLite's plan for each count of actions among ``statements``: how it reads action."""
    assert target.path is not None
    conn = sqlite3.connect(target.path)
    try:
        return {sql: [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")
                      if re.match(r"(SEARCH|SCAN) action\b", row[3])]
                for sql in statements
                if "count(" in sql and re.search(r"FROM action\s+WHERE", sql)}
    finally:
        conn.close()


def test_every_count_of_actions_reads_an_index_alone(
        demo_target: Target, db: Database, clock: FakeClock) -> None:
    """The dashboard's by status and overdue, the tracker's "of N" in each view, with a
    filter or none, the review's (with rows kept listed after a status key) and the
    changes' newly overdue."""
    today = local_today(clock)
    said: list[str] = []  # each statement as SQLite ran it, its values in place
    assert demo_target.path is not None
    conn = sqlite3.connect(demo_target.path)
    conn.set_trace_callback(said.append)
    team = dashboard.active_team(conn)
    assert team is not None
    dashboard.figures(conn, team, today)
    conn.close()

    def trace(orm: Any, *_: Any) -> None:
        orm.connection.dbapi_connection.set_trace_callback(said.append)

    event.listen(db.engine, "before_cursor_execute", trace)
    try:
        for view in View:
            for words in ("", "room"):  # and with a filter's words
                action_list.page(db, Query(team_id=team.id, view=view, text=words), today)
        action_list.page(db, Query(team_id=team.id, view=View.OPEN,
                                   sticky=frozenset({1, 2})), today, limit=200)
        since = rollup.last_checkin_end(db, team.id)
        action_list.since_summary(db, team.id, today, since)
    finally:
        event.remove(db.engine, "before_cursor_execute", trace)
    plans = _count_plans(demo_target, said)
    assert len(plans) >= len(View) + 1  # a filter's in each view, the rows kept listed
    # The others add up the counts kept by day (revision 0015): the dashboard's two, each
    # view's, the review's and the newly overdue.
    assert sum("FROM action_count" in sql for sql in said) >= 2 + len(View) + 2
    assert {sql: plan for sql, plan in plans.items()  # (the rows kept listed: by id)
            if not all("COVERING INDEX" in line or "(rowid=?)" in line for line in plan)} == {}


def _changed_steps(db: Database, meeting_id: int) -> tuple[int, frozenset[int]]:
    with _steps(db) as counted:
        found = checkin_clock.status_changed_in(db, meeting_id)
    return counted[0], found


def test_the_review_finds_its_checkins_status_changes_alone(
        demo_target: Target, db: Database) -> None:
    """Status changes made in other check-ins (the team's history) add no work to
    finding this one's, which the review does each time it is shown."""
    assert demo_target.path is not None
    conn = sqlite3.connect(demo_target.path)
    this, other = conn.execute("SELECT min(id), max(id) FROM meeting").fetchone()

    def status_changes(meeting_id: int, count: int) -> None:
        conn.executemany(
            "INSERT INTO actionevent (action_id, at, kind, field, old_value, new_value,"
            " meeting_id) VALUES (?, '2020-01-01 10:00:00.000000', 'status', 'status',"
            " 'not started', 'in progress', ?)", [(1 + n % 5, meeting_id)
                                                  for n in range(count)])
        conn.commit()

    status_changes(this, 2)
    before, shown = _changed_steps(db, this)
    assert shown == {1, 2}
    status_changes(other, OLD)
    conn.close()
    after, shown_after = _changed_steps(db, this)
    assert shown_after == shown
    assert after <= before * 1.05


def _live_counts(conn: sqlite3.Connection) -> tuple[list[Any], list[Any]]:
    """The counts kept by day, and the same counted from the rows."""
    kept = conn.execute("SELECT team_id, status, due, n FROM action_count WHERE n <> 0 "
                        "ORDER BY 1, 2, 3").fetchall()
    counted = conn.execute("SELECT team_id, status, coalesce(due_on, '9999-12-31'), count(*) "
                           "FROM action WHERE deleted_at IS NULL GROUP BY 1, 2, 3 "
                           "ORDER BY 1, 2, 3").fetchall()
    return kept, counted


def test_the_counts_kept_by_day_follow_every_write(demo_target: Target, db: Database) -> None:
    """Made, its status, due day, team changed, deleted, restored, removed: in any
    writer's SQL, the counts kept by day equal the rows counted."""
    assert demo_target.path is not None
    conn = sqlite3.connect(demo_target.path)
    try:
        kept, counted = _live_counts(conn)
        assert kept == counted and counted
        teams = [t for (t,) in conn.execute("SELECT id FROM team")]
        for sql in (
                "INSERT INTO action (team_id, created_on, text, status, owner, due_on,"
                " updated_at, version, search) SELECT team_id, created_on, text, status,"
                " owner, due_on, updated_at, version, search FROM action",
                "UPDATE action SET status = 'completed' WHERE id % 3 = 0",
                "UPDATE action SET due_on = NULL WHERE id % 4 = 0",
                "UPDATE action SET due_on = '2031-01-02' WHERE id % 5 = 0",
                f"UPDATE action SET team_id = {teams[-1]} WHERE id % 6 = 0",
                "UPDATE action SET deleted_at = updated_at WHERE id % 7 = 0",
                "UPDATE action SET deleted_at = NULL WHERE id % 14 = 0",
                "UPDATE action SET text = 'only the text' WHERE id % 2 = 0",
                "DELETE FROM action WHERE id % 9 = 0"):
            conn.execute(sql)
            conn.commit()
            kept, counted = _live_counts(conn)
            assert kept == counted, sql
    finally:
        conn.close()


def _view_steps(target: Target, db: Database, today: Any) -> tuple[int, list[Any]]:
    """The steps of the dashboard's figures, the tracker's first page in each view and
    the review's (rows kept listed), each page of 5 rows: full at either size."""
    queries = [Query(team_id=1, view=view) for view in View]
    queries.append(Query(team_id=1, view=View.OPEN, sticky=frozenset({1, 2})))
    steps, figures = _figures_steps(target, today)
    with _steps(db) as counted:
        pages = [action_list.page(db, query, today, limit=5) for query in queries]
    return steps + counted[0], [figures, *((p.total, len(p.rows)) for p in pages)]


_OPEN_ROWS = "deleted_at IS NULL AND status NOT IN ('completed', 'abandoned')"


def _copy_actions(target: Target, times: int) -> int:
    """The open ones of the demo team's first twelve actions copied ``times`` times (on
    days and in statuses it has); how many open actions the team then has. Open: a page
    in due order walks past the closed rows on its way (not a count)."""
    assert target.path is not None
    conn = sqlite3.connect(target.path)
    try:
        for _ in range(times):
            conn.execute("INSERT INTO action (team_id, created_on, text, status, owner,"
                         " due_on, updated_at, version, search) SELECT team_id, created_on,"
                         " text, status, owner, due_on, updated_at, version, search"
                         f" FROM action WHERE team_id = 1 AND id <= 12 AND {_OPEN_ROWS}")
        conn.commit()
        return int(conn.execute("SELECT count(*) FROM action WHERE team_id = 1 AND "
                                f"{_OPEN_ROWS}").fetchone()[0])
    finally:
        conn.close()


def test_the_views_counts_do_not_grow_with_the_actions(
        demo_target: Target, db: Database, clock: FakeClock) -> None:
    """Ten times the team's open actions, on the days and in the statuses it has: the
    dashboard's figures, the tracker's and the review's "of N" cost the same (a count
    over the rows walked every one), and say what the rows say."""
    today = local_today(clock)
    _copy_actions(demo_target, 5)  # every page (and the dashboard's list) full
    before, _shown = _view_steps(demo_target, db, today)
    open_rows = _copy_actions(demo_target, 50)
    after, shown = _view_steps(demo_target, db, today)
    assert shown[1] == (open_rows, 5)  # the open view's "of N", and a full page
    assert sum(shown[0].by_status[s] for s in OPEN_STATUSES) == open_rows > 400
    assert after <= before * 1.05
