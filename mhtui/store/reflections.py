"""Reading the team's reflections."""

from __future__ import annotations

from sqlmodel import col, select

from mhtui.store.db import Database
from mhtui.store.models import Reflection


def recent(db: Database, team_id: int, limit: int = 200) -> list[Reflection]:
    with db.read() as session:
        return list(
            session.exec(
                select(Reflection)
                .where(Reflection.team_id == team_id)
                .order_by(col(Reflection.reflected_on).desc(), col(Reflection.id).desc())
                .limit(limit)
            )
        )

