"""Check-in meetings: starting one from the team's agenda, its clock, notes and end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from mhtui.core.agenda_clock import AgendaClock, ItemClock
from mhtui.core.clock import Clock
from mhtui.core.statuses import OPEN_STATUSES
from mhtui.store.conflict import ConflictError, claim, gone, quote, refusal
from mhtui.store.db import Database
from mhtui.store.models import (
    Action,
    ActionEvent,
    AgendaTemplateItem,
    Meeting,
    MeetingAttendee,
    MeetingItem,
    Team,
)


@dataclass
class Live:
    """A meeting as the projected view needs it."""

    meeting: Meeting
    items: list[MeetingItem]
    clock: AgendaClock
    attendees: list[MeetingAttendee]


def start(db: Database, team_id: int, scheduled_at: datetime,
          attendees: list[tuple[str, str]]) -> Meeting:
    """Create a check-in with the team's agenda template; its clock starts paused."""
    with db.write() as session:
        team = session.get(Team, team_id)
        assert team is not None
        meeting = Meeting(team_id=team_id, scheduled_at=scheduled_at,
                          planned_minutes=team.meeting_minutes)
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
        for name, role in attendees:
            if name.strip():
                session.add(MeetingAttendee(meeting_id=meeting.id, name=name.strip(),
                                            role_name=role.strip()))
        return meeting


def in_progress(db: Database, team_id: int) -> Meeting | None:
    """The team's check-in that has been started and not ended, if any."""
    with db.read() as session:
        return session.exec(
            select(Meeting).where(Meeting.team_id == team_id, Meeting.state != "ended")
            .order_by(col(Meeting.id).desc())
        ).first()


def load(db: Database, meeting_id: int) -> Live:
    with db.read() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            raise LookupError(f"No check-in #{meeting_id}.")
        items = list(session.exec(
            select(MeetingItem).where(MeetingItem.meeting_id == meeting_id)
            .order_by(col(MeetingItem.position))
        ))
        attendees = list(session.exec(
            select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting_id)
        ))
    clock = AgendaClock(
        items=[ItemClock(i.planned_seconds, i.spent_seconds) for i in items],
        current=min(meeting.current_position, max(len(items) - 1, 0)),
        running_since=meeting.running_since,
    )
    return Live(meeting, items, clock, attendees)


def save_clock(db: Database, live: Live, clock: Clock) -> None:
    """Write the clock's state: one transaction, so a crash leaves a consistent state."""
    state = live.clock
    assert live.meeting.id is not None
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
        live.meeting = Meeting(**meeting.model_dump())
    state.changed.clear()


def _clock_words(meeting: Meeting) -> str:
    running = "running" if meeting.running_since is not None else "paused"
    return f"{meeting.state}, {running} on item {meeting.current_position + 1}"


def _notes_words(item: MeetingItem) -> str:
    return quote(item.notes)


def save_notes(db: Database, item_id: int, version: int, notes: str) -> int:
    """Store an item's notes, based on the item at ``version``; returns its new version.
    Notes already as given are left alone, whatever the version: nothing is lost."""
    with db.write() as session:
        item = session.get(MeetingItem, item_id)
        if item is not None and item.notes == notes:
            return item.version
        refuse = refusal(f"the notes of {item.title!r}" if item else "this agenda item",
                         _notes_words)
        return claim(session, MeetingItem, item_id, version, refuse, notes=notes).version


def end(db: Database, live: Live, clock: Clock) -> None:
    now = clock.now()
    live.clock.pause(now)
    save_clock(db, live, clock)
    assert live.meeting.id is not None
    with db.write() as session:
        meeting = claim(session, Meeting, live.meeting.id, live.meeting.version,
                        refusal("the check-in", _clock_words), state="ended", ended_at=now)
        meeting.started_at = meeting.started_at or now
        session.flush()
        live.meeting = Meeting(**meeting.model_dump())


def _created(session: Session, meeting_id: int) -> list[Action]:
    return list(session.exec(
        select(Action).where(Action.meeting_id == meeting_id, col(Action.deleted_at).is_(None))
        .order_by(col(Action.id))))


def created_in(db: Database, meeting_id: int) -> list[Action]:
    """The actions set in one check-in (what its plans item shows)."""
    with db.read() as session:
        return _created(session, meeting_id)


