"""Actions in and out of the database for the command line's export and import."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import col, select

from mhtui.core.clock import Clock
from mhtui.core.csv_actions import ActionRow
from mhtui.core.statuses import Status
from mhtui.store.db import Database
from mhtui.store.models import Action, ActionEvent


def as_row(action: Action) -> ActionRow:
    return ActionRow(action.created_on, action.text, Status(action.status), action.owner,
                     action.due_on)


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_there: int


def import_rows(db: Database, team_id: int, rows: Iterable[ActionRow], clock: Clock, *,
                dry_run: bool = False) -> ImportResult:
    """Add the rows not already in the team, all in one transaction (or none, dry run)."""
    added = already = 0
    with db.write() as session:
        existing = {
            (c, t, o, d) for c, t, o, d in session.exec(
                select(col(Action.created_on), col(Action.text), col(Action.owner),
                       col(Action.due_on))
                .where(Action.team_id == team_id, col(Action.deleted_at).is_(None))
            )
        }
        for row in rows:
            if row.key in existing:
                already += 1
                continue
            existing.add(row.key)
            added += 1
            if dry_run:
                continue
            action = Action(team_id=team_id, created_on=row.created_on, text=row.text,
                            status=row.status.value, owner=row.owner, due_on=row.due_on,
                            updated_at=clock.now())
            session.add(action)
            session.flush()
            assert action.id is not None
            session.add(ActionEvent(action_id=action.id, at=clock.now(), kind="created",
                                    field="import", new_value=row.text))
        if dry_run:
            session.rollback()
    return ImportResult(added=added, already_there=already)
