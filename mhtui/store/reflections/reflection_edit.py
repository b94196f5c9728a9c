"""Writing reflections: drafts saved as typed, submission, reopening, links to actions.

A draft may hold anything (half-typed numbers included); submission checks the
allocation table. Anonymous reflections keep no name anywhere: author_name is None.
Every write names the version it was based on and returns the reflection as saved.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from mhtui.core import allocation
from mhtui.core.allocation import Row
from mhtui.core.catalogue import ALLOCATION_TASK_TYPES
from mhtui.core.clock import Clock, to_the_day
from mhtui.core.tidy import tidy
from mhtui.store.database import access
from mhtui.store.database.conflict import ConflictError, claim, refusal
from mhtui.store.database.db import Database
from mhtui.store.models import (
    Action,
    AllocationRow,
    Meeting,
    Reflection,
    ReflectionEvent,
    ReflectionLink,
)
from mhtui.store.reflections.reflections import ReflectionRow


class ReflectionError(ValueError):
    pass


class ReflectionConflict(ConflictError, ReflectionError):
    """The reflection changed elsewhere since the screen read it; nothing was written."""


def _reflection_words(reflection: Reflection) -> str:
    state = "submitted" if reflection.state == "submitted" else "a draft"
    if reflection.author_name is None:  # its times are kept to the day only
        return f"{state}, saved on {reflection.updated_at.astimezone():%Y-%m-%d}"
    return f"{state}, saved at {reflection.updated_at.astimezone():%H:%M:%S}"


_refuse = refusal("this reflection", _reflection_words, ReflectionConflict)


@dataclass
class Draft:
    reflected_on: date
    author_name: str | None
    role_name: str
    support_needed: str = ""
    barriers: str = ""
    rows: list[Row] = field(default_factory=list)
    role_kind: str = ""  # one of allocation.ROLE_KINDS, or "" (not chosen)


def default_rows() -> list[Row]:
    return [Row(t, "", "") for t in ALLOCATION_TASK_TYPES]


def _clean_name(name: str | None) -> str | None:
    kept = tidy(name or "").strip()
    return kept or None  # no name, even one of invisible characters, is anonymous


def clean_role(role: str) -> str:
    """A role as kept: invisible characters out, spaces around and between words as one."""
    return " ".join(tidy(role).split())


def clean_kind(kind: str) -> str:
    return kind if kind in allocation.ROLE_KINDS else ""


def keep_to_the_day(session: Session, reflection: Reflection) -> None:
    """An anonymous reflection keeps its times to the day only: when it was saved,
    submitted, reopened or imported. A time to the minute, beside who left the room
    when, names its writer. A check-in that ended earlier that day moves its submission
    to that end, so it still counts in the period after that check-in (the meeting's
    end is no secret). Called after each write, so a reflection made anonymous late
    (its name deleted) loses the times it had too."""
    if reflection.author_name is not None:
        return
    reflection.updated_at = to_the_day(reflection.updated_at)
    if reflection.submitted_at is not None:
        at, day = reflection.submitted_at, to_the_day(reflection.submitted_at)
        ended = session.exec(select(func.max(Meeting.ended_at)).where(
            Meeting.team_id == reflection.team_id, Meeting.state == "ended",
            col(Meeting.ended_at) >= day, col(Meeting.ended_at) <= at)).one()
        reflection.submitted_at = max(day, ended) if ended is not None else day
    session.add(reflection)
    if reflection.id is None:
        return
    for event in session.exec(select(ReflectionEvent).where(
            ReflectionEvent.reflection_id == reflection.id)):
        if event.at != to_the_day(event.at):
            event.at = to_the_day(event.at)
            session.add(event)


def _write_rows(session: Session, reflection_id: int, rows: list[Row]) -> None:
    if not access.deleted_by_server(session, "time table", reflection_id):
        session.execute(delete(AllocationRow).where(
            col(AllocationRow.reflection_id) == reflection_id))
    for position, row in enumerate(rows):
        session.add(AllocationRow(reflection_id=reflection_id, position=position,
                                  task_type=row.task_type, ideal=row.ideal,
                                  current=row.current, actions=row.actions))


def new_draft(db: Database, team_id: int, draft: Draft, clock: Clock) -> ReflectionRow:
    with db.write() as session:
        reflection = Reflection(
            uid=str(uuid.uuid4()), team_id=team_id, reflected_on=draft.reflected_on,
            author_name=_clean_name(draft.author_name), role_name=clean_role(draft.role_name),
            role_kind=clean_kind(draft.role_kind),
            support_needed=draft.support_needed, barriers=draft.barriers,
            updated_at=clock.now(),
        )
        session.add(reflection)
        keep_to_the_day(session, reflection)
        session.flush()
        assert reflection.id is not None
        _write_rows(session, reflection.id, draft.rows or default_rows())
        return ReflectionRow.of(reflection)


def load(db: Database, reflection_id: int) -> tuple[ReflectionRow, Draft]:
    with db.read() as session:
        reflection = session.get(Reflection, reflection_id)
        if reflection is None:
            raise LookupError(f"No reflection #{reflection_id}.")
        rows = _rows_of(session, reflection_id)
    return ReflectionRow.of(reflection), Draft(
        reflection.reflected_on, reflection.author_name, reflection.role_name,
        reflection.support_needed, reflection.barriers, rows, reflection.role_kind)


def _claim(session: Session, reflection_id: int, version: int) -> Reflection:
    return claim(session, Reflection, reflection_id, version, _refuse)


def _rows_of(session: Session, reflection_id: int) -> list[Row]:
    return [Row(r.task_type, r.ideal, r.current, r.actions) for r in session.exec(
        select(AllocationRow).where(AllocationRow.reflection_id == reflection_id)
        .order_by(col(AllocationRow.position)))]


def _holds(session: Session, reflection: Reflection, draft: Draft) -> bool:
    """The stored draft is already exactly ``draft``."""
    assert reflection.id is not None
    return (reflection.reflected_on, reflection.author_name, reflection.role_name,
            reflection.role_kind, reflection.support_needed, reflection.barriers) == (
        draft.reflected_on, _clean_name(draft.author_name), clean_role(draft.role_name),
        clean_kind(draft.role_kind), draft.support_needed, draft.barriers,
    ) and _rows_of(session, reflection.id) == draft.rows


def save_draft(db: Database, reflection_id: int, version: int, draft: Draft,
               clock: Clock) -> ReflectionRow:
    """Store the whole draft as it stands, based on the reflection at ``version``; returns
    it as saved. A draft already stored as given is left alone, whatever the version:
    nothing would be lost."""
    with db.write() as session:
        stored = session.get(Reflection, reflection_id)
        if stored is not None and stored.state == "draft" and _holds(session, stored, draft):
            return ReflectionRow.of(stored)
        reflection = _claim(session, reflection_id, version)
        if reflection.state != "draft":
            raise ReflectionError("This reflection is submitted; reopen it to change it.")
        reflection.reflected_on = draft.reflected_on
        reflection.author_name = _clean_name(draft.author_name)
        reflection.role_name = clean_role(draft.role_name)
        reflection.role_kind = clean_kind(draft.role_kind)
        reflection.support_needed = draft.support_needed
        reflection.barriers = draft.barriers
        reflection.updated_at = clock.now()
        _write_rows(session, reflection_id, draft.rows)
        keep_to_the_day(session, reflection)
        session.flush()  # the text as stored (tidied) is what comes back
        return ReflectionRow.of(reflection)


def submit(db: Database, reflection_id: int, version: int, clock: Clock) -> ReflectionRow:
    with db.write() as session:
        reflection = _claim(session, reflection_id, version)
        problems = allocation.submit_problems(_rows_of(session, reflection_id))
        if problems:
            raise ReflectionError(" ".join(problems))
        if reflection.state == "submitted":
            raise ReflectionError("This reflection is already submitted.")
        before = session.exec(select(ReflectionEvent.id).where(
            ReflectionEvent.reflection_id == reflection_id,
            col(ReflectionEvent.kind).in_(("submitted", "imported")))).first()
        if before is not None:  # reopened since: this is its next revision
            reflection.revision += 1
        reflection.state = "submitted"
        reflection.submitted_at = clock.now()
        session.add(ReflectionEvent(reflection_id=reflection_id, at=clock.now(),
                                    kind="submitted"))
        session.flush()
        keep_to_the_day(session, reflection)
        return ReflectionRow.of(reflection)


def reopen(db: Database, reflection_id: int, version: int, clock: Clock) -> ReflectionRow:
    """Make a submitted reflection editable again, based on it at ``version``; the
    reopening is recorded. Returns it as saved."""
    with db.write() as session:
        reflection = _claim(session, reflection_id, version)
        reflection.state = "draft"
        reflection.submitted_at = None
        session.add(ReflectionEvent(reflection_id=reflection_id, at=clock.now(),
                                    kind="reopened"))
        session.flush()
        keep_to_the_day(session, reflection)
        return ReflectionRow.of(reflection)


@dataclass(frozen=True)
class EventLine:
    """One line of a reflection's history."""

    at: datetime
    kind: str  # submitted, reopened, imported


