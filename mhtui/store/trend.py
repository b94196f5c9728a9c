"""The trend across check-ins, read from the team's submitted reflections: the periods are
cut at the end of each check-in held (core/trend.py does the sums)."""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime

from sqlmodel import col, select

from mhtui.core.allocation import Row
from mhtui.core.trend import TrendPoint, point
from mhtui.store.db import Database
from mhtui.store.models import AllocationRow, Meeting, Reflection


def build(db: Database, team_id: int) -> list[TrendPoint]:
    """One point per period, oldest first: before the first check-in, between each two,
    and since the last (a period with no reflection shows as 0, no figures)."""
    with db.read() as session:
        ends: list[datetime] = [e for e in session.exec(
            select(Meeting.ended_at).where(Meeting.team_id == team_id,
                                           Meeting.state == "ended")
            .order_by(col(Meeting.ended_at))) if e is not None]
        found = list(session.exec(select(Reflection.id, Reflection.submitted_at).where(
            Reflection.team_id == team_id, Reflection.state == "submitted")))
        rows = session.exec(select(AllocationRow).join(Reflection).where(
            Reflection.team_id == team_id, Reflection.state == "submitted")
            .order_by(col(AllocationRow.position))).all()
    tables: dict[int, list[Row]] = {}
    for row in rows:
        tables.setdefault(row.reflection_id, []).append(
            Row(row.task_type, row.ideal, row.current))
    bounds = [e.timestamp() for e in ends]
    periods: list[list[int]] = [[] for _ in range(len(ends) + 1)]
    for reflection_id, submitted_at in found:
        if reflection_id is None or submitted_at is None:
            continue
        periods[bisect_right(bounds, submitted_at.timestamp())].append(reflection_id)
    days = [e.astimezone().date() for e in ends]
    starts, stops = [None, *days], [*days, None]
    return [point(start, stop, [tables.get(i, []) for i in ids], len(ids))
            for start, stop, ids in zip(starts, stops, periods, strict=True)]
