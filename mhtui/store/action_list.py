"""Reading the tracker: one page of rows at a time, filtered and sorted in SQL.

Nothing here loads a whole table: the screen asks for the rows it can show, so opening
the tracker and moving in it cost the same with 100 actions or 100,000.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, literal_column, or_
from sqlmodel import col, select

from mhtui.core.action_views import SOON_DAYS, Sort, View
from mhtui.core.statuses import OPEN_STATUSES, Status
from mhtui.store.actions import ActionItem
from mhtui.store.db import Database
from mhtui.store.models import Action, ActionEvent, Meeting
from mhtui.store.sql import DUE_LAST, OWNER_ORDER, STATUS_RANK

PAGE_SIZE = 100
_OPEN = [s.value for s in OPEN_STATUSES]


@dataclass(frozen=True)
class Query:
    team_id: int
    view: View = View.ALL
    sort: Sort = Sort.DUE
    text: str = ""
    owner: str = ""
    status: Status | None = None
    # Rows changed in this session stay in view until the view changes, so a row does
    # not vanish from under the cursor the moment someone marks it completed.
    sticky: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ActionPage:
    rows: tuple[ActionItem, ...]
    total: int
    offset: int
    meetings: dict[int, date]  # meeting id -> the date it was held, for the origin column


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(query: Query, today: date) -> list[Any]:
    conds: list[Any] = [Action.team_id == query.team_id, col(Action.deleted_at).is_(None)]
    view: list[Any] = []
    if query.view is View.OPEN:
        view.append(col(Action.status).in_(_OPEN))
    elif query.view is View.OVERDUE:
        view += [col(Action.status).in_(_OPEN), _due() < today.isoformat()]
    elif query.view is View.SOON:
        view += [col(Action.status).in_(_OPEN), _due() >= today.isoformat(),
                 _due() <= (today + timedelta(days=SOON_DAYS)).isoformat()]
    if query.text:
        pattern = _like(query.text)
        view.append(or_(col(Action.text).ilike(pattern, escape="\\"),
                        col(Action.owner).ilike(pattern, escape="\\")))
    if query.owner:
        view.append(func.lower(Action.owner) == query.owner.strip().lower())
    if query.status is not None:
        view.append(Action.status == query.status.value)
    if view:
        combined = and_(*view)
        if query.sticky:
            combined = or_(combined, col(Action.id).in_(sorted(query.sticky)))
        conds.append(combined)
    return conds


def _due() -> Any:
    # Written exactly as in the indexes on action, so SQLite can use them.
    return literal_column(DUE_LAST)


def _order(sort: Sort) -> list[Any]:
    if sort is Sort.CREATED:
        return [col(Action.created_on).desc(), col(Action.id).desc()]
    first: list[Any] = {Sort.STATUS: [literal_column(STATUS_RANK)],
                         Sort.OWNER: [literal_column(OWNER_ORDER)]}.get(sort, [])
    return [*first, _due(), col(Action.id)]


def page(db: Database, query: Query, today: date, offset: int = 0,
         limit: int = PAGE_SIZE) -> ActionPage:
    conds = _conditions(query, today)
    with db.read() as session:
        total = session.exec(select(func.count()).select_from(Action).where(*conds)).one()
        offset = max(0, min(offset, max(total - 1, 0) // limit * limit))
        rows = tuple(ActionItem.of(a) for a in session.exec(
            select(Action).where(*conds).order_by(*_order(query.sort))
            .offset(offset).limit(limit)
        ))
        ids = {a.meeting_id for a in rows if a.meeting_id is not None}
        held = session.exec(
            select(Meeting.id, Meeting.scheduled_at).where(col(Meeting.id).in_(ids))
        ).all() if ids else []
    return ActionPage(rows=rows, total=total, offset=offset,
                      meetings={mid: at.astimezone().date() for mid, at in held if mid})


def position(db: Database, query: Query, today: date, action_id: int) -> int | None:
    """Where ``action_id`` stands in the query's order (0 first), or None if not in it.

    Counted by SQLite with a window function, so the screen can open the page that holds
    a new action without reading the rows before it.
    """
    conds = _conditions(query, today)
    ranked = (select(col(Action.id).label("id"),
                     func.row_number().over(order_by=_order(query.sort)).label("n"))
              .where(*conds).subquery())
    with db.read() as session:
        found = session.exec(select(ranked.c.n).where(ranked.c.id == action_id)).first()
    return None if found is None else int(found) - 1


def matching(db: Database, query: Query, today: date) -> list[ActionItem]:
    """Every matching row, for the command line's list and export."""
    with db.read() as session:
        return [ActionItem.of(a) for a in session.exec(
            select(Action).where(*_conditions(query, today)).order_by(*_order(query.sort))
        )]


@dataclass(frozen=True)
class Change:
    action: ActionItem
    what: str  # new, status, completed, overdue
    detail: str
    at: datetime | None


def since(db: Database, team_id: int, since_at: datetime | None, today: date) -> list[Change]:
    """What changed since the team's last check-in: new, status changes, completed, and
    actions that fell overdue since then."""
    with db.read() as session:
        if since_at is None:
            since_at = session.exec(
                select(func.max(Meeting.ended_at)).where(
                    Meeting.team_id == team_id, Meeting.state == "ended")
            ).one()
        if since_at is None:
            return []
        events = session.exec(
            select(ActionEvent, Action).join(Action)
            .where(Action.team_id == team_id, col(Action.deleted_at).is_(None),
                   col(ActionEvent.at) >= since_at,
                   col(ActionEvent.kind).in_(["created", "status"]))
            .order_by(col(ActionEvent.at), col(ActionEvent.id))
        ).all()
        since_day = since_at.astimezone().date()
        overdue = session.exec(
            select(Action).where(
                Action.team_id == team_id, col(Action.deleted_at).is_(None),
                col(Action.status).in_(_OPEN), col(Action.due_on) >= since_day,
                col(Action.due_on) < today,
            ).order_by(col(Action.due_on))
        ).all()
    changes: list[Change] = []
    for event, row in events:
        action = ActionItem.of(row)
        if event.kind == "created":
            changes.append(Change(action, "new", "new action", event.at))
        elif event.new_value == Status.COMPLETED.value:
            changes.append(Change(action, "completed", f"{event.old_value} → completed",
                                  event.at))
        else:
            changes.append(Change(action, "status", f"{event.old_value} → {event.new_value}",
                                  event.at))
    for row in overdue:
        assert row.due_on is not None
        changes.append(Change(ActionItem.of(row), "overdue",
                              f"was due {row.due_on}, still open", None))
    return changes
