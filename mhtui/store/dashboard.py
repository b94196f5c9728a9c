"""The figures on the home screen, read with the standard library's sqlite3.

The dashboard is the first thing on screen, and importing SQLAlchemy and SQLModel takes
longer (0.6 s here) than every query below at 100,000 actions. So these are plain SQL
on a DB-API connection: a read-only one of their own at start, while the ORM loads in
the background, or the ORM's own. Each figure is one query; none loads a whole table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mhtui.core.schedule import Schedule, schedule_from
from mhtui.core.statuses import OPEN_STATUSES, Status
from mhtui.store.dbfile import sqlite_uri
from mhtui.store.sql import ACTIVE_TEAM_KEY, DUE_LAST

if TYPE_CHECKING:
    from mhtui.core.clock import Clock
    from mhtui.store.db import Database

ATTENTION_LIMIT = 40  # the card crops to its height; 40 fill a projector
_OPEN = ", ".join(f"'{s.value}'" for s in OPEN_STATUSES)


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    schedule: Schedule | None


@dataclass(frozen=True)
class Attention:
    due_on: date | None
    owner: str
    text: str


@dataclass(frozen=True)
class DashboardFigures:
    team_name: str
    next_checkin: date | None
    last_checkin: datetime | None
    by_status: dict[Status, int] = field(default_factory=dict)
    overdue: int = 0
    reflections_since_last: int = 0
    drafts: int = 0
    constrained_roles: tuple[str, ...] = ()
    meetings: int = 0
    attention: tuple[Attention, ...] = ()  # overdue first, then soonest due, open only
    running_meeting_id: int | None = None  # a check-in left running, to go back to
    team_id: int = 0  # the team the figures are of: the active team
    # The check-in started and not ended (clock running or not): the dashboard says so.
    open_meeting_id: int | None = None


def open_readonly(path: Any) -> sqlite3.Connection:
    """A connection that cannot write, for reading figures before the ORM is loaded."""
    conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def _one(conn: Any, sql: str, *args: object) -> Any:
    cursor = conn.cursor()
    try:
        row = cursor.execute(sql, args).fetchone()
    finally:
        cursor.close()
    return row[0] if row else None


def _all(conn: Any, sql: str, *args: object) -> list[Any]:
    cursor = conn.cursor()
    try:
        return list(cursor.execute(sql, args).fetchall())
    finally:
        cursor.close()


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def active_team(conn: Any) -> TeamRow | None:
    """The team last worked on, else the first; None before any team exists."""
    wanted = _one(conn, "SELECT value FROM setting WHERE key = ?", ACTIVE_TEAM_KEY)
    rows = _all(conn, "SELECT id, name, cadence, cadence_weeks, next_checkin_on FROM team "
                      "WHERE id = ? OR ? IS NULL ORDER BY id = ? DESC, id LIMIT 1",
                wanted, wanted, wanted)
    if not rows:
        rows = _all(conn, "SELECT id, name, cadence, cadence_weeks, next_checkin_on FROM team "
                          "ORDER BY id LIMIT 1")
    if not rows:
        return None
    team_id, name, cadence, weeks, next_on = rows[0]
    return TeamRow(team_id, name, schedule_from(cadence, _date(next_on), weeks))


def figures(conn: Any, team: TeamRow, today: date) -> DashboardFigures:
    alive = "team_id = ? AND deleted_at IS NULL"
    by_status = {s: 0 for s in Status}
    for status, count in _all(conn, f"SELECT status, count(*) FROM action WHERE {alive} "
                                    "GROUP BY status", team.id):
        if status in Status._value2member_map_:
            by_status[Status(status)] = count
    overdue = _one(conn, f"SELECT count(*) FROM action WHERE {alive} AND {DUE_LAST} < ? "
                         f"AND status IN ({_OPEN})", team.id, today.isoformat())
    last = _datetime(_one(conn, "SELECT max(ended_at) FROM meeting WHERE team_id = ? AND "
                                "state = 'ended'", team.id))
    submitted = "SELECT count(*) FROM reflection WHERE team_id = ? AND state = 'submitted'"
    since = (_one(conn, submitted + " AND submitted_at >= ?", team.id,
                  last.strftime("%Y-%m-%d %H:%M:%S.%f"))
             if last is not None else _one(conn, submitted, team.id))
    attention = _all(conn, f"SELECT due_on, owner, text FROM action WHERE {alive} AND "
                           f"{DUE_LAST} < '9999-12-31' AND status IN ({_OPEN}) "
                           f"ORDER BY {DUE_LAST}, id LIMIT {ATTENTION_LIMIT}", team.id)
    # As checkins.in_progress: the latest check-in not ended, if its clock is running.
    latest = _all(conn, "SELECT id, state FROM meeting WHERE team_id = ? AND state != 'ended' "
                        "ORDER BY id DESC LIMIT 1", team.id)
    running = latest[0][0] if latest and latest[0][1] == "running" else None
    return DashboardFigures(
        team_name=team.name,
        next_checkin=team.schedule.next_on_or_after(today) if team.schedule else None,
        last_checkin=last,
        by_status=by_status,
        overdue=overdue,
        reflections_since_last=since,
        drafts=_one(conn, "SELECT count(*) FROM reflection WHERE team_id = ? AND "
                          "state = 'draft'", team.id),
        constrained_roles=tuple(name for (name,) in _all(
            conn, "SELECT name FROM role WHERE team_id = ? AND capacity_constrained "
                  "ORDER BY position", team.id)),
        meetings=_one(conn, "SELECT count(*) FROM meeting WHERE team_id = ?", team.id),
        attention=tuple(Attention(_date(d), o, t) for d, o, t in attention),
        running_meeting_id=running,
        team_id=team.id,
        open_meeting_id=latest[0][0] if latest else None,
    )


def read(path: Path | None, today: date, database: Callable[[], Database],
         clock: Clock) -> DashboardFigures:
    """The active team's figures: from the file through sqlite3 alone, so the home screen
    does not wait for the ORM to load; through ``database()``, the ORM's handle, only
    when the file cannot be read that way (the very first run, a server's database)."""
    if path is not None and path.is_file():  # a pipe would never answer
        try:
            conn = open_readonly(path)
            try:
                team = active_team(conn)
                if team is not None:
                    return figures(conn, team, today)
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            pass  # opening it through the ORM says what is wrong with the file
    from mhtui.store import teams

    db = database()
    teams.active_team(db, clock)  # makes the first team on the very first run
    raw = db.engine.raw_connection()
    try:
        found = active_team(raw)
        assert found is not None
        return figures(raw, found, today)
    finally:
        raw.close()
