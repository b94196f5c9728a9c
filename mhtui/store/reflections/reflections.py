"""Reading the team's reflections, as frozen copies (``ReflectionRow``); the list's
anonymous ones as anonymity.py allows (role kind in a group of 3, day only)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import col, select

from mhtui.core.clock import to_the_day
from mhtui.store.database.db import Database
from mhtui.store.models import Meeting, Reflection
from mhtui.store.reflections import anonymity


@dataclass(frozen=True)
class ReflectionRow:
    """One reflection as screens and exports read it; its allocation table is apart."""

    id: int
    uid: str
    team_id: int
    reflected_on: date
    author_name: str | None  # None: anonymous
    role_name: str
    support_needed: str
    barriers: str
    state: str  # draft, submitted
    submitted_at: datetime | None
    updated_at: datetime
    version: int  # what a change of it is based on
    revision: int = 1  # one more at each submission after a reopening
    role_kind: str = ""  # one of allocation.ROLE_KINDS, or "" (not chosen)

    @classmethod
    def of(cls, reflection: Reflection) -> ReflectionRow:
        assert reflection.id is not None
        return cls(id=reflection.id, uid=reflection.uid, team_id=reflection.team_id,
                   reflected_on=reflection.reflected_on, author_name=reflection.author_name,
                   role_name=reflection.role_name, support_needed=reflection.support_needed,
                   barriers=reflection.barriers, state=reflection.state,
                   submitted_at=reflection.submitted_at, updated_at=reflection.updated_at,
                   version=reflection.version, revision=reflection.revision,
                   role_kind=reflection.role_kind)


def recent(db: Database, team_id: int, limit: int = 200) -> list[ReflectionRow]:
    """The newest reflections, the anonymous ones veiled (see ``veiled``)."""
    with db.read() as session:
        rows = [ReflectionRow.of(r) for r in session.exec(
            select(Reflection)
            .where(Reflection.team_id == team_id)
            .order_by(col(Reflection.reflected_on).desc(), col(Reflection.id).desc())
            .limit(limit)
        )]
    return veiled(db, team_id, rows)


def veiled(db: Database, team_id: int, rows: list[ReflectionRow]) -> list[ReflectionRow]:
    """The rows with each anonymous one's role as anonymity.roles shows it among the rows
    of its period between check-ins, its kind unsaid and its times cut to the day."""
    with db.read() as session:
        ends = sorted(e for e in session.exec(select(Meeting.ended_at).where(
            Meeting.team_id == team_id, Meeting.state == "ended")) if e is not None)

    def period(row: ReflectionRow) -> int:  # a draft by its last change
        return bisect_right(ends, row.submitted_at or row.updated_at)

    groups: dict[int, list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(period(row), []).append(index)
    out = list(rows)
    for members in groups.values():
        shown = anonymity.roles([anonymity.Member(rows[i].author_name is None,
                                                  rows[i].role_name, rows[i].role_kind)
                                 for i in members])
        for i, role in zip(members, shown, strict=True):
            row = rows[i]
            if row.author_name is None:
                out[i] = replace(row, role_name=role, role_kind="",
                                 submitted_at=row.submitted_at and to_the_day(
                                     row.submitted_at),
                                 updated_at=to_the_day(row.updated_at))
    return out
