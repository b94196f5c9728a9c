"""Reading the team's reflections, as frozen copies (``ReflectionRow``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select

from mhtui.store.db import Database
from mhtui.store.models import Reflection


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
    with db.read() as session:
        return [ReflectionRow.of(r) for r in session.exec(
            select(Reflection)
            .where(Reflection.team_id == team_id)
            .order_by(col(Reflection.reflected_on).desc(), col(Reflection.id).desc())
            .limit(limit)
        )]

