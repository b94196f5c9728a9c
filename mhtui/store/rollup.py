"""The team's reflections for a period, rolled up for the barriers discussion."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from mhtui.core import allocation
from mhtui.core.allocation import Average, Row
from mhtui.core.catalogue import ALLOCATION_TASK_TYPES
from mhtui.store import reflection_edit
from mhtui.store.db import Database
from mhtui.store.models import AllocationRow, Meeting, Reflection


@dataclass(frozen=True)
class Entry:
    reflection_id: int
    role: str
    author: str | None
    support: str
    barriers: str
    addressed: dict[str, list[int]]  # field -> action numbers


@dataclass(frozen=True)
class RollUp:
    since: datetime | None
    by_role: list[tuple[str, int]]
    entries: list[Entry]
    averages: list[Average]

    @property
    def count(self) -> int:
        return len(self.entries)


def last_checkin_end(db: Database, team_id: int) -> datetime | None:
    with db.read() as session:
        return session.exec(
            select(Meeting.ended_at).where(Meeting.team_id == team_id, Meeting.state == "ended")
            .order_by(col(Meeting.ended_at).desc())).first()


def build(db: Database, team_id: int, since: datetime | None) -> RollUp:
    query = select(Reflection).where(Reflection.team_id == team_id,
                                     Reflection.state == "submitted")
    if since is not None:
        query = query.where(col(Reflection.submitted_at) >= since)
    with db.read() as session:
        found = list(session.exec(query.order_by(col(Reflection.role_name),
                                                 col(Reflection.reflected_on))))
        ids = [r.id for r in found]
        rows = session.exec(select(AllocationRow)
                            .where(col(AllocationRow.reflection_id).in_(ids))
                            .order_by(col(AllocationRow.position))).all()
    tables: dict[int, list[Row]] = {}
    for row in rows:
        tables.setdefault(row.reflection_id, []).append(
            Row(row.task_type, row.ideal, row.current))
    linked = reflection_edit.links(db, team_id)
    entries = [
        Entry(r.id or 0, r.role_name or "No role given", r.author_name, r.support_needed,
              r.barriers, {f: linked.get((r.id or 0, f), [])
                           for f in ("support_needed", "barriers")})
        for r in found
    ]
    counts = Counter(e.role for e in entries)
    return RollUp(since, sorted(counts.items()), entries,
                  allocation.averages(tables.values(), ALLOCATION_TASK_TYPES))
