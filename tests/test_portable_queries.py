"""The store's queries read the same on SQLite and on a district's PostgreSQL.

Written once, run on both by the suite's backend switch (``--backend postgresql``):
dates compared as dates (PostgreSQL has no ``date < text``), the dashboard's figures
read before the ORM loads (sqlite3 from a file, SQLAlchemy Core from a server), and
names in the same order whatever the server's collation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from mhtui.cli import main
from mhtui.core.action_views import Sort, View
from mhtui.core.clock import FakeClock, local_today
from mhtui.core.statuses import OPEN_STATUSES, Status
from mhtui.store.actions import action_list, actions
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.teams import dashboard, teams
from tests.helpers import db_arg


def _not_opened() -> Database:
    raise AssertionError("the figures were read through the ORM, not before it")


def test_the_dashboard_figures_are_read_before_the_orm_and_agree_with_the_tracker(
        demo_target: Target, open_db: Callable[[Target], Database], clock: FakeClock) -> None:
    today = local_today(clock)
    # From the file (sqlite3) or the server (SQLAlchemy Core): the ORM is never asked.
    fig = dashboard.read(demo_target, today, _not_opened, clock)
    db = open_db(demo_target)
    team = teams.active_team(db, clock)
    assert fig.team_name == team.name
    overdue, _ = action_list.count_matching(
        db, action_list.Query(team_id=team.id or 0, view=View.OVERDUE), today)
    assert overdue > 0
    assert fig.overdue == overdue
    # Open actions with a date, overdue first: dates as dates, in due order.
    dues = [a.due_on for a in fig.attention]
    assert dues and all(isinstance(d, date) for d in dues)
    assert dues == sorted(d for d in dues if d is not None)
    assert sum(d < today for d in dues if d is not None) == overdue
    assert fig.last_checkin is not None
    # Through the ORM's own engine (SQLAlchemy Core on it): the same figures.
    with db.engine.connect() as conn:
        reader = dashboard.CoreReader(conn)
        found = dashboard.active_team(reader)
        assert found is not None
        assert dashboard.figures(reader, found, today) == fig


def test_the_dashboard_makes_the_first_team_through_the_orm_on_an_empty_database(
        empty_target: Target, open_db: Callable[[Target], Database], clock: FakeClock) -> None:
    db = open_db(empty_target)
    fig = dashboard.read(empty_target, local_today(clock), lambda: db, clock)
    assert fig.team_name == teams.active_team(db, clock).name
    assert fig.overdue == 0 and fig.attention == () and fig.meetings == 0


def test_the_views_by_due_date_compare_dates(
        empty_target: Target, open_db: Callable[[Target], Database], clock: FakeClock) -> None:
    db = open_db(empty_target)
    team = teams.active_team(db, clock).id or 0
    today = local_today(clock)
    for days, text in ((-30, "long overdue"), (-1, "overdue by a day"), (0, "due today"),
                       (13, "due in 13 days"), (40, "due in 40 days")):
        actions.create(db, team, actions.Fields(text, "Ann", today + timedelta(days=days)),
                       clock)
    actions.create(db, team, actions.Fields("no date", "Ann"), clock)

    def shown(view: View) -> list[str]:
        return [a.text for a in action_list.page(
            db, action_list.Query(team_id=team, view=view), today).rows]

    assert shown(View.OVERDUE) == ["long overdue", "overdue by a day"]
    assert shown(View.SOON) == ["due today", "due in 13 days"]
    assert shown(View.ALL)[-1] == "no date"  # undated last
    # The changes since a check-in: what fell overdue after it ended.
    since = action_list.since_summary(db, team, today, clock.now() - timedelta(days=5))
    assert since.counts is not None and since.counts["overdue"] == 1
    assert [c.action.text for c in action_list.since_page(db, since)
            if c.what == "overdue"] == ["overdue by a day"]


OWNERS = ["dean", "De Luca", "Álvarez", "ébert", "adams", "", "Zoe", "Bob", "ÁLVAREZ", "Ébert"]


def test_owners_sort_in_the_same_order_on_every_backend(
        empty_target: Target, open_db: Callable[[Target], Database], clock: FakeClock) -> None:
    """SQLite's lower() folds ASCII letters only and compares bytes: on PostgreSQL the
    same order, whatever the server's locale, so a laptop and the district agree."""
    db = open_db(empty_target)
    team = teams.active_team(db, clock).id or 0
    for owner in OWNERS:
        actions.create(db, team, actions.Fields(f"for {owner or 'nobody'}", owner), clock)
    query = action_list.Query(team_id=team, sort=Sort.OWNER)
    today = local_today(clock)
    rows = action_list.page(db, query, today).rows
    # Letters beyond ASCII keep their case and go after z, by their bytes ("É" before
    # "é", where PostgreSQL's own lower() made them a tie); ties (the two spellings of
    # Álvarez) by due date, then by number: the older first.
    assert [a.owner for a in rows] == [
        "adams", "Bob", "De Luca", "dean", "Zoe", "Álvarez", "ÁLVAREZ", "Ébert", "ébert", ""]
    assert [action_list.position(db, query, today, a.id) for a in rows] == list(
        range(len(OWNERS)))


