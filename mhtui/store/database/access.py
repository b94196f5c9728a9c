"""Who may see what on a district server: the logins' grants, kept by PostgreSQL.

A login is a PostgreSQL role the district creates. ``grant`` maps it to one of mhtui's
kinds (district: every team; facilitator: everything of its teams; staff: its team's
actions, agenda and minutes, and its own reflections) by a row of ``access_grant``, and
gives it the table privileges of the kinds it holds (``mhtui_apply_privileges``, made by
migration 0009 with the row-level security policies that read the grants), so the server
fences a SQL client as it fences mhtui. Privileges go to the login itself, not to group
roles: roles are shared by every database on a server, and granting them would need
CREATEROLE; the schema's owner can grant on its own tables with nothing more.

Run by the schema's owner (or a superuser). On SQLite there is nothing to grant: whoever
can read the file sees all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text

if TYPE_CHECKING:  # so the dashboard can ask reach_on before the ORM is loaded
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

    from mhtui.store.database.db import Database

KINDS = ("district", "facilitator", "staff")
SQLITE_LINE = ("This database is an SQLite file: access on one laptop is whoever can read "
               "the file; logins and grants are for a district's PostgreSQL server.")


class AccessError(Exception):
    """A grant that cannot be made, said in one line; exit status ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Grant:
    login: str
    kind: str  # district, facilitator, staff
    team: str | None  # the team's name; None for district (every team)


def on_server(db: Database) -> bool:
    return db.engine.dialect.name == "postgresql"


@dataclass(frozen=True)
class _Who:
    login: str
    owner: str | None  # the owner of access_grant; None before migration 0009
    superuser: bool

    @property
    def unfenced(self) -> bool:
        return self.superuser or self.login == self.owner


def _who_on(conn: Connection | Session) -> _Who:
    row = conn.execute(text(
        "SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = "
        "current_user), (SELECT pg_get_userbyid(relowner) FROM pg_class "
        "WHERE oid = to_regclass('access_grant'))")).one()
    return _Who(str(row[0]), row[2], bool(row[1]))


def _who(db: Database) -> _Who:
    with db.read() as session:
        return _who_on(session)


EVERYTHING = "everything"  # SQLite, the schema's owner, a superuser, a server unfenced


@dataclass(frozen=True)
class Reach:
    """What this login reaches, team by team: the kind it holds for each."""

    everything: bool
    district: bool = False
    facilitator: frozenset[int] = frozenset()
    staff: frozenset[int] = frozenset()

    def kind(self, team_id: int) -> str:
        """everything, district, facilitator, staff, or none, for ``team_id``."""
        if self.everything:
            return EVERYTHING
        if self.district:
            return "district"
        if team_id in self.facilitator:
            return "facilitator"
        return "staff" if team_id in self.staff else "none"

    def sees_grid(self, team_id: int) -> bool:
        """The team's grid and shift plans are read by its facilitators and the district
        only (migration 0009's policies): a staff login is shown no row of them."""
        return self.kind(team_id) in (EVERYTHING, "district", "facilitator")


def reach_on(conn: Connection) -> Reach:
    """What the login of ``conn`` reaches; everything on SQLite, for the schema's owner
    or a superuser, and on a server without the fence (before migration 0009). Core
    only, so the dashboard asks it on its own connection before the ORM is loaded."""
    if conn.dialect.name != "postgresql":
        return Reach(everything=True)
    who = _who_on(conn)
    if who.unfenced or who.owner is None:
        return Reach(everything=True)
    found: dict[str, set[int]] = {kind: set() for kind in KINDS}
    for kind, team in conn.execute(text(
            "SELECT kind, team_id FROM access_grant WHERE login = current_user")):
        found.setdefault(str(kind), set()).add(-1 if team is None else int(team))
    return Reach(False, bool(found["district"]), frozenset(found["facilitator"]),
                 frozenset(found["staff"]))


def reach(db: Database) -> Reach:
    """What this database's login reaches (``reach_on``)."""
    if not on_server(db):
        return Reach(everything=True)
    with db.engine.connect() as conn:
        return reach_on(conn)


def _as_admin(db: Database) -> _Who:
    if not on_server(db):
        raise AccessError(SQLITE_LINE, code=2)
    who = _who(db)
    if who.owner is None:
        raise AccessError("This database has no logins' fence yet: run `mhtui db upgrade` "
                          "first (as the schema's owner).", code=2)
    if not who.unfenced:
        raise AccessError(f"Only the schema's owner ({who.owner}) can change or list "
                          f"access; you are signed in as {who.login}.", code=2)
    return who


def _team_id(db: Database, name: str) -> tuple[int, str]:
    from mhtui.store.teams import teams

    team = teams.find_team(db, name)
    if team is None:
        known = ", ".join(repr(t.name) for t in teams.list_teams(db)) or "none yet"
        raise AccessError(f"No team called {name!r}. Teams: {known}.", code=2)
    return team.id, team.name


def _quoted(db: Database, login: str) -> str:
    return str(db.engine.dialect.identifier_preparer.quote(login))


