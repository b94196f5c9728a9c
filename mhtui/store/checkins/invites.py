"""A team's schedule and the invitation made from it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from mhtui.core import invitation
from mhtui.core.schedule import CADENCES, Schedule, schedule_from
from mhtui.core.slug import slug
from mhtui.store.database.conflict import claim, refusal
from mhtui.store.database.db import Database
from mhtui.store.models import Team
from mhtui.store.teams import teams
from mhtui.store.teams.teams import TeamView, team_view


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
class Letter:
    """One invitation email: for everyone (``name`` None) or for one person."""

    name: str | None
    address: str
    filename: str  # unique within the invitation, whatever the script of the name
    text: str


@dataclass(frozen=True)
class Invitation:
    team: TeamView
    schedule: Schedule
    letters: tuple[Letter, ...]  # the copy for everyone first
    ics: str
    zone: str | None  # the calendar's TZID; None: floating local time


def calendar_uid(db: Database, team_id: int) -> str:
    """The team's one UID for its check-in series, made with the team (or by migration 6
    for older teams), so that showing an invitation only reads: on a full disk it still
    shows.

    Random, not made from the team's number or schedule: two databases both have a team
    1, and a changed schedule must update the event in people's calendars, not add one.
    """
    with db.read() as session:
        team = session.get(Team, team_id)
        assert team is not None
        if team.calendar_uid:
            return team.calendar_uid
        # Not reached through mhtui; a row put in by hand still gets a UID that stays.
        return f"{uuid.uuid5(uuid.NAMESPACE_URL, f'mhtui:{team.id}:{team.created_at}')}@mhtui"


def build(db: Database, team_id: int, now: datetime) -> Invitation:
    """The invitation: one email for everyone, one per active person with an email."""
    from mhtui.store.teams import staff

    team = teams.get_team(db, team_id)
    assert team is not None
    schedule = schedule_of(team)
    if schedule is None:
        raise ScheduleError(f"{team.name} has no check-in schedule yet: set the first date, "
                            "time and cadence first.")
    start = start_of(team)
    upcoming = datetime.combine(schedule.next_on_or_after(now.astimezone().date()), start)
    letters = [Letter(None, "", "invitation-everyone.txt", invitation.email(
        team.name, schedule, start, team.meeting_minutes, team.place, upcoming))]
    taken = {letters[0].filename}
    for person in staff.roster(db, team_id, include_inactive=False):
        if not person.email:
            continue
        # A name in any script keeps its letters; the number tells two 李明 apart.
        filename = f"invitation-{slug(person.name, 'person')}.txt"
        if filename in taken:
            filename = f"invitation-{slug(person.name, 'person')}-{person.id}.txt"
        taken.add(filename)
        letters.append(Letter(person.name, person.email, filename, invitation.email(
            team.name, schedule, start, team.meeting_minutes, team.place, upcoming,
            person.name, person.email)))
    zone = invitation.local_zone()
    ics = invitation.calendar(calendar_uid(db, team_id), team.name, schedule, start,
                              team.meeting_minutes, team.place, now, zone=zone,
                              sequence=team.version % 2**31)
    return Invitation(team, schedule, tuple(letters), ics, zone)
