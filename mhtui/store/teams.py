"""Teams: the first-run default, listing, creating, and which one is active."""

from __future__ import annotations

from sqlmodel import col, select

from mhtui.core.clock import Clock
from mhtui.store import seed
from mhtui.store.db import Database
from mhtui.store.models import Setting, Team
from mhtui.store.sql import ACTIVE_TEAM_KEY

DEFAULT_TEAM_NAME = "My school"


class TeamNameError(ValueError):
    pass


def list_teams(db: Database) -> list[Team]:
    with db.read() as session:
        return list(session.exec(select(Team).order_by(col(Team.name))))


def create_team(db: Database, name: str, clock: Clock) -> Team:
    name = " ".join(name.split())
    if not name:
        raise TeamNameError("A team needs a name.")
    with db.write() as session:
        if session.exec(select(Team).where(Team.name == name)).first():
            raise TeamNameError(f"There is already a team called {name!r}.")
        return seed.new_team(session, name, clock.now())


def active_team(db: Database, clock: Clock) -> Team:
    """The team last worked on; on the very first run, a new default team."""
    with db.read() as session:
        setting = session.get(Setting, ACTIVE_TEAM_KEY)
        if setting is not None:
            team = session.get(Team, int(setting.value))
            if team is not None:
                return team
        first = session.exec(select(Team).order_by(col(Team.id))).first()
        if first is not None:
            return first
    with db.write() as session:
        # Another copy may have made it between our read and taking the write lock.
        first = session.exec(select(Team).order_by(col(Team.id))).first()
        return first or seed.new_team(session, DEFAULT_TEAM_NAME, clock.now())


def set_active_team(db: Database, team_id: int) -> None:
    with db.write() as session:
        setting = session.get(Setting, ACTIVE_TEAM_KEY) or Setting(key=ACTIVE_TEAM_KEY, value="")
        setting.value = str(team_id)
        session.add(setting)


def find_team(db: Database, name: str) -> Team | None:
    with db.read() as session:
        return session.exec(select(Team).where(Team.name == name)).first()


def staff(db: Database, team_id: int) -> list[tuple[str, str]]:
    """The people a team invites, as (name, role)."""
    from mhtui.store.models import Staff

    with db.read() as session:
        return [(s.name, s.role_name) for s in session.exec(
            select(Staff).where(Staff.team_id == team_id).order_by(col(Staff.id)))]
