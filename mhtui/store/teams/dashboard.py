"""The figures on the home screen, in portable SQL with bound parameters.

The dashboard is the first thing on screen, and importing SQLAlchemy and SQLModel takes
longer (0.6 s here) than every query below at 100,000 actions. So each figure is one
query written once, in SQL both SQLite and PostgreSQL read the same way, with named
parameters (``:team``) and dates handed in as dates. From an SQLite file the queries
run on a read-only connection of the standard library's sqlite3 (it reads ``:name``
parameters itself), while the ORM loads in the background; from a server, through
SQLAlchemy Core (``text()`` with typed bound parameters), on a connection of its own
before the ORM is loaded, or the ORM's own. Each figure is one query; none loads a
whole table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mhtui.core.schedule import Schedule, schedule_from
from mhtui.core.statuses import OPEN_STATUSES, Status
from mhtui.store.database import connections
from mhtui.store.sql import ACTIVE_TEAM_KEY, DUE_LAST

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from mhtui.core.clock import Clock
    from mhtui.store.database.db import Database
    from mhtui.store.database.target import Target

ATTENTION_LIMIT = 40  # the card crops to its height; 40 fill a projector
# Constants of the code, never typed by anyone: written into the SQL.
_OPEN = ", ".join(f"'{s.value}'" for s in OPEN_STATUSES)
# How SQLAlchemy keeps a datetime in SQLite (its DateTime type), so that a value bound
# here compares with the stored text as the ORM's own queries do.
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"


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
    # The team's grid is not shown to this login (a staff login on a district's server:
    # the facilitators keep it); constrained_roles is then empty for that reason.
    grid_hidden: bool = False
    # The day of the newest backup copy, when that is more than a week ago (an SQLite
    # file's backups folder; a server keeps its own): the dashboard says so.
    old_backup: date | None = None


OLD_BACKUP_DAYS = 7
Params = Mapping[str, object]


class Reader(Protocol):
    """Runs one query of this module: its rows, parameters bound by name."""

    def rows(self, sql: str, params: Params) -> list[tuple[Any, ...]]: ...


class SqliteReader:
    """The standard library's sqlite3: dates and datetimes bound as the text SQLAlchemy
    stores them in SQLite, so they compare as the ORM's values do."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def rows(self, sql: str, params: Params) -> list[tuple[Any, ...]]:
        bound = {name: sqlite_value(value) for name, value in params.items()}
        cursor = self.conn.cursor()
        try:
            return list(cursor.execute(sql, bound).fetchall())
        finally:
            cursor.close()


def in_utc(value: datetime) -> datetime:
    """A datetime in UTC with its offset: one read back without it (SQLite's text, SQLModel
    keeps UTC there) is UTC. Bound so, it compares with PostgreSQL's timestamptz columns
    alike whatever the session's time zone."""
    return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)


def sqlite_value(value: object) -> object:
    """A parameter as SQLAlchemy's SQLite dialect binds it."""
    if isinstance(value, datetime):
        return in_utc(value).strftime(SQLITE_DATETIME)
    if isinstance(value, date):
        return value.isoformat()
    return value


