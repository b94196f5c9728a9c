"""Reading the action tracker a page at a time, straight from SQLite."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import col, select

from mhtui.store.db import Database
from mhtui.store.models import Action

PAGE_SIZE = 200


@dataclass(frozen=True)
class ActionPage:
    rows: list[Action]
    total: int
    offset: int


def page(db: Database, team_id: int, offset: int = 0, limit: int = PAGE_SIZE) -> ActionPage:
    """Live actions, soonest due first (undated last), then oldest created."""
    alive = (Action.team_id == team_id, col(Action.deleted_at).is_(None))
    with db.read() as session:
        total = session.exec(select(func.count()).where(*alive)).one()
        rows = session.exec(
            select(Action)
            .where(*alive)
            .order_by(
                col(Action.due_on).is_(None), col(Action.due_on), col(Action.created_on),
                col(Action.id),
            )
            .offset(offset)
            .limit(limit)
        ).all()
    return ActionPage(rows=list(rows), total=total, offset=offset)


def days_left(action: Action, today: date) -> int | None:
    return None if action.due_on is None else (action.due_on - today).days
