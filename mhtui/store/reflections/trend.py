"""The trend across check-ins, read from the team's submitted reflections: the periods are
cut at the end of each check-in held. The sums are made by the database, one row per
period and authorship, whatever the number of reflections (core/trend.py holds the rules
they follow); each period's means are what anonymity.mean allows, the period the group."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    and_,
    case,
    cast,
    func,
    literal_column,
    null,
    union_all,
)
from sqlalchemy import select as sql_select
from sqlmodel import col, select

from mhtui.core.allocation import NON_COUNSELING, STUDENT_SERVICES, try_share
from mhtui.core.trend import TrendPoint
from mhtui.store.database.db import Database
from mhtui.store.models import AllocationRow, Meeting, Reflection
from mhtui.store.reflections import anonymity


def _share(column: Any, shares: dict[str, float]) -> ColumnElement[Any]:
    """A share as typed, as a number: each distinct text is read once by try_share (the
    same reading as the form's), so the database sums exactly what Python would."""
    if not shares:
        return cast(null(), Float)
    return case(shares, value=column, else_=null())


def _mean(named: tuple[Any, ...], anon: tuple[Any, ...], column: int,
          tables: int) -> anonymity.Figure:
    """One of a period's means from its named and anonymous rows (count, tables with an
    ideal, tables with a now, the four sums): ``column`` the sum, ``tables`` its count."""
    return anonymity.mean((named[column] or 0.0, named[tables]),
                          (anon[column] or 0.0, anon[tables]), named[0] + anon[0], anon[0])


def build(db: Database, team_id: int) -> list[TrendPoint]:
    """One point per period, oldest first: before the first check-in, between each two,
    and since the last (a period with no reflection shows as 0, no figures).

    A reflection submitted at the very moment a check-in ended counts after it. A
    period's mean share is the sum of its tables' shares of those task types over the
    tables whose column is filled in at all, as core.trend.point takes it."""
    mine = and_(col(Reflection.team_id) == team_id, col(Reflection.state) == "submitted")
    held = and_(col(Meeting.team_id) == team_id, col(Meeting.state) == "ended",
                col(Meeting.ended_at).is_not(None))
    with db.read() as session:
        ends: list[datetime] = [e for e in session.exec(
            select(Meeting.ended_at).where(held).order_by(col(Meeting.ended_at)))
            if e is not None]
        # Every distinct pair of texts typed: a few dozen, whatever the number of rows.
        pairs = session.exec(select(AllocationRow.ideal, AllocationRow.current).distinct()
                             .join(Reflection).where(mine)).all()
        shares = {t: v for t, v in ((t, try_share(t)) for pair in pairs for t in pair)
                  if v is not None}
        ideal = _share(AllocationRow.ideal, shares)
        now = _share(AllocationRow.current, shares)

        def total(value: ColumnElement[Any], kinds: tuple[str, ...]) -> ColumnElement[Any]:
            return func.sum(case((col(AllocationRow.task_type).in_(kinds), value)))

        def filled(value: ColumnElement[Any]) -> ColumnElement[Any]:
            return func.max(case((value.is_not(None), 1), else_=0))

        # Each reflection's period: how many check-ins had ended by its submission.
        events = union_all(
            select(col(Meeting.ended_at).label("at"), literal_column("1").label("is_end"),
                   cast(null(), Integer).label("reflection_id"),
                   literal_column("0").label("anonymous"))
            .where(held),
            select(col(Reflection.submitted_at).label("at"), literal_column("0").label("is_end"),
                   col(Reflection.id).label("reflection_id"),
                   case((col(Reflection.author_name).is_(None), 1), else_=0).label("anonymous"))
            .where(mine, col(Reflection.submitted_at).is_not(None)),
        ).subquery()
        numbered = select(
            events.c.reflection_id, events.c.anonymous,
            func.sum(events.c.is_end).over(
                order_by=(events.c.at, events.c.is_end.desc())).label("period"),
        ).subquery()
        # Each reflection's table summed, in its period (a reflection without one: nulls).
        tables = sql_select(
            numbered.c.period, numbered.c.anonymous,
            filled(ideal).label("has_ideal"), filled(now).label("has_now"),
            total(ideal, STUDENT_SERVICES).label("ideal_services"),
            total(now, STUDENT_SERVICES).label("now_services"),
            total(ideal, (NON_COUNSELING,)).label("ideal_duties"),
            total(now, (NON_COUNSELING,)).label("now_duties"),
        ).select_from(numbered).outerjoin(
            AllocationRow, col(AllocationRow.reflection_id) == numbered.c.reflection_id,
        ).where(numbered.c.reflection_id.is_not(None)).group_by(
            numbered.c.reflection_id, numbered.c.period, numbered.c.anonymous).subquery()
        found = session.execute(sql_select(
            tables.c.period, tables.c.anonymous, func.count(), func.sum(tables.c.has_ideal),
            func.sum(tables.c.has_now), func.sum(tables.c.ideal_services),
            func.sum(tables.c.now_services), func.sum(tables.c.ideal_duties),
            func.sum(tables.c.now_duties),
        ).group_by(tables.c.period, tables.c.anonymous)).all()
    # period -> anonymous -> (count, ideal tables, now tables, the four sums)
    by_period: dict[int, dict[bool, tuple[Any, ...]]] = {}
    for p, unsigned, *rest in found:
        by_period.setdefault(int(p), {})[bool(unsigned)] = tuple(rest)
    days = [e.astimezone().date() for e in ends]
    starts, stops = [None, *days], [*days, None]

    empty = (0, 0, 0, None, None, None, None)
    points = []
    for index, (start, stop) in enumerate(zip(starts, stops, strict=True)):
        named, anon = (by_period.get(index, {}).get(a, empty) for a in (False, True))
        i_s, n_s, i_d, n_d = (_mean(named, anon, column, tables)
                              for column, tables in ((3, 1), (4, 2), (5, 1), (6, 2)))
        ideal_s, now_s, ideal_d, now_d = (
            None if f.value is None else round(f.value, 1) for f in (i_s, n_s, i_d, n_d))
        points.append(TrendPoint(start, stop, named[0] + anon[0], n_s.count, ideal_s, now_s,
                                 ideal_d, now_d,
                                 anonymity.worst([f.note for f in (i_s, n_s, i_d, n_d)])))
    return points
