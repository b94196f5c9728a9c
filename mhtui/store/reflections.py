"""Reading the team's reflections."""

from __future__ import annotations

from datetime import datetime

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


def submitted_since(db: Database, team_id: int, since: datetime | None) -> list[Reflection]:
    """Submitted reflections since a moment (all of them when None), by role then date."""
    query = select(Reflection).where(Reflection.team_id == team_id,
                                      Reflection.state == "submitted")
    if since is not None:
        query = query.where(col(Reflection.submitted_at) >= since)
    with db.read() as session:
        return list(session.exec(
            query.order_by(col(Reflection.role_name), col(Reflection.reflected_on))))
