"""Teams: the first-run default, listing, creating, and which one is active."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from mhtui.core.clock import Clock
from mhtui.core.folding import fold
from mhtui.store.database.db import Database
from mhtui.store.models import Setting, Team
from mhtui.store.sql import ACTIVE_TEAM_KEY
from mhtui.store.teams import seed

DEFAULT_TEAM_NAME = "My school"


class TeamNameError(ValueError):
    pass


@dataclass(frozen=True)
class TeamView:
    """A team as read: its name, check-in schedule and enrollment, and the version a
    change of them names."""

    id: int
    name: str
    cadence: str
    cadence_weeks: int | None
    weekday: int | None
    start_time: str | None  # "HH:MM", local time
    meeting_minutes: int
    place: str
    next_checkin_on: date | None
    enrollment: int | None
    version: int


def team_view(team: Team) -> TeamView:
    assert team.id is not None
    return TeamView(team.id, team.name, team.cadence, team.cadence_weeks, team.weekday,
                    team.start_time, team.meeting_minutes, team.place, team.next_checkin_on,
                    team.enrollment, team.version)


def list_teams(db: Database) -> list[TeamView]:
    """Every team A-Z by its name folded (case, accents and punctuation set aside, as a
    dictionary orders words), the same order on SQLite and on a server whatever its
    collation ("adams" beside "Adams", "Élan" among the E's)."""
    with db.read() as session:
        found = session.exec(select(Team)).all()
    return [team_view(t) for t in sorted(found, key=_name_order)]


def _name_order(team: Team) -> tuple[str, str, str, int]:
    folded = fold(team.name)
    return "".join(c for c in folded if c.isalnum()), folded, team.name, team.id or 0


def get_team(db: Database, team_id: int) -> TeamView | None:
    with db.read() as session:
        team = session.get(Team, team_id)
        return None if team is None else team_view(team)


def create_team(db: Database, name: str, clock: Clock) -> TeamView:
    name = " ".join(name.split())
    if not name:
        raise TeamNameError("A team needs a name.")
    with db.write() as session:
        if session.exec(select(Team).where(Team.name == name)).first():
            raise TeamNameError(f"There is already a team called {name!r}.")
        return team_view(seed.new_team(session, name, clock.now()))


def active_team(db: Database, clock: Clock) -> TeamView:
    """The team last worked on; on the very first run, a new default team."""
    with db.read() as session:
        setting = session.get(Setting, ACTIVE_TEAM_KEY)
        if setting is not None:
            team = session.get(Team, int(setting.value))
            if team is not None:
                return team_view(team)
        first = session.exec(select(Team).order_by(col(Team.id))).first()
        if first is not None:
            return team_view(first)
    with db.write() as session:
        # Another copy may have made it between our read and taking the write lock.
        first = session.exec(select(Team).order_by(col(Team.id))).first()
        return team_view(first or seed.new_team(session, DEFAULT_TEAM_NAME, clock.now()))


def set_active_team(db: Database, team_id: int) -> None:
    with db.write() as session:
        setting = session.get(Setting, ACTIVE_TEAM_KEY) or Setting(key=ACTIVE_TEAM_KEY, value="")
        setting.value = str(team_id)
        session.add(setting)


def find_team(db: Database, name: str) -> TeamView | None:
    """The team called ``name``: spelled exactly, or else the one team whose name is the
    same in any case and spacing ("lincoln  HIGH" for "Lincoln High"; "ZOË" for "Zoë")."""
    with db.read() as session:
        every = session.exec(select(Team).order_by(col(Team.id))).all()
        exact = [t for t in every if t.name == name]
        loose = [t for t in every if _loose(t.name) == _loose(name)]
        found = exact or (loose if len(loose) == 1 else [])
        return team_view(found[0]) if found else None


def _loose(name: str) -> str:
    return " ".join(name.split()).casefold()


def staff(db: Database, team_id: int) -> list[tuple[str, str]]:
    """The people a team invites, as (name, role)."""
    from mhtui.store.models import Staff

    with db.read() as session:
        return [(s.name, s.role_name) for s in session.exec(
            select(Staff).where(Staff.team_id == team_id).order_by(col(Staff.id)))]