class CoreReader:
    """SQLAlchemy Core on any database: each parameter bound with the type of its value
    (a date as a DATE on PostgreSQL, as SQLAlchemy's text in SQLite)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def rows(self, sql: str, params: Params) -> list[tuple[Any, ...]]:
        from sqlalchemy import bindparam, text
        from sqlalchemy.types import Boolean, Date, DateTime, Integer, String

        def typed(name: str, value: object) -> Any:
            if isinstance(value, datetime):
                return bindparam(name, in_utc(value), type_=DateTime(timezone=True))
            kind = (Date() if isinstance(value, date) else Boolean() if isinstance(value, bool)
                    else Integer() if isinstance(value, int) else String())
            return bindparam(name, value, type_=kind)

        stmt = text(sql).bindparams(*(typed(k, v) for k, v in params.items()))
        return [tuple(row) for row in self.conn.execute(stmt)]


def _reader(conn: Reader | sqlite3.Connection) -> Reader:
    return SqliteReader(conn) if isinstance(conn, sqlite3.Connection) else conn


def _one(reader: Reader, sql: str, **params: object) -> Any:
    rows = reader.rows(sql, params)
    return rows[0][0] if rows else None


def _datetime(value: str | datetime | None) -> datetime | None:
    """Aware, in UTC, as the ORM hands it out (SQLModel's UTCDateTime), from either path."""
    if value is None:
        return None
    return in_utc(value if isinstance(value, datetime) else datetime.fromisoformat(value))


def _date(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


_TEAM = "SELECT id, name, cadence, cadence_weeks, next_checkin_on FROM team"


def active_team(conn: Reader | sqlite3.Connection) -> TeamRow | None:
    """The team last worked on, else the first; None before any team exists."""
    reader = _reader(conn)
    wanted = _one(reader, "SELECT value FROM setting WHERE key = :key", key=ACTIVE_TEAM_KEY)
    rows: list[tuple[Any, ...]] = []
    if wanted is not None and str(wanted).strip().isdigit():
        rows = reader.rows(f"{_TEAM} WHERE id = :id", {"id": int(wanted)})
    if not rows:
        rows = reader.rows(f"{_TEAM} ORDER BY id LIMIT 1", {})
    if not rows:
        return None
    team_id, name, cadence, weeks, next_on = rows[0]
    return TeamRow(team_id, name, schedule_from(cadence, _date(next_on), weeks))


def figures(conn: Reader | sqlite3.Connection, team: TeamRow, today: date
            ) -> DashboardFigures:
    reader = _reader(conn)
    server = isinstance(reader, CoreReader) and reader.conn.dialect.name == "postgresql"
    alive = "team_id = :team AND deleted_at IS NULL"
    # On SQLite the counts kept by day (revision 0015): a sum over days, not a walk of
    # every action; PostgreSQL counts its index alone.
    count, counted, due = (("count(*)", f"action WHERE {alive}", DUE_LAST) if server else
                           ("sum(n)", "action_count WHERE team_id = :team", "due"))
    by_status = {s: 0 for s in Status}
    for status, number in reader.rows(f"SELECT status, {count} FROM {counted} "
                                      "GROUP BY status", {"team": team.id}):
        if status in Status._value2member_map_:
            by_status[Status(status)] = number
    overdue = _one(reader, f"SELECT coalesce({count}, 0) FROM {counted} AND {due} < :today "
                           f"AND status IN ({_OPEN})", team=team.id, today=today)
    last = _datetime(_one(reader, "SELECT max(ended_at) FROM meeting WHERE team_id = :team "
                                  "AND state = 'ended'", team=team.id))
    # The period's rows found by the index on submitted_at: "+ 0" and "|| ''" keep SQLite
    # off those on team and state, which read every reflection the team ever wrote.
    submitted = ("SELECT count(*) FROM reflection WHERE team_id + 0 = :team "
                 "AND state || '' = 'submitted'")
    since = (_one(reader, submitted + " AND submitted_at >= :last", team=team.id, last=last)
             if last is not None else _one(reader, submitted, team=team.id))
    attention = reader.rows(f"SELECT due_on, owner, text FROM action WHERE {alive} AND "
                            f"{DUE_LAST} < '9999-12-31' AND status IN ({_OPEN}) "
                            f"ORDER BY {DUE_LAST}, id LIMIT {ATTENTION_LIMIT}",
                            {"team": team.id})
    # As checkins.in_progress: the latest check-in not ended, if its clock is running.
    latest = reader.rows("SELECT id, state FROM meeting WHERE team_id = :team AND "
                         "state <> 'ended' ORDER BY id DESC LIMIT 1", {"team": team.id})
    running = latest[0][0] if latest and latest[0][1] == "running" else None
    grid_hidden = False
    if server and isinstance(reader, CoreReader):
        from mhtui.store.database.access import reach_on

        grid_hidden = not reach_on(reader.conn).sees_grid(team.id)
    return DashboardFigures(
        team_name=team.name,
        next_checkin=team.schedule.next_on_or_after(today) if team.schedule else None,
        last_checkin=last,
        by_status=by_status,
        overdue=overdue,
        reflections_since_last=since,
        drafts=_one(reader, "SELECT count(*) FROM reflection WHERE team_id = :team AND "
                            "state = 'draft'", team=team.id),
        constrained_roles=tuple(name for (name,) in reader.rows(
            "SELECT name FROM role WHERE team_id = :team AND capacity_constrained "
            "ORDER BY position, id", {"team": team.id})),
        meetings=_one(reader, "SELECT count(*) FROM meeting WHERE team_id = :team",
                      team=team.id),
        attention=tuple(Attention(_date(d), o, t) for d, o, t in attention),
        running_meeting_id=running,
        team_id=team.id,
        open_meeting_id=latest[0][0] if latest else None,
        grid_hidden=grid_hidden,
    )


def _from_file(path: Path, today: date) -> DashboardFigures | None:
    try:
        conn = connections.sqlite(path, "read")
        try:
            team = active_team(conn)
            return None if team is None else figures(conn, team, today)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None  # opening it through the ORM says what is wrong with the file


def _from_server(target: Target, today: date) -> DashboardFigures | None:
    """Through SQLAlchemy Core alone, on a connection of its own: the ORM is not needed
    to read a few counts. None when this cannot tell (no team yet, no schema, no
    connection): the ORM's opening then makes the first team or says what is wrong."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        engine = connections.engine(target.address, pooled=False)
    except (ImportError, SQLAlchemyError):
        return None
    try:
        with engine.connect() as conn:
            reader = CoreReader(conn)
            team = active_team(reader)
            return None if team is None else figures(reader, team, today)
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def _old_backup(path: Path, today: date, clock: Clock) -> date | None:
    """The newest backup's day if it is more than a week before ``today``."""
    from mhtui.store.database import backups

    newest = backups.newest(path, clock.now())
    day = newest.astimezone().date() if newest is not None else None
    return day if day is not None and (today - day).days > OLD_BACKUP_DAYS else None


def read(target: Target, today: date, database: Callable[[], Database],
         clock: Clock) -> DashboardFigures:
    """The active team's figures, without waiting for the ORM to load: from an SQLite
    file through sqlite3, from a server through SQLAlchemy Core. Through ``database()``,
    the ORM's handle, only when that cannot answer (the very first run: it makes the
    first team; a file that cannot be read; a server without the schema)."""
    path = target.path
    found: DashboardFigures | None = None
    if path is not None:
        if path.is_file():  # a pipe would never answer
            found = _from_file(path, today)
        if found is not None:
            found = replace(found, old_backup=_old_backup(path, today, clock))
    elif not target.url.startswith("sqlite"):  # (an in-memory SQLite lives in the ORM)
        found = _from_server(target, today)
    if found is not None:
        return found
    from mhtui.store.teams import teams

    db = database()
    teams.active_team(db, clock)  # makes the first team on the very first run
    with db.engine.connect() as conn:
        reader = CoreReader(conn)
        team = active_team(reader)
        assert team is not None
        return figures(reader, team, today)
