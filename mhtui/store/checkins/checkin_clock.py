"""What keeps a check-in's clock honest: the team's warning and bell, the time mhtui was
closed with the clock running, and time corrected by hand.

Screens get frozen copies (``ClockSettings``, ``Live``); a change names the version it was
based on, as everywhere in the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select, update

from mhtui.core.clock import Clock
from mhtui.store.checkins import checkins
from mhtui.store.checkins.checkins import Live
from mhtui.store.database.conflict import ConflictError, claim, gone, refusal
from mhtui.store.database.db import Database
from mhtui.store.models import ActionEvent, Meeting, MeetingItem, Team

AWAY_SECONDS = 600  # closed longer than this with the clock running: ask on reopening
MAX_WARN_MINUTES = 120


class ClockError(ValueError):
    pass


@dataclass(frozen=True)
class ClockSettings:
    """A team's warning before an item ends (None: the default) and its bell."""

    team_id: int
    warn_minutes: int | None
    bell: bool
    version: int  # the team's: what a change of either is based on

    @classmethod
    def of(cls, team: Team) -> ClockSettings:
        assert team.id is not None
        return cls(team.id, team.warn_minutes, team.bell, team.version)


def settings(db: Database, team_id: int) -> ClockSettings:
    with db.read() as session:
        team = session.get(Team, team_id)
        if team is None:
            raise ConflictError(gone("this team"))
        return ClockSettings.of(team)


def _warn_words(team: Team) -> str:
    return ("the default warning" if team.warn_minutes is None
            else f"a warning {team.warn_minutes} min before the end")


def set_warning(db: Database, team_id: int, version: int,
                minutes: int | None) -> ClockSettings:
    """The team's warning: minutes before an item ends, 0 for none, None for the default
    (5 minutes, none for items under 10 minutes)."""
    if minutes is not None and not 0 <= minutes <= MAX_WARN_MINUTES:
        raise ClockError(f"A warning comes 0 to {MAX_WARN_MINUTES} minutes before the end.")
    with db.write() as session:
        team = claim(session, Team, team_id, version,
                     refusal("the team's warning", _warn_words), warn_minutes=minutes)
        session.flush()
        return ClockSettings.of(team)


def set_bell(db: Database, live: Live, version: int, on: bool) -> tuple[Live, ClockSettings]:
    """Ring the bell (or not) in this check-in and the team's next ones; based on the
    meeting as ``live`` holds it and the team at ``version``."""
    meeting = checkins.set_bell(db, live.meeting.id, live.meeting.version, on)
    with db.write() as session:
        team = claim(session, Team, live.meeting.team_id, version,
                     refusal("the team's bell", lambda t: "on" if t.bell else "off"), bell=on)
        session.flush()
        saved = ClockSettings.of(team)
    return Live(meeting, live.items, live.clock, live.attendees), saved


def mark_seen(db: Database, meeting_id: int, now: datetime) -> None:
    """Note that mhtui has the check-in open now. Bookkeeping, not an edit: the version
    stays, so no one's copy goes stale by it."""
    with db.write() as session:
        session.exec(update(Meeting).where(col(Meeting.id) == meeting_id)
                     .values(seen_at=now))


def seen_at(db: Database, meeting_id: int) -> datetime | None:
    with db.read() as session:
        meeting = session.get(Meeting, meeting_id)
        return meeting.seen_at if meeting is not None else None


def time_away(live: Live, seen: datetime | None, now: datetime) -> float:
    """Seconds the clock ran with mhtui closed, when more than ``AWAY_SECONDS`` (else 0):
    what reopening asks about."""
    if not live.clock.running or seen is None or live.meeting.state == "ended":
        return 0.0
    away = (now - seen).total_seconds()
    return away if away > AWAY_SECONDS else 0.0


def stop_when_closed(db: Database, live: Live, seen: datetime, clock: Clock) -> Live:
    """Stop the clock at the moment mhtui was last seen with it open: the time away does
    not count."""
    if live.clock.running_since is not None:
        live.clock.pause(max(seen, live.clock.running_since))
    saved = checkins.save_clock(db, live, clock)
    mark_seen(db, live.meeting.id, clock.now())
    return saved


def correct_spent(db: Database, live: Live, index: int, seconds: float,
                  clock: Clock) -> Live:
    """Set the time spent on one item by hand, based on the meeting's version. The
    clock's own figure is kept (the first time) so the minutes say it was corrected; a
    running item goes on counting from the corrected figure."""
    if not 0 <= seconds <= 24 * 3600:
        raise ClockError("The time spent is between 0:00 and 24:00:00.")
    now = clock.now()
    item_id = live.items[index].id
    with db.write() as session:
        meeting = claim(session, Meeting, live.meeting.id, live.meeting.version,
                        refusal("the check-in's clock", lambda m: f"{m.state}"))
        item = session.get(MeetingItem, item_id)
        if item is None:
            raise ConflictError(gone("an item of this check-in's agenda"))
        by_clock = live.clock.spent(index, now)
        if item.spent_by_clock is None:
            item.spent_by_clock = by_clock
        item.spent_seconds = float(seconds)
        if index == live.clock.current and meeting.running_since is not None:
            meeting.running_since = now
        session.add(item)
        session.add(meeting)
    return checkins.load(db, live.meeting.id)


def status_changed_in(db: Database, meeting_id: int) -> frozenset[int]:
    """The actions whose status was changed during this check-in: its review keeps them
    listed until it ends, so a wrong key can be put right."""
    with db.read() as session:
        return frozenset(session.exec(
            select(ActionEvent.action_id).where(ActionEvent.meeting_id == meeting_id,
                                                ActionEvent.kind == "status")).all())
