"""The tables for all four parts of mhtui.

Rows people edit carry a ``version`` that every update bumps, so an edit based on a
stale copy is detected and refused instead of silently overwriting someone else's work.
Datetimes are timezone-aware (SQLModel stores them as UTC); dates are the user's
calendar dates.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import TextClause
from sqlmodel import Field, SQLModel, UniqueConstraint

from mhtui.store.sql import DUE_LAST, OWNER_ORDER, OWNER_ORDER_PG, STATUS_RANK


def fresh_version() -> int:
    """The version a new row starts at: one no earlier row with the same id had.

    SQLite hands out the highest id again once that row is deleted (these tables do not
    use AUTOINCREMENT), so a cell set, cleared and set again came back as the same id at
    version 1, and a screen still holding (that id, 1) could change the new row unseen.
    Versions are only compared for equality, so a random start is as good as 1.
    """
    return secrets.randbelow(2**30) + 1  # room to count up within a 32-bit column

# --- teams and settings -------------------------------------------------------------


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    created_at: datetime
    # Cadence of check-ins: "monthly", "quarterly" or "weeks" (every cadence_weeks weeks).
    cadence: str = "monthly"
    cadence_weeks: int | None = None
    weekday: int | None = None  # 0 = Monday
    start_time: str | None = None  # "HH:MM", local time
    meeting_minutes: int = 60
    place: str = ""
    next_checkin_on: date | None = None
    enrollment: int | None = None
    version: int = Field(default_factory=fresh_version)
    # Minutes before an item's end that the check-in warns (None: 5, none for items
    # under 10 minutes; 0: never), and whether the bell rings: kept for the next one.
    warn_minutes: int | None = None
    bell: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # One UID for the team's calendar series, kept when the schedule changes (0006).
    # Made with the team, so showing an invitation never has to write.
    calendar_uid: str = Field(default_factory=lambda: f"{uuid.uuid4()}@mhtui",
                              sa_column_kwargs={"server_default": ""})


class Staff(SQLModel, table=True):
    """A person the team invites to its check-ins."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    name: str
    role_name: str = ""
    email: str = ""
    version: int = Field(default_factory=fresh_version,
                         sa_column_kwargs={"server_default": "1"})
    # Deactivated people keep their name in history but get no invitation (0006).
    active: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})


class Setting(SQLModel, table=True):
    """Per-database settings, such as the team last worked on."""

    key: str = Field(primary_key=True)
    value: str


# --- the check-in meeting -------------------------------------------------------------


