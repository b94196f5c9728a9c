"""A check-in's minutes, put together from the store: who came and who did not, when it
began and ended, the actions, and the next check-in from the team's schedule; and the
file name they are saved under (the team and the day, for any script)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

from mhtui.core import minutes as md
from mhtui.core.slug import slug
from mhtui.store.checkins import checkins, invites
from mhtui.store.database.db import Database
from mhtui.store.models import Meeting
from mhtui.store.teams import teams

FORMATS = ("md", "txt")


def record(db: Database, meeting_id: int, now: datetime) -> md.Minutes:
    data = checkins.minutes_data(db, meeting_id, now)
    live = data.live
    meeting = live.meeting
    team = teams.get_team(db, meeting.team_id)
    assert team is not None
    held = meeting.started_at or meeting.scheduled_at
    upcoming = invites.next_checkin(team, held.astimezone().date() + timedelta(days=1))
    next_at = (datetime.combine(upcoming, invites.start_of(team)) if upcoming else None)
    return md.Minutes(
        team=data.team_name,
        held=held,
        state=meeting.state,
        attendees=[(a.name, a.role_name) for a in live.attendees if a.present],
        absent=[(a.name, a.role_name) for a in live.attendees if not a.present],
        started=meeting.started_at,
        ended=meeting.ended_at,
        next_at=next_at,
        next_place=team.place,
        items=[md.ItemRecord(i.title, live.clock.items[n].planned_seconds,
                             live.clock.spent(n, meeting.ended_at or now), i.notes,
                             i.spent_by_clock)  # set when corrected by hand (T)
               for n, i in enumerate(live.items)],
        created=[md.ActionRecord(a.id, a.text, a.owner, a.due_on, a.status)
                 for a in data.created],
        changes=[md.ChangeRecord(a.id, a.text, e.old_value, e.new_value)
                 for e, a in data.changes],
        reviewed=[md.ReviewRecord(a.id, a.text, a.owner, then, a.status)
                  for a, then in data.reviewed],
        carried=[md.ActionRecord(a.id, a.text, a.owner, a.due_on, status)
                 for a, status in data.carried],
    )


def minutes_text(db: Database, meeting_id: int, now: datetime, fmt: str = "md") -> str:
    """The meeting's minutes as Markdown (``fmt`` "md") or plain text ("txt")."""
    if fmt not in FORMATS:
        raise ValueError(f"Minutes come as {' or '.join(FORMATS)}, not {fmt!r}.")
    made = record(db, meeting_id, now)
    return md.render(made) if fmt == "md" else md.render_text(made)


def filename(db: Database, meeting_id: int, fmt: str = "md") -> str:
    """``minutes-lincoln-high-2026-11-25.md``: the team and the day it was held; the
    check-in's number is added only when the team held two on that day."""
    with db.read() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            raise LookupError(f"No check-in #{meeting_id}.")
        team = teams.get_team(db, meeting.team_id)
        assert team is not None
        day = (meeting.started_at or meeting.scheduled_at).astimezone().date()
        same_day = [m for m in session.exec(select(Meeting).where(
            Meeting.team_id == meeting.team_id))
            if (m.started_at or m.scheduled_at).astimezone().date() == day]
    extra = f"-{meeting_id}" if len(same_day) > 1 else ""
    return f"minutes-{slug(team.name)}-{day.isoformat()}{extra}.{fmt}"
