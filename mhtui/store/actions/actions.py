"""Changing actions. Each change is one transaction holding the row and its history.

Every update names the version it was based on; if the row moved on meanwhile (another
copy of the app, the command line), the change is refused with ConflictError carrying
the newer row, so nothing is silently overwritten.

Everything here hands back ``ActionItem`` and ``HistoryLine``: frozen copies, never the
ORM's live rows, so no screen can change a row by setting an attribute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text as sa_text
from sqlmodel import Session, col, select

from mhtui.core.clock import Clock
from mhtui.core.statuses import Status
from mhtui.core.tidy import tidy
from mhtui.store.database import conflict
from mhtui.store.database.db import Database
from mhtui.store.models import Action, ActionEvent


@dataclass(frozen=True)
class ActionItem:
    """One action as the tracker, the check-in and the command line read it."""

    id: int
    team_id: int
    version: int  # what a change of it is based on
    text: str
    owner: str
    status: str  # a Status value
    due_on: date | None
    created_on: date
    meeting_id: int | None  # the check-in it was set in
    shift_plan_id: int | None
    updated_at: datetime
    deleted_at: datetime | None = None

    @classmethod
    def of(cls, action: Action) -> ActionItem:
        assert action.id is not None
        return cls(id=action.id, team_id=action.team_id, version=action.version,
                   text=action.text, owner=action.owner, status=action.status,
                   due_on=action.due_on, created_on=action.created_on,
                   meeting_id=action.meeting_id, shift_plan_id=action.shift_plan_id,
                   updated_at=action.updated_at, deleted_at=action.deleted_at)


@dataclass(frozen=True)
class HistoryLine:
    """One line of an action's history: created, a status change, an edit, a deletion."""

    at: datetime
    kind: str  # created, status, edit, deleted, restored
    field: str = ""
    old_value: str = ""
    new_value: str = ""
    meeting_id: int | None = None

    @classmethod
    def of(cls, event: ActionEvent) -> HistoryLine:
        return cls(event.at, event.kind, event.field, event.old_value, event.new_value,
                   event.meeting_id)


class ConflictError(conflict.ConflictError):
    """The action changed (or went) since it was read; ``current`` is how it is now."""

    current: ActionItem | None

    def __init__(self, current: Action | None) -> None:
        if current is None:
            message = "This action was deleted elsewhere meanwhile."
        else:
            due = current.due_on.isoformat() if current.due_on else "no date"
            message = (
                "Changed elsewhere meanwhile, so your change was not saved. Now: "
                f"{current.status}, owner {current.owner or '(none)'}, due {due}"
                + (" (deleted)" if current.deleted_at else "")
                + "."
            )
        # A copy: the session that read it rolls back and expires its rows.
        super().__init__(message, ActionItem.of(current) if current is not None else None)


class ActionTextError(ValueError):
    pass


@dataclass(frozen=True)
class Fields:
    """What a person edits on an action."""

    text: str
    owner: str = ""
    due_on: date | None = None


def clean_text(text: str) -> str:
    kept = tidy(text).strip()
    if not kept:
        raise ActionTextError("The action needs a description: what will be done?")
    return kept


def _event(session: Session, action: Action, clock: Clock, kind: str, field: str = "",
           old: str = "", new: str = "", meeting_id: int | None = None) -> None:
    assert action.id is not None
    session.add(ActionEvent(action_id=action.id, at=clock.now(), kind=kind, field=field,
                            old_value=old, new_value=new, meeting_id=meeting_id))


def server_writes_status(session: Session, meeting_id: int | None = None) -> bool:
    """On a server a status change's history line is written by the server itself
    (migration 0011's trigger), so no client can write a false one; the check-in it is
    reviewed in goes with the transaction, set here before the change is flushed. True
    there; False on SQLite, where the store writes the line."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    session.execute(sa_text("SELECT set_config('mhtui.meeting_id', :meeting, true)"),
                    {"meeting": "" if meeting_id is None else str(meeting_id)})
    return True


def _claim(session: Session, action_id: int, version: int, clock: Clock,
           **values: object) -> Action:
    """Apply ``values`` only if the row is still at ``version``; return the new row."""
    return conflict.claim(session, Action, action_id, version, ConflictError,
                          updated_at=clock.now(), **values)


def get(db: Database, action_id: int) -> ActionItem | None:
    with db.read() as session:
        action = session.get(Action, action_id)
        return ActionItem.of(action) if action is not None else None


def create(db: Database, team_id: int, fields: Fields, clock: Clock, *,
           meeting_id: int | None = None, created_on: date | None = None,
           status: Status = Status.NOT_STARTED, shift_plan_id: int | None = None) -> ActionItem:
    text = clean_text(fields.text)
    with db.write() as session:
        action = Action(
            team_id=team_id, created_on=created_on or clock.now().astimezone().date(),
            text=text, owner=tidy(fields.owner).strip(), due_on=fields.due_on, status=status.value,
            meeting_id=meeting_id, shift_plan_id=shift_plan_id, updated_at=clock.now(),
        )
        session.add(action)
        session.flush()
        _event(session, action, clock, "created", new=text, meeting_id=meeting_id)
        return ActionItem.of(action)


def set_status(db: Database, action_id: int, version: int, status: Status, clock: Clock,
               *, meeting_id: int | None = None) -> ActionItem:
    with db.write() as session:
        before = session.get(Action, action_id)
        if before is None or before.deleted_at is not None:
            raise ConflictError(before)
        old = before.status
        if old == status.value and before.version == version:
            return ActionItem.of(before)
        by_server = server_writes_status(session, meeting_id)
        action = _claim(session, action_id, version, clock, status=status.value)
        if old != status.value and not by_server:
            _event(session, action, clock, "status", "status", old, status.value, meeting_id)
        return ActionItem.of(action)


def edit(db: Database, action_id: int, version: int, fields: Fields,
         clock: Clock) -> ActionItem:
    text = clean_text(fields.text)
    owner = tidy(fields.owner).strip()
    with db.write() as session:
        before = session.get(Action, action_id)
        if before is None or before.deleted_at is not None:
            raise ConflictError(before)
        old = {"text": before.text, "owner": before.owner,
               "due": before.due_on.isoformat() if before.due_on else ""}
        action = _claim(session, action_id, version, clock, text=text, owner=owner,
                        due_on=fields.due_on)
        new = {"text": text, "owner": owner,
               "due": fields.due_on.isoformat() if fields.due_on else ""}
        for field, value in new.items():
            if value != old[field]:
                _event(session, action, clock, "edit", field, old[field], value)
        return ActionItem.of(action)


def delete(db: Database, action_id: int, version: int, clock: Clock) -> ActionItem:
    """Deleting keeps the row (marked deleted) so undo and history still work."""
    with db.write() as session:
        action = _claim(session, action_id, version, clock, deleted_at=clock.now())
        _event(session, action, clock, "deleted")
        return ActionItem.of(action)


def restore(db: Database, action_id: int, version: int, clock: Clock) -> ActionItem:
    with db.write() as session:
        action = _claim(session, action_id, version, clock, deleted_at=None)
        _event(session, action, clock, "restored")
        return ActionItem.of(action)


def history(db: Database, action_id: int) -> list[HistoryLine]:
    """Every change to one action, oldest first."""
    with db.read() as session:
        return [HistoryLine.of(e) for e in session.exec(
            select(ActionEvent)
            .where(ActionEvent.action_id == action_id)
            .order_by(col(ActionEvent.at), col(ActionEvent.id))
        )]
