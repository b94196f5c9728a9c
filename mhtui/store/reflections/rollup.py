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
from mhtui.store.database.db import Database
from mhtui.store.models import AllocationRow, Meeting, Reflection
from mhtui.store.reflections import anonymity, reflection_edit

# The heading of anonymous answers whose role anonymity.roles does not show.
HIDDEN_ROLE = f"Anonymous, {anonymity.ROLE_NOT_SHOWN}"


@dataclass(frozen=True)
class Entry:
    reflection_id: int
    role: str  # the heading it is listed under: its role (anonymous: kind), or HIDDEN_ROLE
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
    note: str = ""  # what anonymity.mean said of the averages (not shown, left out)

    @property
    def count(self) -> int:
        return len(self.entries)


def last_checkin_end(db: Database, team_id: int) -> datetime | None:
    with db.read() as session:
        return session.exec(select(func.max(Meeting.ended_at)).where(
            Meeting.team_id == team_id, Meeting.state == "ended")).one()


def build(db: Database, team_id: int, since: datetime | None) -> RollUp:
    """The period's reflections under their roles and its averages, both as
    anonymity.py allows (the period is the group)."""
    mine = [col(Reflection.team_id) == team_id, col(Reflection.state) == "submitted"]
    if since is not None:
        # The period's few rows found by the index on submitted_at: "+ 0" and "|| ''"
        # keep SQLite off the indexes on team and state, which read every reflection.
        mine = [(col(Reflection.team_id) + 0) == team_id,
                col(Reflection.state).concat("") == "submitted",
                col(Reflection.submitted_at) >= since]
    anonymous = col(Reflection.author_name).is_(None)
    with db.read() as session:
        # The columns shown, not whole rows: the period may hold thousands.
        found = session.execute(
            sql_select(col(Reflection.id), col(Reflection.role_name),
                       col(Reflection.author_name), col(Reflection.support_needed),
                       col(Reflection.barriers), col(Reflection.role_kind))
            # Not by the role as typed: under 'role not shown' that order would tell
            # the hidden roles apart. Each heading keeps this order (the sort is stable).
            .where(*mine).order_by(col(Reflection.reflected_on), col(Reflection.id))).all()
        # The averages' figures counted by the database: one row per task type, pair of
        # shares as typed and authorship (a few dozen), however many tables there are.
        shares = session.execute(
            sql_select(col(AllocationRow.task_type), col(AllocationRow.ideal),
                       col(AllocationRow.current), anonymous, func.count())
            .join(Reflection).where(*mine)
            .group_by(col(AllocationRow.task_type), col(AllocationRow.ideal),
                      col(AllocationRow.current), anonymous)).all()
    linked = reflection_edit.links(db, mine)
    # Roles are grouped whatever their case and spacing; the spelling most of them used
    # names the group (on a tie, the earliest written).
    spellings: dict[str, Counter[str]] = {}
    for r in sorted(found, key=lambda r: r.id or 0):
        if r.author_name is not None:
            spellings.setdefault(role_key(r.role_name), Counter())[
                " ".join(r.role_name.split()) or "No role given"] += 1
    # The spelling most used; a tie goes to one not in capitals, then the first in
    # alphabetical order: never to the order the rows came in (random on a server).
    names = {key: min(counts, key=lambda s: (-counts[s], s.isupper(), s))
             for key, counts in spellings.items()}
    shown = anonymity.roles([anonymity.Member(r.author_name is None, r.role_name,
                                              r.role_kind) for r in found])
    entries = []
    for r, role in zip(found, shown, strict=True):
        heading = HIDDEN_ROLE if role == anonymity.ROLE_NOT_SHOWN else names.get(
            role_key(role), role)
        entries.append(Entry(
            r.id or 0, heading, r.author_name, r.support_needed, r.barriers,
            {f: linked.get((r.id or 0, f), []) for f in ("support_needed", "barriers")}))
    entries.sort(key=lambda e: (e.role == HIDDEN_ROLE, role_key(e.role)))
    sizes = Counter(role_key(e.role) for e in entries)
    first = {role_key(e.role): e.role for e in entries}
    by_role = sorted((first[k], n) for k, n in sizes.items() if first[k] != HIDDEN_ROLE)
    if role_key(HIDDEN_ROLE) in sizes:
        by_role.append((anonymity.ROLE_NOT_SHOWN, sizes[role_key(HIDDEN_ROLE)]))
    hidden = sum(1 for r in found if r.author_name is None)
    # Anonymous tables count only in a period between check-ins (anonymity.py): since
    # the last one, not the last 90 days or all time, which overlap the periods.
    whole = since == last_checkin_end(db, team_id)
    averages, note = _averages(shares, len(found), hidden, whole)
    return RollUp(since, by_role, entries, averages, note)


def _averages(counted: Sequence[tuple[str, str, str, bool, int]], reflections: int,
              anonymous: int, pool: bool) -> tuple[list[Average], str]:
    """Mean ideal and now share per task type over the rows that give both, as
    allocation.averages takes them, from the rows counted by task type, shares and
    authorship; each mean as anonymity.mean allows, and what it said."""
    # task type -> anonymous -> [ideal sum, now sum, rows]
    sums: dict[str, dict[bool, list[float]]] = {}
    for task_type, ideal, current, unsigned, times in counted:
        a, b = try_share(ideal), try_share(current)
        if a is None or b is None:
            continue
        entry = sums.setdefault(task_type, {False: [0.0, 0.0, 0], True: [0.0, 0.0, 0]})[
            bool(unsigned)]
        entry[0] += a * times
        entry[1] += b * times
        entry[2] += times
    order = ALLOCATION_TASK_TYPES
    names = [n for n in order if n in sums] + sorted(n for n in sums if n not in order)
    out, notes = [], []
    for name in names:
        named, anon = sums[name][False], sums[name][True]
        ideal_mean, now_mean = (
            anonymity.mean((named[i], int(named[2])), (anon[i], int(anon[2])), reflections,
                           anonymous, pool) for i in (0, 1))
        notes.append(ideal_mean.note)
        if ideal_mean.value is not None and now_mean.value is not None:
            out.append(Average(name, ideal_mean.value, now_mean.value, ideal_mean.count))
    return out, anonymity.worst(notes)
