"""Check-in meetings: starting one from the team's agenda, its clock, notes and end.

Screens get frozen copies (``MeetingRow``, ``ItemRow``, ``Live``), never the ORM's rows;
a write names the version it was based on and returns the new copy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select as sql_select
from sqlmodel import Session, col, func, select

from mhtui.core.agenda_clock import AgendaClock, ItemClock
from mhtui.core.clock import Clock
from mhtui.core.statuses import OPEN_STATUSES
from mhtui.store.actions.actions import ActionItem, HistoryLine
from mhtui.store.database.conflict import ConflictError, claim, gone, quote, refusal
from mhtui.store.database.db import Database
from mhtui.store.models import (
    Action,
    ActionEvent,
    AgendaTemplateItem,
    Meeting,
    MeetingAttendee,
    MeetingItem,
    Team,
)


@dataclass(frozen=True)
class MeetingRow:
    """A check-in as screens read it."""

    id: int
    team_id: int
    scheduled_at: datetime
    planned_minutes: int
    state: str  # planned, running, ended
    current_position: int
    running_since: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    bell: bool
    version: int  # what a change of the clock, the bell or the end is based on

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingRow:
        assert meeting.id is not None
        return cls(id=meeting.id, team_id=meeting.team_id, scheduled_at=meeting.scheduled_at,
                   planned_minutes=meeting.planned_minutes, state=meeting.state,
                   current_position=meeting.current_position,
                   running_since=meeting.running_since, started_at=meeting.started_at,
                   ended_at=meeting.ended_at, bell=meeting.bell, version=meeting.version)


@dataclass(frozen=True)
class ItemRow:
    """One item of a check-in's agenda, with its time so far and its notes."""

    id: int
    position: int
    title: str
    planned_seconds: int
    spent_seconds: float
    questions: str
    notes: str
    kind: str  # review, barriers, plans or other
    version: int  # what a change of its notes is based on
    # The clock's figure when the time spent was corrected by hand; None: never was.
    spent_by_clock: float | None = None

    @classmethod
    def of(cls, item: MeetingItem) -> ItemRow:
        assert item.id is not None
        return cls(id=item.id, position=item.position, title=item.title,
                   planned_seconds=item.planned_seconds, spent_seconds=item.spent_seconds,
                   questions=item.questions, notes=item.notes, kind=item.kind,
                   version=item.version, spent_by_clock=item.spent_by_clock)


@dataclass(frozen=True)
class Attendee:
    name: str
    role_name: str = ""
    present: bool = True  # False: on the roster, not at this check-in


@dataclass(frozen=True)
class Live:
    """A meeting as the projected view needs it.

    ``clock`` is the agenda clock the screen runs (core logic, no database): starting,
    pausing and moving change it, and ``save_clock`` writes it.
    """

    meeting: MeetingRow
    items: tuple[ItemRow, ...]
    clock: AgendaClock
    attendees: tuple[Attendee, ...]

    def with_item(self, item: ItemRow) -> Live:
        """This meeting with one item as saved."""
        return replace(self, items=tuple(item if i.id == item.id else i for i in self.items))


def start(db: Database, team_id: int, scheduled_at: datetime,
          attendees: list[tuple[str, str]], absent: list[tuple[str, str]] | None = None,
          ) -> MeetingRow:
    """Create a check-in with the team's agenda template; its clock starts paused.
    ``absent``: people on the roster who did not come, named in the minutes."""
    with db.write() as session:
        team = session.get(Team, team_id)
        assert team is not None
        meeting = Meeting(team_id=team_id, scheduled_at=scheduled_at,
                          planned_minutes=team.meeting_minutes, bell=team.bell)
        session.add(meeting)
        session.flush()
        assert meeting.id is not None
        template = session.exec(
            select(AgendaTemplateItem).where(AgendaTemplateItem.team_id == team_id)
            .order_by(col(AgendaTemplateItem.position))
        ).all()
        for position, item in enumerate(template):
            session.add(MeetingItem(meeting_id=meeting.id, position=position, title=item.title,
                                    planned_seconds=item.minutes * 60,
                                    questions=item.questions, kind=item.kind))
        for present, people in ((True, attendees), (False, absent or [])):
            for name, role in people:
                if name.strip():
                    session.add(MeetingAttendee(meeting_id=meeting.id, name=name.strip(),
                                                role_name=role.strip(), present=present))
        return MeetingRow.of(meeting)


def in_progress(db: Database, team_id: int) -> MeetingRow | None:
    """The team's check-in that has been started and not ended, if any."""
    with db.read() as session:
        found = session.exec(
            select(Meeting).where(Meeting.team_id == team_id, Meeting.state != "ended")
            .order_by(col(Meeting.id).desc())
        ).first()
        return MeetingRow.of(found) if found is not None else None