def test_teams_are_listed_by_their_folded_name(
        empty_target: Target, open_db: Callable[[Target], Database], clock: FakeClock) -> None:
    db = open_db(empty_target)
    teams.active_team(db, clock)  # the first team: "My school"
    for name in ("zed school", "Élan Academy", "adams elementary", "Bravo High"):
        teams.create_team(db, name, clock)
    names = [t.name for t in teams.list_teams(db)]
    assert names == ["adams elementary", "Bravo High", "Élan Academy", "My school",
                     "zed school"]


def test_the_open_statuses_of_the_figures_are_the_trackers(
        demo_target: Target, clock: FakeClock) -> None:
    fig = dashboard.read(demo_target, local_today(clock), _not_opened, clock)
    open_count = sum(fig.by_status[s] for s in OPEN_STATUSES)
    assert open_count >= len(fig.attention)
    assert sum(fig.by_status.values()) >= fig.by_status[Status.COMPLETED]


def test_imported_actions_are_found_by_the_filter_and_the_owner(
        tmp_path: Path, empty_target: Target, open_db: Callable[[Target], Database],
        capsys: pytest.CaptureFixture[str]) -> None:
    """The import adds rows in batches past the ORM; each is folded for the filter
    too (the filter and --owner found none of them before)."""
    sheet = tmp_path / "tracker.csv"
    sheet.write_text("Item creation date,Action item,Progress tracker,Who is responsible?,"
                     "When will it be done?\n2026-11-01,Book the ZOË [/b] room,not started,"
                     "Ángel Ruiz,2026-12-01\n", encoding="utf-8")
    assert main(["--db", db_arg(empty_target), "import", "actions", str(sheet)]) == 0
    capsys.readouterr()
    assert main(["--db", db_arg(empty_target), "actions", "list", "--owner", "ANGEL ruiz",
                 "--format", "csv"]) == 0
    assert "Book the ZOË [/b] room" in capsys.readouterr().out
    db = open_db(empty_target)
    team = teams.active_team(db, FakeClock()).id or 0
    found = action_list.page(db, action_list.Query(team_id=team, text="zoe room"),
                             date(2026, 11, 23)).rows
    assert [a.text for a in found] == ["Book the ZOË [/b] room"]


def _utc(at: datetime) -> datetime:
    """UTC with its offset: read back without one (SQLite's text), it is UTC."""
    return at.replace(tzinfo=UTC) if at.utcoffset() is None else at.astimezone(UTC)


def test_the_figures_count_from_the_last_check_in_whatever_the_session_time_zone(
        demo_target: Target, open_db: Callable[[Target], Database], clock: FakeClock) -> None:
    """A reflection submitted an hour after the last check-in ended counts as since it,
    also read on a server whose session is in another time zone (New York, 5 hours
    behind): the end is bound in UTC with its offset."""
    import uuid

    from sqlalchemy import create_engine

    from mhtui.store.models import Reflection

    db = open_db(demo_target)
    today = local_today(clock)
    before = dashboard.read(demo_target, today, _not_opened, clock)
    assert before.last_checkin is not None
    ended = _utc(before.last_checkin)
    with db.write() as session:
        session.add(Reflection(
            uid=str(uuid.uuid4()), team_id=before.team_id, reflected_on=ended.date(),
            state="submitted", submitted_at=ended + timedelta(hours=1),
            updated_at=ended + timedelta(hours=1)))
    fig = dashboard.read(demo_target, today, _not_opened, clock)
    assert fig.reflections_since_last == before.reflections_since_last + 1
    if db.engine.dialect.name == "postgresql":
        elsewhere = create_engine(db.engine.url,
                                  connect_args={"options": "-c TimeZone=America/New_York"})
        try:
            with elsewhere.connect() as conn:
                reader = dashboard.CoreReader(conn)
                team = dashboard.active_team(reader)
                assert team is not None
                aware = dashboard.figures(reader, team, today)
                assert aware.last_checkin is not None
                assert _utc(aware.last_checkin) == ended
                assert aware.reflections_since_last == fig.reflections_since_last
        finally:
            elsewhere.dispose()
