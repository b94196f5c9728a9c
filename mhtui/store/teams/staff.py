"""A team's roster: the people it invites to its check-ins, and who came.

Screens and the command line get ``Person`` read models; every change names the version
it was based on (store/database/conflict.py), so two copies editing one person never overwrite
each other unseen. Removing a person deactivates them: the name stays in the minutes,
the attendance and the actions they own, and they get no more invitations.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import col, select

from mhtui.store.database.conflict import ConflictError, claim, quote, refusal
from mhtui.store.database.db import Database
from mhtui.store.models import Role, Staff, Team
from mhtui.store.teams.teams import TeamNameError, TeamView, team_view

NAME_LIMIT = 200
# A form's save: takes (name, role, email), raises StaffError or StorageProblem.
Saver = Callable[[tuple[str, str, str]], None]
__all__ = ["ConflictError", "Person", "Saver", "StaffError"]
_EMAIL = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"'.]+")


class StaffError(ValueError):
    """Input that cannot be saved (no name, an email that is not one)."""


@dataclass(frozen=True)
class Person:
    id: int
    team_id: int
    name: str
    role: str
    email: str
    active: bool
    version: int

    @classmethod
    def of(cls, row: Staff) -> Person:
        assert row.id is not None
        return cls(row.id, row.team_id, row.name, row.role_name, row.email, row.active,
                   row.version)


def clean_name(name: str) -> str:
    flat = " ".join(name.split())
    if not flat:
        raise StaffError("A person needs a name.")
    if len(flat) > NAME_LIMIT:
        raise StaffError(f"A name is at most {NAME_LIMIT} characters.")
    return flat


def clean_email(email: str) -> str:
    value = email.strip()
    if value and not _EMAIL.fullmatch(value):
        raise StaffError(f"{quote(value)} is not an email address (like ana@school.org); "
                         "leave it empty if there is none.")
    return value


def clean_role(role: str) -> str:
    return " ".join(role.split())[:NAME_LIMIT]


def roster(db: Database, team_id: int, *, include_inactive: bool = True) -> list[Person]:
    """The team's people, active first, each group in the order they were added."""
    with db.read() as session:
        query = select(Staff).where(Staff.team_id == team_id)
        if not include_inactive:
            query = query.where(col(Staff.active))
        rows = session.exec(query.order_by(col(Staff.active).desc(), col(Staff.id)))
        return [Person.of(r) for r in rows]


def names(db: Database, team_id: int) -> list[str]:
    """Active people's names, for the owner fields' suggestions."""
    return [p.name for p in roster(db, team_id, include_inactive=False)]


def get(db: Database, person_id: int) -> Person | None:
    with db.read() as session:
        row = session.get(Staff, person_id)
        return None if row is None else Person.of(row)


def grid_roles(db: Database, team_id: int) -> list[str]:
    """The team's grid roles, offered when a person's role is typed."""
    with db.read() as session:
        return list(session.exec(select(Role.name).where(Role.team_id == team_id)
                                 .order_by(col(Role.position))))


def add(db: Database, team_id: int, name: str, role: str = "", email: str = "") -> Person:
    row = Staff(team_id=team_id, name=clean_name(name), role_name=clean_role(role),
                email=clean_email(email))
    with db.write() as session:
        if session.get(Team, team_id) is None:
            raise StaffError("That team no longer exists.")
        session.add(row)
        session.flush()
        return Person.of(row)


def _words(row: Staff) -> str:
    state = "" if row.active else ", inactive"
    return f"{quote(row.name)} ({row.role_name or 'no role'}{state})"


def edit(db: Database, person_id: int, version: int, *, name: str | None = None,
         role: str | None = None, email: str | None = None,
         active: bool | None = None) -> Person:
    """Change what is given, based on the person at ``version``; returns them as saved."""
    values: dict[str, object] = {}
    if name is not None:
        values["name"] = clean_name(name)
    if role is not None:
        values["role_name"] = clean_role(role)
    if email is not None:
        values["email"] = clean_email(email)
    if active is not None:
        values["active"] = active
    with db.write() as session:
        row = claim(session, Staff, person_id, version,
                    refusal("this person", _words), **values)
        session.flush()
        return Person.of(row)


def rename_team(db: Database, team_id: int, version: int, new_name: str) -> TeamView:
    """Rename a team, based on the team at ``version``; names stay unique."""
    name = " ".join(new_name.split())
    if not name:
        raise TeamNameError("A team needs a name.")
    with db.write() as session:
        other = session.exec(select(Team).where(Team.name == name)).first()
        if other is not None and other.id != team_id:
            raise TeamNameError(f"There is already a team called {name!r}.")
        team = claim(session, Team, team_id, version,
                     refusal("the team's name", lambda t: quote(t.name)), name=name)
        session.flush()
        return team_view(team)