def events(db: Database, reflection_id: int) -> list[EventLine]:
    with db.read() as session:
        reflection = session.get(Reflection, reflection_id)
        anonymous = reflection is not None and reflection.author_name is None
        return [EventLine(to_the_day(e.at) if anonymous else e.at, e.kind)
                for e in session.exec(
            select(ReflectionEvent).where(ReflectionEvent.reflection_id == reflection_id)
            .order_by(col(ReflectionEvent.id)))]


def discard(db: Database, reflection_id: int, version: int) -> None:
    """Delete a draft as the screen showed it (at ``version``): never one typed on since."""
    with db.write() as session:
        reflection = _claim(session, reflection_id, version)
        if reflection.state != "draft":
            raise ReflectionError("Only drafts can be discarded.")
        if not access.deleted_by_server(session, "draft", reflection_id):
            session.delete(reflection)


def link(db: Database, reflection_id: int, which: str, action_id: int) -> None:
    """Mark a reflection's support need or barrier as addressed by an action."""
    with db.write() as session:
        reflection = session.get(Reflection, reflection_id)
        action = session.get(Action, action_id)
        if reflection is None:
            raise ReflectionError(f"No reflection #{reflection_id}.")
        if action is None or action.team_id != reflection.team_id or action.deleted_at:
            raise ReflectionError(f"No action #{action_id} in this team.")
        session.add(ReflectionLink(reflection_id=reflection_id, field=which,
                                   action_id=action_id))


def links(db: Database, which: Sequence[Any]) -> dict[tuple[int, str], list[int]]:
    """The actions linked to the reflections meeting the conditions ``which`` (those of a
    roll-up's period, not every reflection the team ever wrote), in the order linked."""
    with db.read() as session:
        found = session.exec(select(ReflectionLink).join(Reflection).where(*which)
                             .order_by(col(ReflectionLink.id))).all()
    out: dict[tuple[int, str], list[int]] = {}
    for item in found:
        out.setdefault((item.reflection_id, item.field), []).append(item.action_id)
    return out