def load(db: Database, meeting_id: int) -> Live:
    with db.read() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            raise LookupError(f"No check-in #{meeting_id}.")
        items = list(session.exec(
            select(MeetingItem).where(MeetingItem.meeting_id == meeting_id)
            .order_by(col(MeetingItem.position))
        ))
        attendees = tuple(Attendee(a.name, a.role_name, a.present) for a in session.exec(
            select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting_id)
            .order_by(col(MeetingAttendee.id))
        ))
        team = session.get(Team, meeting.team_id)
    clock = AgendaClock(
        items=[ItemClock(i.planned_seconds, i.spent_seconds) for i in items],
        current=min(meeting.current_position, max(len(items) - 1, 0)),
        running_since=meeting.running_since,
        warn_minutes=team.warn_minutes if team is not None else None,
    )
    return Live(MeetingRow.of(meeting), tuple(ItemRow.of(i) for i in items), clock,
                attendees)


def save_clock(db: Database, live: Live, clock: Clock) -> Live:
    """Write the clock's state: one transaction, so a crash leaves a consistent state.
    Returns the meeting as saved (its new version)."""
    state = live.clock
    with db.write() as session:
        meeting = claim(session, Meeting, live.meeting.id, live.meeting.version,
                        refusal("the check-in's clock", _clock_words),
                        current_position=state.current, running_since=state.running_since)
        if state.running and meeting.started_at is None:
            meeting.started_at = clock.now()
        if meeting.state == "planned" and state.running:
            meeting.state = "running"
        # The items' times are part of the clock: the meeting's version guards them, and
        # their own version stays for their notes and agenda edits.
        for index in sorted(state.changed):
            item = session.get(MeetingItem, live.items[index].id)
            if item is None:
                raise ConflictError(gone("an item of this check-in's agenda"))
            item.spent_seconds = state.items[index].spent_seconds
            item.planned_seconds = state.items[index].planned_seconds
            session.add(item)
        session.flush()
        saved = MeetingRow.of(meeting)
    state.changed.clear()
    return replace(live, meeting=saved)


def _clock_words(meeting: Meeting) -> str:
    running = "running" if meeting.running_since is not None else "paused"
    return f"{meeting.state}, {running} on item {meeting.current_position + 1}"


def _notes_words(item: MeetingItem) -> str:
    return quote(item.notes)


def save_notes(db: Database, item_id: int, version: int, notes: str) -> ItemRow:
    """Store an item's notes, based on the item at ``version``; returns it as saved.
    Notes already as given are left alone, whatever the version: nothing is lost."""
    with db.write() as session:
        item = session.get(MeetingItem, item_id)
        if item is not None and item.notes == notes:
            return ItemRow.of(item)
        refuse = refusal(f"the notes of {item.title!r}" if item else "this agenda item",
                         _notes_words)
        saved = claim(session, MeetingItem, item_id, version, refuse, notes=notes)
        session.flush()
        return ItemRow.of(saved)


def end(db: Database, live: Live, clock: Clock) -> Live:
    """Stop the clock and end the check-in; returns it as ended."""
    now = clock.now()
    live.clock.pause(now)
    live = save_clock(db, live, clock)
    with db.write() as session:
        meeting = claim(session, Meeting, live.meeting.id, live.meeting.version,
                        refusal("the check-in", _clock_words), state="ended", ended_at=now)
        meeting.started_at = meeting.started_at or now
        session.flush()
        return replace(live, meeting=MeetingRow.of(meeting))


def _created(session: Session, meeting_id: int) -> list[ActionItem]:
    return [ActionItem.of(a) for a in session.exec(
        select(Action).where(Action.meeting_id == meeting_id, col(Action.deleted_at).is_(None))
        .order_by(col(Action.id)))]


def created_in(db: Database, meeting_id: int) -> list[ActionItem]:
    """The actions set in one check-in (what its plans item shows)."""
    with db.read() as session:
        return _created(session, meeting_id)


@dataclass(frozen=True)
class Summary:
    meeting: MeetingRow
    planned: float
    spent: float


def summaries(db: Database, team_id: int, now: datetime) -> list[Summary]:
    """Every check-in of the team, newest first, with planned and actual seconds."""
    return summary_page(db, team_id, now, 0, None)


def summary_count(db: Database, team_id: int) -> int:
    """How many check-ins the team has (the hub's list pages through them)."""
    with db.read() as session:
        return int(session.exec(
            select(func.count()).select_from(Meeting).where(Meeting.team_id == team_id)
        ).one())