def grant(db: Database, login: str, kind: str, team: str | None) -> str:
    """Give ``login`` the access of ``kind`` (to ``team``); a sentence saying so."""
    who = _as_admin(db)
    if kind not in KINDS:
        raise AccessError(f"{kind!r} is not a kind of access: {', '.join(KINDS)}.", code=2)
    if kind == "district" and team is not None:
        raise AccessError("A district login sees every team: give no --team.", code=2)
    if kind != "district" and team is None:
        raise AccessError(f"A {kind} login sees its own teams: say which with --team.",
                          code=2)
    if login == who.owner:
        raise AccessError(f"{login} owns the schema: it sees every team already.", code=2)
    team_id, team_name = _team_id(db, team) if team is not None else (None, None)
    with db.write() as session:
        role = session.execute(text("SELECT rolcanlogin, rolsuper FROM pg_roles "
                                    "WHERE rolname = :login"), {"login": login}).first()
        if role is None:
            raise AccessError(f"No login called {login!r} on this server: create it first "
                              f"(CREATE ROLE {_quoted(db, login)} LOGIN PASSWORD '...').",
                              code=2)
        session.execute(text("DELETE FROM access_grant WHERE login = :login AND "
                             "team_id IS NOT DISTINCT FROM :team"),
                        {"login": login, "team": team_id})
        session.execute(text("INSERT INTO access_grant (login, kind, team_id) "
                             "VALUES (:login, :kind, :team)"),
                        {"login": login, "kind": kind, "team": team_id})
        _apply_privileges(session, login)
    note = ""
    if not role[0]:
        note = f" ({login} cannot log in yet: ALTER ROLE {_quoted(db, login)} LOGIN.)"
    elif role[1]:
        note = f" ({login} is a superuser: PostgreSQL fences it nowhere.)"
    if team_name is None:
        return f"{login} is now district: every team.{note}"
    return f"{login} is now {kind} of {team_name}.{note}"


def _apply_privileges(session: Session, login: str) -> None:
    """The login's table privileges made again from the kinds it holds now."""
    session.execute(text("SELECT mhtui_apply_privileges(:login)"), {"login": login})


def revoke(db: Database, login: str, team: str | None) -> str:
    """Take away ``login``'s access to ``team`` (without one: to everything)."""
    _as_admin(db)
    team_id, team_name = _team_id(db, team) if team is not None else (None, None)
    with db.write() as session:
        if team_id is None:
            gone = session.execute(text("DELETE FROM access_grant WHERE login = :login "
                                        "RETURNING kind"), {"login": login}).all()
        else:
            gone = session.execute(text("DELETE FROM access_grant WHERE login = :login "
                                        "AND team_id = :team RETURNING kind"),
                                   {"login": login, "team": team_id}).all()
        if not gone:
            where = f" to {team_name}" if team_name else ""
            raise AccessError(f"{login} has no access{where} to take away.", code=1)
        if session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :login"),
                           {"login": login}).first() is not None:
            _apply_privileges(session, login)
    return f"{login} no longer sees {team_name or 'any team'}."


def grants(db: Database) -> list[Grant]:
    """Every grant, by login, kind and team."""
    _as_admin(db)
    with db.read() as session:
        rows = session.execute(text(
            "SELECT g.login, g.kind, t.name FROM access_grant g LEFT JOIN team t "
            "ON t.id = g.team_id ORDER BY g.login, g.kind, t.name")).all()
    return [Grant(str(r[0]), str(r[1]), r[2]) for r in rows]


def whoami(db: Database) -> str | None:
    """The login and what it reaches ("ann (facilitator: Lincoln High)"); None on
    SQLite."""
    if not on_server(db):
        return None
    who = _who(db)
    if who.owner is None:
        return who.login
    if who.unfenced:
        return f"{who.login} (the schema's owner: every team, and mhtui admin)"
    with db.read() as session:
        rows = session.execute(text(
            "SELECT g.kind, t.name FROM access_grant g LEFT JOIN team t ON t.id = g.team_id "
            "WHERE g.login = current_user ORDER BY g.kind, t.name")).all()
    if not rows:
        return f"{who.login} (no team yet)"
    by_kind: dict[str, list[str]] = {}
    for kind, team in rows:
        by_kind.setdefault(str(kind), []).append("every team" if team is None else str(team))
    reach = "; ".join(f"{kind}: {', '.join(names)}" for kind, names in by_kind.items())
    return f"{who.login} ({reach})"


def shut_out(db: Database) -> str | None:
    """Why this login can use nothing on this server, in one line, when it holds no grant
    (it would see no team, and may not make one); None on SQLite, for the owner, a
    server without the fence, or a login with a grant."""
    if not on_server(db):
        return None
    with db.read() as session:
        row = session.execute(text(
            "SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = "
            "current_user), pg_get_userbyid(relowner), "
            "has_table_privilege(oid, 'SELECT') FROM pg_class "
            "WHERE oid = to_regclass('access_grant')")).first()
        if row is None or row[1] or row[0] == row[2]:
            return None
        if row[3] and session.execute(text("SELECT 1 FROM access_grant "
                                           "WHERE login = current_user")).first():
            return None
    login = row[0]
    return (f"Your login ({login}) has no team on this server yet: ask whoever runs it to "
            f"grant you one (`mhtui admin grant {login} --as facilitator --team TEAM`, or "
            "--as staff).")


_OWN_ROWS = {"time table": "allocationrow", "draft": "reflection"}


def deleted_by_server(session: Session, what: str, reflection_id: int) -> bool:
    """Delete a staff login's own ``what`` ("time table": a reflection's rows, rewritten
    at each save; "draft": the draft itself) through the server's mhtui_delete_own, and
    say True; False (nothing done) where the login may delete rows itself. Staff hold no
    DELETE on a table (migration 0011): it would let them LOCK it for everyone."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    if session.execute(text("SELECT has_table_privilege(:table, 'DELETE')"),
                       {"table": _OWN_ROWS[what]}).scalar_one():
        return False
    session.execute(text("SELECT mhtui_delete_own(:what, :id)"),
                    {"what": what, "id": reflection_id})
    return True
