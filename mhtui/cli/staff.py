"""What `mhtui staff ...` and `mhtui teams ...` do: the roster and the teams, from the
shell (no textual). Every change names the row's version, as the app's do."""

from __future__ import annotations

import argparse
import csv
import io
import json

from mhtui.cli.common import CommandError, emit, pick_team
from mhtui.core.clock import SystemClock
from mhtui.core.csv_actions import safe_cell
from mhtui.store.database.db import Database
from mhtui.store.teams import staff, teams
from mhtui.store.teams.staff import Person


def _json(p: Person) -> dict[str, object]:
    return {"id": p.id, "name": p.name, "role": p.role, "email": p.email,
            "active": p.active}


def cmd_list(args: argparse.Namespace, db: Database) -> int:
    team = pick_team(db, args.team)
    people = staff.roster(db, team.id)
    if args.format == "json":
        emit(json.dumps([_json(p) for p in people], indent=2, ensure_ascii=False) + "\n",
             None)
    elif args.format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["id", "name", "role", "email", "active"])
        for p in people:
            writer.writerow([p.id, safe_cell(p.name), safe_cell(p.role), safe_cell(p.email),
                             "yes" if p.active else "no"])
        emit(out.getvalue(), None)
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        # Text, not str: Rich would read a name like "[/b]" as markup.
        table = Table("#", "Name", "Role", "Email", "Active",
                      title=Text(team.name, style="table.title"))
        for p in people:
            table.add_row(str(p.id), Text(p.name), Text(p.role), Text(p.email),
                          "yes" if p.active else "no (removed)")
        if not people:
            table.caption = "No one yet: mhtui staff add NAME"
        Console().print(table)
    return 0


def _person(db: Database, person_id: int) -> Person:
    person = staff.get(db, person_id)
    if person is None:
        raise CommandError(f"No person #{person_id}. `mhtui staff list` shows the numbers.",
                           code=2)
    return person


def cmd_add(args: argparse.Namespace, db: Database) -> int:
    team = pick_team(db, args.team)
    try:
        person = staff.add(db, team.id, args.name, args.role or "", args.email or "")
    except staff.StaffError as exc:
        raise CommandError(f"{exc} Nothing was added.", code=2) from exc
    print(f"added #{person.id} {person.name} to {team.name}")
    return 0


def cmd_edit(args: argparse.Namespace, db: Database) -> int:
    person = _person(db, args.id)
    active = True if args.active else None
    if all(v is None for v in (args.name, args.role, args.email, active)):
        raise CommandError("Nothing to change: give --name, --role, --email or --active.",
                           code=2)
    try:
        saved = staff.edit(db, person.id, person.version, name=args.name, role=args.role,
                           email=args.email, active=active)
    except staff.StaffError as exc:
        raise CommandError(f"{exc} Nothing was changed.", code=2) from exc
    print(f"saved #{saved.id} {saved.name}" + ("" if saved.active else " (inactive)"))
    return 0


def cmd_remove(args: argparse.Namespace, db: Database) -> int:
    person = _person(db, args.id)
    if not person.active:
        print(f"#{person.id} {person.name} was already inactive")
        return 0
    staff.edit(db, person.id, person.version, active=False)
    print(f"deactivated #{person.id} {person.name}: no more invitations; past minutes "
          f"keep the name (`mhtui staff edit {person.id} --active` brings them back)")
    return 0


def cmd_teams_list(args: argparse.Namespace, db: Database) -> int:
    active = teams.active_team(db, SystemClock())
    for team in teams.list_teams(db):
        print(("* " if team.id == active.id else "  ") + team.name)
    return 0


def cmd_teams_add(args: argparse.Namespace, db: Database) -> int:
    try:
        team = teams.create_team(db, args.name, SystemClock())
    except teams.TeamNameError as exc:
        raise CommandError(f"{exc} Nothing was added.", code=2) from exc
    print(f"added team {team.name} with the default agenda and catalogue")
    return 0


def cmd_teams_rename(args: argparse.Namespace, db: Database) -> int:
    team = pick_team(db, args.old)
    try:
        saved = staff.rename_team(db, team.id, team.version, args.new)
    except teams.TeamNameError as exc:
        raise CommandError(f"{exc} Nothing was changed.", code=2) from exc
    print(f"renamed {team.name} to {saved.name}")
    return 0
