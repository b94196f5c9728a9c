"""Reading the tracker: one page of rows at a time, filtered and sorted in SQL.

Nothing here loads a whole table: the screen asks for the rows it can show, so opening
the tracker and moving in it cost the same with 100 actions or 100,000.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Date, and_, column, func, literal_column, or_, table
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import Session, col, select

from mhtui.core.action_views import SOON_DAYS, Sort, View
from mhtui.core.folding import owner_key, words
from mhtui.core.statuses import OPEN_STATUSES, Status
from mhtui.store.actions.actions import ActionItem
from mhtui.store.database.db import Database
from mhtui.store.models import Action, ActionEvent, Meeting
from mhtui.store.sql import DUE_LAST, OWNER_ORDER, OWNER_ORDER_PG, STATUS_RANK

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


def _conditions(query: Query, today: date, *, paging: bool = False) -> list[Any]:
    """The WHERE of a query. With ``paging``, a filter's conditions go in a subquery
    that reads only the index on (team, status, due, search), so the page is found by
    walking the due index, checking each id against that list: ~40 ms at 100,000 rows
    however rare the words. Counting keeps them inline: that index answers it alone."""
    conds: list[Any] = [Action.team_id == query.team_id, col(Action.deleted_at).is_(None)]
    view = _view(query, today, col(Action.status), _due())
    found = words(query.text)
    if query.owner.strip():
        # The owner spelled in any case, with or without accents: "JOSÉ ÁLVAREZ" and
        # "jose alvarez" find "José Álvarez".
        view.append(col(Action.search).endswith(owner_key(query.owner), autoescape=True))
    if found:
        # Every word somewhere in the text or owner, in any order, compared folded
        # (core/folding.py).
        if query.view is View.ALL and query.status is None:
            # Every status: without a condition on the status SQLite would not choose
            # the index on (team, status, due, search) and read every row instead.
            view.append(col(Action.status).in_([s.value for s in Status]))
        view += [col(Action.search).contains(w, autoescape=True) for w in found]
        if paging:
            view = [col(Action.id).in_(select(Action.id).where(*conds, *view))]
    if view:
        combined = and_(*view)
        if query.sticky:
            combined = or_(combined, col(Action.id).in_(sorted(query.sticky)))
        conds.append(combined)
    return conds


def _view(query: Query, today: date, status: Any, due: Any) -> list[Any]:
    """The view's and the status filter's conditions on ``status`` and ``due``: of
    action, or of the counts kept by day (revision 0015)."""
    view: list[Any] = []
    if query.view is not View.ALL:
        view.append(status.in_(_OPEN))
    if query.view is View.OVERDUE:
        view.append(due < today)
    elif query.view is View.SOON:
        view += [due >= today, due <= today + timedelta(days=SOON_DAYS)]
    if query.status is not None:
        view.append(status == query.status.value)
    return view


# The live actions counted by team, status and due day, kept by triggers (revision
# 0015, SQLite only): a sum over days, where a count walks every action it counts.
_COUNTS = table("action_count", column("team_id"), column("status"),
                column("due", Date), column("n"))


def _count_live(session: Session, team_id: int,
                where: Callable[[Any, Any], list[Any]]) -> int:
    """How many live actions of the team meet ``where(status, due)``."""
    if session.get_bind().dialect.name == "sqlite":
        return int(session.execute(select(func.coalesce(func.sum(_COUNTS.c.n), 0)).where(
            _COUNTS.c.team_id == team_id, *where(_COUNTS.c.status, _COUNTS.c.due))
        ).scalar_one())
    return session.exec(select(func.count()).select_from(Action).where(
        Action.team_id == team_id, col(Action.deleted_at).is_(None),
        *where(col(Action.status), _due()))).one()


def _count(session: Session, query: Query, today: date) -> int:
    """The query's "of N". Without words or an owner, by the counts kept by day, and the
    rows kept listed that the view would not hold; else each matching row's index entry."""
    if words(query.text) or query.owner.strip():
        return session.exec(select(func.count()).select_from(Action).where(
            *_conditions(query, today))).one()
    view = partial(_view, query, today)
    total = _count_live(session, query.team_id, view)
    if query.sticky and (outside := view(col(Action.status), _due())):
        total += session.exec(select(func.count()).select_from(Action).where(
            Action.team_id == query.team_id, col(Action.deleted_at).is_(None),
            col(Action.id).in_(sorted(query.sticky)), ~and_(*outside))).one()
    return total


def _due() -> Any:
    # Written exactly as in the indexes on action, so SQLite can use them; a date, so a
    # date compared with it is bound as one (PostgreSQL has no date < text).
    return literal_column(DUE_LAST, type_=Date)


