"""A team's schedule and the invitation made from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from mhtui.core import invitation
from mhtui.core.schedule import CADENCES, Schedule, schedule_from
from mhtui.store import teams
from mhtui.store.conflict import claim, refusal
from mhtui.store.db import Database
from mhtui.store.models import Team
from mhtui.store.teams import TeamView, team_view


class ScheduleError(ValueError):
    pass


def schedule_of(team: TeamView) -> Schedule | None:
    return schedule_from(team.cadence, team.next_checkin_on, team.cadence_weeks)


def start_of(team: TeamView) -> time:
    try:
        hours, minutes = (int(p) for p in (team.start_time or "15:00").split(":"))
        return time(hours, minutes)
    except ValueError:
        return time(15, 0)


def next_checkin(team: TeamView, today: date) -> date | None:
    found = schedule_of(team)
    return found.next_on_or_after(today) if found else None


def _schedule_words(row: Team) -> str:
    team = team_view(row)
    found = schedule_of(team)
    if found is None:
        return "no schedule"
    return (f"{found.words()} from {found.first.isoformat()}, at {team.start_time or '15:00'}"
            f" for {team.meeting_minutes} min" + (f", {team.place}" if team.place else ""))


def set_schedule(db: Database, team_id: int, version: int, cadence: str, weeks: int,
                 first: date, start: time, minutes: int, place: str) -> TeamView:
    """Store the schedule, based on the team at ``version``; returns the team as saved."""
    if cadence not in CADENCES:
        raise ScheduleError(f"Cadence must be one of {', '.join(CADENCES)}.")
    if cadence == "weeks" and not 1 <= weeks <= 52:
        raise ScheduleError("Every N weeks needs N from 1 to 52.")
    if not 5 <= minutes <= 600:
        raise ScheduleError("A check-in lasts between 5 and 600 minutes.")
    with db.write() as session:
        team = claim(session, Team, team_id, version,
                     refusal("the check-in schedule", _schedule_words),
                     cadence=cadence, cadence_weeks=weeks if cadence == "weeks" else None,
                     next_checkin_on=first, weekday=first.weekday(),
                     start_time=f"{start:%H:%M}", meeting_minutes=minutes, place=place.strip())
        session.flush()
        return team_view(team)


@dataclass(frozen=True)
class Invitation:
    team: TeamView
    schedule: Schedule
    emails: dict[str | None, str]  # None: the copy for everyone
    ics: str


def build(db: Database, team_id: int, now: datetime) -> Invitation:
    team = teams.get_team(db, team_id)
    assert team is not None
    schedule = schedule_of(team)
    if schedule is None:
        raise ScheduleError(f"{team.name} has no check-in schedule yet: set the first date, "
                            "time and cadence first.")
    start = start_of(team)
    upcoming = datetime.combine(schedule.next_on_or_after(now.astimezone().date()), start)
    people: list[str | None] = [None, *(name for name, _ in teams.staff(db, team_id))]
    emails = {name: invitation.email(team.name, schedule, start, team.meeting_minutes,
                                     team.place, upcoming, name) for name in people}
    ics = invitation.calendar(f"mhtui-team-{team.id}-{schedule.first:%Y%m%d}@mhtui.invalid",
                              team.name, schedule, start, team.meeting_minutes, team.place, now)
    return Invitation(team, schedule, emails, ics)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "team"
