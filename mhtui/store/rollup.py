"""The team's reflections for a period, rolled up for the barriers discussion."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sql_select
from sqlmodel import col, func, select

from mhtui.core.allocation import Average, role_key, try_share
from mhtui.core.catalogue import ALLOCATION_TASK_TYPES
from mhtui.store import reflection_edit
from mhtui.store.db import Database
from mhtui.store.models import AllocationRow, Meeting, Reflection

# An anonymous answer is shown under its role only when at least this many reflections
# of the period share the role: in a smaller group the role would name its author.
MIN_GROUP = 3
HIDDEN_ROLE = "Anonymous, role not shown (fewer than 3 reflections share it)"
SMALL_ROLES = "other roles"  # under 3 reflections, one of them anonymous


@dataclass(frozen=True)
class Entry:
    reflection_id: int
    role: str  # the heading it is listed under: its role, or HIDDEN_ROLE
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
    mine = [col(Reflection.team_id) == team_id, col(Reflection.state) == "submitted"]
    if since is not None:
        mine.append(col(Reflection.submitted_at) >= since)
    with db.read() as session:
        # The columns shown, not whole rows: the period may hold thousands.
        found = session.execute(
            sql_select(col(Reflection.id), col(Reflection.role_name),
                       col(Reflection.author_name), col(Reflection.support_needed),
                       col(Reflection.barriers))
            .where(*mine).order_by(col(Reflection.role_name), col(Reflection.reflected_on),
                                   col(Reflection.id))).all()
        # The averages' figures counted by the database: one row per task type and pair
        # of shares as typed (a few dozen), however many tables the period holds.
        shares = session.exec(
            select(AllocationRow.task_type, AllocationRow.ideal, AllocationRow.current,
                   func.count()).join(Reflection).where(*mine)
            .group_by(col(AllocationRow.task_type), col(AllocationRow.ideal),
                      col(AllocationRow.current))).all()
    linked = reflection_edit.links(db, team_id)
    # Roles are grouped whatever their case and spacing; the spelling most of them used
    # names the group (on a tie, the earliest written).
    spellings: dict[str, Counter[str]] = {}
    for r in sorted(found, key=lambda r: r.id or 0):
        spellings.setdefault(role_key(r.role_name), Counter())[
            " ".join(r.role_name.split()) or "No role given"] += 1
    names = {key: counts.most_common(1)[0][0] for key, counts in spellings.items()}
    sizes = Counter(role_key(r.role_name) for r in found)
    entries = []
    for r in found:
        key = role_key(r.role_name)
        hidden = r.author_name is None and sizes[key] < MIN_GROUP
        entries.append(Entry(
            r.id or 0, HIDDEN_ROLE if hidden else names[key], r.author_name,
            r.support_needed, r.barriers,
            {f: linked.get((r.id or 0, f), []) for f in ("support_needed", "barriers")}))
    entries.sort(key=lambda e: (e.role == HIDDEN_ROLE, role_key(e.role)))
    # A small role that holds an anonymous answer is counted with the others like it:
    # "School social worker 1" and an unsigned answer would name its author.
    folded = {role_key(r.role_name) for r in found
              if r.author_name is None and sizes[role_key(r.role_name)] < MIN_GROUP}
    by_role = sorted((names[k], n) for k, n in sizes.items() if k not in folded)
    small = sum(sizes[k] for k in folded)
    if small:
        by_role.append((SMALL_ROLES, small))
    return RollUp(since, by_role, entries, _averages(shares))


def _averages(counted: Sequence[tuple[str, str, str, int]]) -> list[Average]:
    """Mean ideal and now share per task type over the rows that give both, as
    allocation.averages takes them, from the rows counted by task type and shares."""
    sums: dict[str, list[float]] = {}
    for task_type, ideal, current, times in counted:
        a, b = try_share(ideal), try_share(current)
        if a is None or b is None:
            continue
        entry = sums.setdefault(task_type, [0.0, 0.0, 0])
        entry[0] += a * times
        entry[1] += b * times
        entry[2] += times
    order = ALLOCATION_TASK_TYPES
    names = [n for n in order if n in sums] + sorted(n for n in sums if n not in order)
    return [Average(n, sums[n][0] / sums[n][2], sums[n][1] / sums[n][2], int(sums[n][2]))
            for n in names]