@dataclass(frozen=True)
class Summary:
    meeting: Meeting
    planned: float
    spent: float


def summaries(db: Database, team_id: int, now: datetime) -> list[Summary]:
    """Every check-in of the team, newest first, with planned and actual seconds, read in
    two queries whatever the number of check-ins."""
    with db.read() as session:
        meetings = list(session.exec(
            select(Meeting).where(Meeting.team_id == team_id)
            .order_by(col(Meeting.scheduled_at).desc())))
        items = session.exec(
            select(MeetingItem).join(Meeting).where(Meeting.team_id == team_id)).all()
    by_meeting: dict[int, list[MeetingItem]] = {}
    for item in items:
        by_meeting.setdefault(item.meeting_id, []).append(item)
    out = []
    for meeting in meetings:
        rows = by_meeting.get(meeting.id or 0, [])
        spent = sum(i.spent_seconds for i in rows)
        if meeting.running_since is not None:  # the stretch running now counts too
            spent += max(0.0, ((meeting.ended_at or now) - meeting.running_since)
                         .total_seconds())
        out.append(Summary(meeting, sum(i.planned_seconds for i in rows), spent))
    return out


def latest(db: Database, team_id: int) -> Meeting | None:
    with db.read() as session:
        return session.exec(
            select(Meeting).where(Meeting.team_id == team_id)
            .order_by(col(Meeting.scheduled_at).desc(), col(Meeting.id).desc())
        ).first()


@dataclass
class MinutesData:
    team: Team
    live: Live
    created: list[Action]
    changes: list[tuple[ActionEvent, Action]]
    reviewed: list[tuple[Action, str]]  # open when the check-in began, with that status
    carried: list[tuple[Action, str]]  # still open when it ended, with that status


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
    reviewed = [(a, then) for a in earlier if a.meeting_id != meeting_id
                and a.created_on <= start.astimezone().date()
                and (then := status_at(a, history.get(a.id or 0, []), start)) in open_words]
    carried = [(a, later) for a in earlier
               if (later := status_at(a, history.get(a.id or 0, []), end)) in open_words]
    return MinutesData(team, live, created, [(e, a) for e, a in changes], reviewed, carried)


def minutes(db: Database, meeting_id: int, now: datetime) -> str:
    """The meeting's minutes as Markdown."""
    from mhtui.core import minutes as md

    data = minutes_data(db, meeting_id, now)
    live = data.live
    record = md.Minutes(
        team=data.team.name,
        held=live.meeting.started_at or live.meeting.scheduled_at,
        state=live.meeting.state,
        attendees=[(a.name, a.role_name) for a in live.attendees],
        items=[md.ItemRecord(i.title, live.clock.items[n].planned_seconds,
                             live.clock.spent(n, live.meeting.ended_at or now), i.notes)
               for n, i in enumerate(live.items)],
        created=[md.ActionRecord(a.id or 0, a.text, a.owner, a.due_on, a.status)
                 for a in data.created],
        changes=[md.ChangeRecord(a.id or 0, a.text, e.old_value, e.new_value)
                 for e, a in data.changes],
        reviewed=[md.ReviewRecord(a.id or 0, a.text, a.owner, then, a.status)
                  for a, then in data.reviewed],
        carried=[md.ActionRecord(a.id or 0, a.text, a.owner, a.due_on, status)
                 for a, status in data.carried],
    )
    return md.render(record)


def previous_end(db: Database, team_id: int, before: Meeting) -> datetime | None:
    """When the check-in before this one ended: the start of 'since the last check-in'."""
    with db.read() as session:
        return session.exec(
            select(Meeting.ended_at).where(
                Meeting.team_id == team_id, Meeting.state == "ended",
                col(Meeting.id) != before.id, col(Meeting.scheduled_at) <= before.scheduled_at)
            .order_by(col(Meeting.ended_at).desc())
        ).first()


def set_bell(db: Database, meeting_id: int, version: int, on: bool) -> Meeting:
    """Turn the bell on or off, based on the meeting at ``version``; returns it as saved."""
    with db.write() as session:
        meeting = claim(session, Meeting, meeting_id, version,
                        refusal("the check-in's bell",
                                lambda m: "on" if m.bell else "off"), bell=on)
        session.flush()
        return Meeting(**meeting.model_dump())