class _OwnerOrder(ColumnElement[Any]):
    """Owners A-Z, the unowned last: OWNER_ORDER, or its PostgreSQL twin."""

    inherit_cache = True


@compiles(_OwnerOrder)
def _owner_order(_element: _OwnerOrder, _compiler: Any, **_kw: Any) -> str:
    return OWNER_ORDER  # as in the index on action, so SQLite walks it


@compiles(_OwnerOrder, "postgresql")
def _owner_order_pg(_element: _OwnerOrder, _compiler: Any, **_kw: Any) -> str:
    return OWNER_ORDER_PG


def _order(sort: Sort) -> list[Any]:
    if sort is Sort.CREATED:
        return [col(Action.created_on).desc(), col(Action.id).desc()]
    first: list[Any] = ([literal_column(STATUS_RANK)] if sort is Sort.STATUS
                        else [_OwnerOrder()] if sort is Sort.OWNER else [])
    return [*first, _due(), col(Action.id)]


def _items() -> Any:
    """An ActionItem's columns in its fields' order. Columns, not ORM rows: no identity
    map to fill, half the time per row (a page of the review's 200 rows: 4.2 -> 2.1 ms)."""
    return select(*(getattr(Action, f.name) for f in fields(ActionItem)))


def page(db: Database, query: Query, today: date, offset: int = 0,
         limit: int = PAGE_SIZE) -> ActionPage:
    conds = _conditions(query, today, paging=True)
    with db.read() as session:
        total = _count(session, query, today)
        offset = max(0, min(offset, max(total - 1, 0) // limit * limit))
        rows = tuple(ActionItem(*row) for row in session.execute(
            _items().where(*conds).order_by(*_order(query.sort)).offset(offset).limit(limit)))
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
    conds = _conditions(query, today, paging=True)
    ranked = (select(col(Action.id).label("id"),
                     func.row_number().over(order_by=_order(query.sort)).label("n"))
              .where(*conds).subquery())
    with db.read() as session:
        found = session.exec(select(ranked.c.n).where(ranked.c.id == action_id)).first()
    return None if found is None else int(found) - 1


def matching(db: Database, query: Query, today: date) -> list[ActionItem]:
    """Every matching row, for the command line's list and export."""
    return list(each_matching(db, query, today))


STREAM_BATCH = 1000


def each_matching(db: Database, query: Query, today: date,
                  limit: int | None = None) -> Iterator[ActionItem]:
    """The matching rows in order, read from SQLite a batch at a time as they are used,
    so `actions list` prints the first rows at once and holds one batch, not 100,000."""
    stmt = _items().where(*_conditions(query, today, paging=True)).order_by(*_order(query.sort))
    if limit is not None:
        stmt = stmt.limit(limit)
    with db.read() as session:
        for row in session.execute(stmt.execution_options(yield_per=STREAM_BATCH)):
            yield ActionItem(*row)


def count_matching(db: Database, query: Query, today: date) -> tuple[int, int]:
    """How many rows match, and the highest id among them (0 when none)."""
    with db.read() as session:
        count, top = session.exec(
            select(func.count(), func.max(Action.id)).where(*_conditions(query, today))).one()
    return count, top or 0


@dataclass(frozen=True)
class Change:
    action: ActionItem
    what: str  # new, status, completed, overdue
    detail: str
    at: datetime | None
    old: str = ""  # a status change's statuses, before and after
    new: str = ""


# The groups of changes since the last check-in, in the order they are shown.
SINCE_GROUPS = ("new", "status", "completed", "overdue")


@dataclass(frozen=True)
class SinceSummary:
    """How many changes of each group there are since the last check-in; the rows are
    read a page at a time with ``since_page``."""

    team_id: int
    since_at: datetime | None  # when the last check-in ended; None if none has
    today: date
    counts: dict[str, int] | None  # one of SINCE_GROUPS -> how many; None: not counted

    @property
    def total(self) -> int:
        return sum(self.counts.values()) if self.counts is not None else 0


def _last_ended(session: Session, team_id: int) -> datetime | None:
    return session.exec(
        select(func.max(Meeting.ended_at)).where(
            Meeting.team_id == team_id, Meeting.state == "ended")
    ).one()


def _overdue_since(since_at: datetime, today: date, status: Any, due: Any) -> list[Any]:
    """Open and due between the last check-in and today: of action or of its counts."""
    return [status.in_(_OPEN), due >= since_at.astimezone().date(), due < today]


def _events_since(team_id: int, since_at: datetime) -> list[Any]:
    # "team_id + 0": no index on the team, so SQLite walks the events from ``since_at``
    # by their time and looks each action up by its id (80 ms for 100,000 new actions);
    # going from the team's actions instead took over a second.
    return [(Action.team_id + 0) == team_id, col(Action.deleted_at).is_(None),
            col(ActionEvent.at) >= since_at, col(ActionEvent.kind).in_(["created", "status"])]


_DONE = col(ActionEvent.new_value) == Status.COMPLETED.value
_STATUS = col(ActionEvent.kind) == "status"
_EVENT_GROUPS: dict[str, Any] = {
    "new": col(ActionEvent.kind) == "created",
    "status": and_(_STATUS, ~_DONE),
    "completed": and_(_STATUS, _DONE),
}


def _group(what: str, team_id: int, since_at: datetime, today: date) -> Any:
    """The select for one group: (event, action) rows, or actions for "overdue"."""
    if what == "overdue":
        return (select(Action).where(
            Action.team_id == team_id, col(Action.deleted_at).is_(None),
            *_overdue_since(since_at, today, col(Action.status), _due()))
                .order_by(_due(), col(Action.id)))
    return (select(ActionEvent, Action).join(Action)
            .where(*_events_since(team_id, since_at), _EVENT_GROUPS[what])
            .order_by(col(ActionEvent.at), col(ActionEvent.id)))


def since_begin(db: Database, team_id: int, today: date) -> SinceSummary:
    """When the team's last check-in ended, without counting anything: enough to read
    the first page (``since_page`` at 0) while ``since_summary`` counts."""
    with db.read() as session:
        since_at = _last_ended(session, team_id)
    counts = dict.fromkeys(SINCE_GROUPS, 0) if since_at is None else None
    return SinceSummary(team_id, since_at, today, counts)


def since_summary(db: Database, team_id: int, today: date,
                  since_at: datetime | None = None) -> SinceSummary:
    """Counts of what changed since ``since_at`` (the end of the team's last check-in
    when None): counted by SQLite, the rows themselves are not read."""
    with db.read() as session:
        if since_at is None:
            since_at = _last_ended(session, team_id)
        if since_at is None:
            return SinceSummary(team_id, None, today, dict.fromkeys(SINCE_GROUPS, 0))
        # The three kinds of event in one pass over the events since then.
        by_kind = session.execute(
            select(*(func.count().filter(cond) for cond in _EVENT_GROUPS.values()))
            .select_from(ActionEvent).join(Action)
            .where(*_events_since(team_id, since_at))).one()
        counts: dict[str, int] = dict(zip(_EVENT_GROUPS, by_kind, strict=True))
        counts["overdue"] = _count_live(session, team_id, partial(
            _overdue_since, since_at, today))
    return SinceSummary(team_id, since_at, today, counts)


def _change(what: str, row: Any) -> Change:
    if what == "overdue":
        assert row.due_on is not None
        return Change(ActionItem.of(row), "overdue", f"was due {row.due_on}, still open", None)
    event, action = row
    if what == "new":
        return Change(ActionItem.of(action), what, "new action", event.at)
    return Change(ActionItem.of(action), what, f"{event.old_value} → {event.new_value}",
                  event.at, event.old_value, event.new_value)


def since_page(db: Database, summary: SinceSummary, offset: int = 0,
               limit: int = PAGE_SIZE) -> tuple[Change, ...]:
    """The changes from ``offset`` (0 first) in the order shown: new actions, status
    changes, completed, newly overdue; each group oldest first. Each group is read with
    its own LIMIT, so a page costs the same at the start or the end of 100,000. Before
    the groups are counted, only the first page (``offset`` 0) can be read."""
    if summary.since_at is None:
        return ()
    if summary.counts is None and offset:
        raise ValueError("Only the first page can be read before the changes are counted.")
    found: list[Change] = []
    with db.read() as session:
        for what in SINCE_GROUPS:
            count = summary.counts[what] if summary.counts is not None else limit
            if offset >= count:
                offset -= count
                continue
            stmt = _group(what, summary.team_id, summary.since_at, summary.today)
            rows = session.exec(stmt.offset(offset).limit(limit - len(found))).all()
            found += [_change(what, row) for row in rows]
            offset = 0
            if len(found) >= limit:
                break
    return tuple(found)


def since(db: Database, team_id: int, since_at: datetime | None, today: date) -> list[Change]:
    """Every change since ``since_at`` (or the team's last check-in) in one list: what
    the pages join up to. The screens read a page at a time, or only the counts."""
    summary = since_summary(db, team_id, today, since_at)
    return list(since_page(db, summary, 0, summary.total))