class AgendaTemplateItem(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    position: int
    title: str
    minutes: int
    questions: str = ""  # one question per line
    kind: str = Field(default="other", sa_column_kwargs={"server_default": "other"})
    version: int = Field(default_factory=fresh_version,
                         sa_column_kwargs={"server_default": "1"})


class Meeting(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    scheduled_at: datetime
    planned_minutes: int = 60
    state: str = "planned"  # planned, running, ended
    current_position: int = 0
    # The running segment of the current item began here (wall clock); None when paused.
    running_since: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    bell: bool = False
    version: int = Field(default_factory=fresh_version)
    # When mhtui last had it open with the clock running (checked on reopening).
    seen_at: datetime | None = None


class MeetingAttendee(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    name: str
    role_name: str = ""
    # False: on the roster, not at this check-in (the minutes name them) (0006).
    present: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})


class MeetingItem(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    position: int
    title: str
    planned_seconds: int
    # Seconds spent in finished segments; a running segment is added from running_since.
    spent_seconds: float = 0.0
    questions: str = ""
    notes: str = ""
    version: int = Field(default_factory=fresh_version)
    # review, barriers, plans or other: which panel the projected view shows beside it
    kind: str = Field(default="other", sa_column_kwargs={"server_default": "other"})
    # The clock's figure before the time spent was corrected by hand (None: never).
    spent_by_clock: float | None = None


# --- the action tracker ---------------------------------------------------------------


class _IndexExpression(TextClause):
    """An expression in an index: as written on SQLite, in parentheses on PostgreSQL."""

    inherit_cache = True


@compiles(_IndexExpression, "postgresql")
def _parenthesised(element: _IndexExpression, compiler: Any, **kw: Any) -> str:
    return f"({compiler.visit_textclause(element, **kw)})"


def _expr(sql: str) -> _IndexExpression:
    """One expression of an index (OWNER_ORDER holds two: split at ", ")."""
    return _IndexExpression(sql)


class _TwoWays(_IndexExpression):
    """An index expression written one way on SQLite and another on PostgreSQL."""

    inherit_cache = False  # the PostgreSQL text is not in TextClause's cache key

    def __init__(self, sqlite: str, postgresql: str) -> None:
        super().__init__(sqlite)
        self.postgresql = postgresql


@compiles(_TwoWays, "postgresql")
def _as_on_postgresql(element: _TwoWays, compiler: Any, **kw: Any) -> str:
    return f"({element.postgresql})"


# The owner sort's expressions: OWNER_ORDER on SQLite, OWNER_ORDER_PG (a bounded prefix
# of the owner, so no owner overflows a btree entry) on PostgreSQL.
_OWNER = [_TwoWays(lite, pg) for lite, pg in zip(OWNER_ORDER.split(", "),
                                                  OWNER_ORDER_PG.split(", ", 1), strict=True)]


# The partial indexes' condition, for each backend that has partial indexes.
_LIVE: dict[str, Any] = {"sqlite_where": text("deleted_at IS NULL"),
                         "postgresql_where": text("deleted_at IS NULL")}


_COUNTED: list[Any] = ["team_id", "deleted_at", "status", _expr(DUE_LAST), "due_on"]


class Action(SQLModel, table=True):
    # Partial (live actions only) on both backends, declared per dialect; each expression
    # renders bare on SQLite (as migrations/0002 wrote it) and in parentheses on
    # PostgreSQL, as each requires (migrations/postgresql/0002). On PostgreSQL no index
    # holds unbounded text (revision 0010): the owner's is a prefix, and the folded
    # text's index is SQLite's only (without it, it is ix_action_live_status).
    __table_args__ = (
        Index("ix_action_live_due", "team_id", _expr(DUE_LAST), "id", **_LIVE),
        Index("ix_action_live_status", "team_id", "status", _expr(DUE_LAST), **_LIVE),
        Index("ix_action_live_rank", "team_id", _expr(STATUS_RANK), _expr(DUE_LAST), "id",
              **_LIVE),
        Index("ix_action_live_owner", "team_id", *_OWNER, _expr(DUE_LAST), "id", **_LIVE),
        Index("ix_action_live_created", "team_id", "created_on", "id", **_LIVE),
        # Not partial: a count of live actions reads the first alone, a filter's count
        # the second (0014; SQLite needs due_on itself as well as the expression).
        Index("ix_action_live_counts", *_COUNTED),
        Index("ix_action_live_search", *_COUNTED, "search").ddl_if(dialect="sqlite"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    created_on: date
    text: str
    status: str = "not started"
    owner: str = ""
    due_on: date | None = None
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", ondelete="SET NULL")
    shift_plan_id: int | None = Field(
        default=None, foreign_key="shiftplan.id", ondelete="SET NULL"
    )
    updated_at: datetime
    deleted_at: datetime | None = None
    version: int = Field(default_factory=fresh_version)
    # Text and owner folded for the filter (core/folding.py); filled on every flush by
    # store/search.py, and for existing rows by migration 0008.
    search: str = Field(default="", sa_column_kwargs={"server_default": ""})


class ActionEvent(SQLModel, table=True):
    """One line of an action's history: created, a status change, an edit, a deletion."""

    __table_args__ = (  # a check-in's status changes, for its review (0014)
        Index("ix_actionevent_meeting_id", "meeting_id",
              sqlite_where=text("meeting_id IS NOT NULL"),
              postgresql_where=text("meeting_id IS NOT NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True, ondelete="CASCADE")
    at: datetime = Field(index=True)
    kind: str  # created, status, edit, deleted, restored
    field: str = ""
    old_value: str = ""
    new_value: str = ""
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", ondelete="SET NULL")


# --- the staff reflection -------------------------------------------------------------


class Reflection(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # A stable identity for a reflection written on another laptop and imported here.
    uid: str = Field(unique=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    reflected_on: date
    author_name: str | None = None  # None: anonymous, and stays so in every export
    role_name: str = ""
    support_needed: str = ""
    barriers: str = ""
    state: str = Field(default="draft", index=True)  # draft, submitted
    submitted_at: datetime | None = Field(default=None, index=True)
    updated_at: datetime
    version: int = Field(default_factory=fresh_version)
    # 1 when first submitted; one more at each submission after a reopening (0007).
    revision: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    # school counselor, school psychologist, school social worker, other; "" (0007).
    role_kind: str = Field(default="", sa_column_kwargs={"server_default": ""})


class ReflectionEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    reflection_id: int = Field(foreign_key="reflection.id", index=True, ondelete="CASCADE")
    at: datetime
    kind: str  # submitted, reopened, imported


class AllocationRow(SQLModel, table=True):
    """One task type in a reflection's time-allocation table.

    Shares are kept as typed: a draft may hold anything, and is checked on submit.
    """

    id: int | None = Field(default=None, primary_key=True)
    reflection_id: int = Field(foreign_key="reflection.id", index=True, ondelete="CASCADE")
    position: int
    task_type: str
    ideal: str = ""
    current: str = ""
    actions: str = ""


class ReflectionLink(SQLModel, table=True):
    """A support need or barrier marked as addressed by a tracker action."""

    id: int | None = Field(default=None, primary_key=True)
    reflection_id: int = Field(foreign_key="reflection.id", index=True, ondelete="CASCADE")
    field: str  # support_needed or barriers
    action_id: int = Field(foreign_key="action.id", ondelete="CASCADE")



@event.listens_for(Reflection, "before_insert")
@event.listens_for(ReflectionEvent, "before_insert")
@event.listens_for(AllocationRow, "before_insert")
@event.listens_for(ReflectionLink, "before_insert")
def _random_id_on_a_server(_mapper: Any, connection: Connection, row: Any) -> None:
    """On a server, a reflection's rows get ids drawn at random by the server
    (migration 0013's mhtui_random_id), so no id tells when a reflection arrived. Drawn
    here rather than left to the column's default: the ORM pairs the ids a many-row
    insert returns with its rows by sorting them, as if they counted up."""
    if row.id is None and connection.dialect.name == "postgresql":
        row.id = connection.execute(text("SELECT mhtui_random_id(:rows)"),
                                    {"rows": f"{type(row).__tablename__}_rows"}).scalar_one()

# --- the role-capability grid ---------------------------------------------------------


class Role(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    position: int
    name: str
    audience: str = "general staff"  # which trainings in the glossary suit this role
    capacity_constrained: bool = False
    fte: float | None = None
    ratio_kind: str | None = None  # counselor, psychologist, social_worker
    version: int = Field(default_factory=fresh_version)


class TaskCategory(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    position: int
    name: str
    version: int = Field(default_factory=fresh_version,
                         sa_column_kwargs={"server_default": "1"})


class Task(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    category_id: int = Field(foreign_key="taskcategory.id", index=True, ondelete="CASCADE")
    position: int
    name: str
    priority: bool = False
    to_shift: bool = False
    version: int = Field(default_factory=fresh_version)


class Capability(SQLModel, table=True):
    """A task-by-role cell. No row means not yet assessed."""

    __table_args__ = (UniqueConstraint("task_id", "role_id"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    role_id: int = Field(foreign_key="role.id", index=True, ondelete="CASCADE")
    value: str  # yes, no, training
    version: int = Field(default_factory=fresh_version)


class ShiftPlan(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", unique=True, ondelete="CASCADE")
    roles: str = ""
    when: str = ""
    communication: str = ""
    staffing: str = ""
    training: str = ""
    other_steps: str = ""
    state: str = "draft"  # draft, agreed, done
    updated_at: datetime
    version: int = Field(default_factory=fresh_version)


class Training(SQLModel, table=True):
    """The training glossary, shared by every team in the database."""

    id: int | None = Field(default=None, primary_key=True)
    audience: str = Field(index=True)
    name: str