def summary_page(db: Database, team_id: int, now: datetime, offset: int,
                 limit: int | None) -> list[Summary]:
    """Check-ins ``offset`` on (``limit`` of them, or all), newest first, with planned
    and actual seconds summed by the database: a page costs the same at 2,000
    check-ins as at two."""
    with db.read() as session:
        meetings = list(session.exec(
            select(Meeting).where(Meeting.team_id == team_id)
            .order_by(col(Meeting.scheduled_at).desc(), col(Meeting.id).desc())
            .offset(offset).limit(limit)))
        ids = [m.id for m in meetings]
        sums = {meeting_id: (float(planned or 0), float(spent or 0))
                for meeting_id, planned, spent in session.execute(
                    sql_select(col(MeetingItem.meeting_id),
                               func.sum(col(MeetingItem.planned_seconds)),
                               func.sum(col(MeetingItem.spent_seconds)))
                    .where(col(MeetingItem.meeting_id).in_(ids))
                    .group_by(col(MeetingItem.meeting_id)))} if ids else {}
    out = []
    for meeting in meetings:
        planned, spent = sums.get(meeting.id or 0, (0.0, 0.0))
        if meeting.running_since is not None:  # the stretch running now counts too
            spent += max(0.0, ((meeting.ended_at or now) - meeting.running_since)
                         .total_seconds())
        out.append(Summary(MeetingRow.of(meeting), planned, spent))
    return out


def latest(db: Database, team_id: int) -> MeetingRow | None:
    with db.read() as session:
        found = session.exec(
            select(Meeting).where(Meeting.team_id == team_id)
            .order_by(col(Meeting.scheduled_at).desc(), col(Meeting.id).desc())
        ).first()
        return MeetingRow.of(found) if found is not None else None


@dataclass(frozen=True)
class MinutesData:
    team_name: str
    live: Live
    created: list[ActionItem]
    changes: list[tuple[HistoryLine, ActionItem]]
    reviewed: list[tuple[ActionItem, str]]  # open when the check-in began, with that status
    carried: list[tuple[ActionItem, str]]  # still open when it ended, with that status


def status_at(action: Action, events: list[ActionEvent], moment: datetime) -> str:
    """What an action's status was at a moment, read back from its history."""
    before = [e for e in events if e.at <= moment]
    if before:
        return before[-1].new_value
    return events[0].old_value if events else action.status


def minutes_data(db: Database, meeting_id: int, now: datetime) -> MinutesData:
    live = load(db, meeting_id)
    with db.read() as session:
        team = session.get(Team, live.meeting.team_id)
        assert team is not None
        team_name = team.name
        created = _created(session, meeting_id)
        changes = list(session.exec(
            select(ActionEvent, Action).join(Action)
            .where(ActionEvent.meeting_id == meeting_id, ActionEvent.kind == "status")
            .order_by(col(ActionEvent.at), col(ActionEvent.id))
        ).all())
        start = live.meeting.started_at or live.meeting.scheduled_at
        end = live.meeting.ended_at or now
        earlier = list(session.exec(
            select(Action).where(Action.team_id == live.meeting.team_id,
                                 col(Action.deleted_at).is_(None),
                                 col(Action.created_on) <= end.astimezone().date())
            .order_by(col(Action.id))))
        history: dict[int, list[ActionEvent]] = {}
        for event in session.exec(
                select(ActionEvent).join(Action)
                .where(Action.team_id == live.meeting.team_id, ActionEvent.kind == "status")
                .order_by(col(ActionEvent.at), col(ActionEvent.id))):
            history.setdefault(event.action_id, []).append(event)
    open_words = {s.value for s in OPEN_STATUSES}
    reviewed = [(ActionItem.of(a), then) for a in earlier if a.meeting_id != meeting_id
                and a.created_on <= start.astimezone().date()
                and (then := status_at(a, history.get(a.id or 0, []), start)) in open_words]
    carried = [(ActionItem.of(a), later) for a in earlier
               if (later := status_at(a, history.get(a.id or 0, []), end)) in open_words]
    return MinutesData(team_name, live, created,
                       [(HistoryLine.of(e), ActionItem.of(a)) for e, a in changes],
                       reviewed, carried)


def previous_end(db: Database, team_id: int, before: MeetingRow) -> datetime | None:
    """When the check-in before this one ended: the start of 'since the last check-in'."""
    with db.read() as session:
        return session.exec(
            select(Meeting.ended_at).where(
                Meeting.team_id == team_id, Meeting.state == "ended",
                col(Meeting.id) != before.id, col(Meeting.scheduled_at) <= before.scheduled_at)
            .order_by(col(Meeting.ended_at).desc())
        ).first()


def set_bell(db: Database, meeting_id: int, version: int, on: bool) -> MeetingRow:
    """Turn the bell on or off, based on the meeting at ``version``; returns it as saved."""
    with db.write() as session:
        meeting = claim(session, Meeting, meeting_id, version,
                        refusal("the check-in's bell",
                                lambda m: "on" if m.bell else "off"), bell=on)
        session.flush()
        return MeetingRow.of(meeting)
