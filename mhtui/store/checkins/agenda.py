"""Editing an agenda: the team's template, or one meeting's own copy of it.

Both hold items with a position, a title, minutes and questions; ``Agenda`` names which
one is being edited so the editor screen works the same on either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session, col, select

from mhtui.store.database.conflict import claim, refusal
from mhtui.store.database.db import Database
from mhtui.store.models import AgendaTemplateItem, Meeting, MeetingItem, Team

# Which panel the check-in shows beside an item, and how the editor names it.
KINDS: dict[str, str] = {
    "review": "review of actions (the action table, 1-5 set statuses)",
    "barriers": "barriers (the reflections since the last check-in)",
    "plans": "plans (add actions, beside the barriers raised)",
    "other": "notes only",
}


@dataclass(frozen=True)
class Agenda:
    kind: Literal["template", "meeting"]
    owner_id: int  # team id for the template, meeting id for a meeting


@dataclass(frozen=True)
class Item:
    id: int
    title: str
    minutes: int
    questions: str
    kind: str
    version: int  # what an edit of the item is based on


class AgendaError(ValueError):
    pass


Row = AgendaTemplateItem | MeetingItem


def _rows(session: Session, agenda: Agenda) -> list[Row]:
    rows: list[Row] = []
    if agenda.kind == "template":
        templates = session.exec(
            select(AgendaTemplateItem).where(AgendaTemplateItem.team_id == agenda.owner_id)
            .order_by(col(AgendaTemplateItem.position))).all()
        rows.extend(templates)
    else:
        items_ = session.exec(
            select(MeetingItem).where(MeetingItem.meeting_id == agenda.owner_id)
            .order_by(col(MeetingItem.position))).all()
        rows.extend(items_)
    return rows


def _minutes(row: AgendaTemplateItem | MeetingItem) -> int:
    if isinstance(row, AgendaTemplateItem):
        return row.minutes
    return round(row.planned_seconds / 60)


def items(db: Database, agenda: Agenda) -> list[Item]:
    with db.read() as session:
        return [Item(r.id or 0, r.title, _minutes(r), r.questions, r.kind, r.version)
                for r in _rows(session, agenda)]


def length(db: Database, agenda: Agenda) -> int:
    """The meeting length the items are measured against, in minutes."""
    with db.read() as session:
        if agenda.kind == "template":
            team = session.get(Team, agenda.owner_id)
            return team.meeting_minutes if team else 60
        meeting = session.get(Meeting, agenda.owner_id)
        return meeting.planned_minutes if meeting else 60


def length_and_version(db: Database, agenda: Agenda) -> tuple[int, int]:
    """The meeting length, and the version of the team (template) or meeting it belongs
    to: what a change of the length is based on."""
    with db.read() as session:
        if agenda.kind == "template":
            team = session.get(Team, agenda.owner_id)
            return (team.meeting_minutes, team.version) if team else (60, 0)
        meeting = session.get(Meeting, agenda.owner_id)
        return (meeting.planned_minutes, meeting.version) if meeting else (60, 0)


def set_length(db: Database, agenda: Agenda, version: int, minutes: int) -> None:
    """Set the meeting length, based on the team or meeting at ``version``."""
    if not 5 <= minutes <= 600:
        raise AgendaError("A meeting lasts between 5 and 600 minutes.")
    with db.write() as session:
        if agenda.kind == "template":
            claim(session, Team, agenda.owner_id, version,
                  refusal("the meeting length", lambda t: f"{t.meeting_minutes} minutes"),
                  meeting_minutes=minutes)
        else:
            claim(session, Meeting, agenda.owner_id, version,
                  refusal("this check-in's length", lambda m: f"{m.planned_minutes} minutes"),
                  planned_minutes=minutes)


def _check(title: str, minutes: int) -> str:
    if not title.strip():
        raise AgendaError("An agenda item needs a title.")
    if not 1 <= minutes <= 600:
        raise AgendaError("Minutes must be a whole number from 1 to 600.")
    return title.strip()


def _item_words(row: Row) -> str:
    return f"{row.title!r}, {_minutes(row)} min"


def _claim(session: Session, agenda: Agenda, item_id: int, version: int) -> Row:
    """The item, if still at ``version``; ConflictError if it changed or went."""
    if agenda.kind == "template":
        return claim(session, AgendaTemplateItem, item_id, version,
                     refusal("the agenda item", _item_words))
    return claim(session, MeetingItem, item_id, version,
                 refusal("the agenda item", _item_words))


def save(db: Database, agenda: Agenda, item_id: int | None, version: int, title: str,
         minutes: int, questions: str, kind: str | None = None) -> Item:
    """Change an item based on its ``version``, or add one at the end when ``item_id``
    is None (``version`` unused); ``kind`` (one of KINDS) chooses its panel, None keeps
    it. Returns the item as saved."""
    title = _check(title, minutes)
    if kind is not None and kind not in KINDS:
        raise AgendaError(f"{kind!r} is not a kind of agenda item.")
    with db.write() as session:
        rows = _rows(session, agenda)
        row: Row | None = None
        if item_id is not None:
            row = _claim(session, agenda, item_id, version)
        else:
            position = len(rows)
            if agenda.kind == "template":
                row = AgendaTemplateItem(team_id=agenda.owner_id, position=position,
                                         title=title, minutes=minutes)
            else:
                row = MeetingItem(meeting_id=agenda.owner_id, position=position, title=title,
                                  planned_seconds=minutes * 60)
        row.title, row.questions = title, questions
        if kind is not None:
            row.kind = kind
        if isinstance(row, AgendaTemplateItem):
            row.minutes = minutes
        else:
            row.planned_seconds = minutes * 60
        session.add(row)
        session.flush()  # a new item's id, and the text as stored
        return Item(row.id or 0, row.title, _minutes(row), row.questions, row.kind,
                    row.version)


def _renumber(session: Session, agenda: Agenda, rows: list[Row], current: Row | None) -> None:
    """Store the new order; a running meeting stays on the item it was on."""
    for position, row in enumerate(rows):
        row.position = position
        session.add(row)
    if agenda.kind == "meeting":
        meeting = session.get(Meeting, agenda.owner_id)
        assert meeting is not None
        position = rows.index(current) if current in rows else min(
            meeting.current_position, len(rows) - 1)
        if position != meeting.current_position:
            # A clock based on the old position (another copy) is then refused.
            meeting.current_position = position
            meeting.version += 1
            session.add(meeting)


def _current(session: Session, agenda: Agenda, rows: list[Row]) -> Row | None:
    if agenda.kind != "meeting":
        return None
    meeting = session.get(Meeting, agenda.owner_id)
    assert meeting is not None
    return rows[meeting.current_position] if meeting.current_position < len(rows) else None


def remove(db: Database, agenda: Agenda, item_id: int, version: int) -> None:
    with db.write() as session:
        rows = _rows(session, agenda)
        if len(rows) <= 1:
            raise AgendaError("An agenda keeps at least one item.")
        current = _current(session, agenda, rows)
        doomed = _claim(session, agenda, item_id, version)
        session.delete(doomed)
        session.flush()
        _renumber(session, agenda, [r for r in rows if r is not doomed], current)


def move(db: Database, agenda: Agenda, item_id: int, version: int, step: int) -> None:
    """Move the item (still at ``version``) one place; the others keep their versions."""
    with db.write() as session:
        _claim(session, agenda, item_id, version)
        rows = _rows(session, agenda)
        current = _current(session, agenda, rows)
        index = next(i for i, r in enumerate(rows) if r.id == item_id)
        target = index + step
        if not 0 <= target < len(rows):
            return
        rows[index], rows[target] = rows[target], rows[index]
        _renumber(session, agenda, rows, current)


def reset_default(db: Database, agenda: Agenda) -> None:
    """Bring back the toolkit's three items. The template becomes exactly the default; a
    check-in's own agenda gets back each default item it lacks (by kind), in the
    default's order, and keeps the others after them, with their notes and time."""
    from mhtui.core.catalogue import DEFAULT_AGENDA

    with db.write() as session:
        rows = _rows(session, agenda)
        current = _current(session, agenda, rows)
        if agenda.kind == "template":
            for row in rows:
                session.delete(row)
            session.flush()
            rows = []
        first: list[Row] = []
        for spec in DEFAULT_AGENDA:
            found = next((r for r in rows if r.kind == spec.kind and r not in first), None)
            if found is None:
                questions = "\n".join(spec.questions)
                found = (AgendaTemplateItem(team_id=agenda.owner_id, position=0,
                                            title=spec.title, minutes=spec.minutes,
                                            questions=questions, kind=spec.kind)
                         if agenda.kind == "template" else
                         MeetingItem(meeting_id=agenda.owner_id, position=0, title=spec.title,
                                     planned_seconds=spec.minutes * 60, questions=questions,
                                     kind=spec.kind))
                session.add(found)
            first.append(found)
        session.flush()
        _renumber(session, agenda, first + [r for r in rows if r not in first], current)
