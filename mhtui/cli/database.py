"""What `mhtui info`, `backup`, `restore`, `db current` and `db upgrade` do: the database
as a whole, and its schema's revision (Alembic).

`db current` and `db upgrade` skip the check every other command makes first
(opening.prepare), so they work on an empty or older server database: `db upgrade` is
how its owner makes or upgrades the schema, which the app itself never does on a server.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from mhtui.core.clock import SystemClock
from mhtui.store.database import access, backups, opening, schema
from mhtui.store.database.dbfile import DatabaseProblem
from mhtui.store.database.target import Target
from mhtui.store.teams import teams


def cmd_info(args: argparse.Namespace, target: Target) -> int:
    db = opening.connect(target)
    try:
        active = teams.active_team(db, SystemClock())
        names = [t.name for t in teams.list_teams(db)]
        who = access.whoami(db)  # None on SQLite: no logins there
    finally:
        db.close()
    # Plain print: Rich would read a team called "[/b]" as markup, and fail on it.
    print(f"database: {target.label}")
    if who is not None:
        print(f"signed in as: {who}")
    print(f"schema version: {schema.current(target.url)}")
    print(f"teams: {', '.join(names)}")
    print(f"active team: {active.name}")
    return 0


def _file_of(target: Target) -> Path:
    """The SQLite file, checked (and upgraded, said) as every other command has it."""
    from mhtui.cli import _prepare

    if target.path is None:
        raise DatabaseProblem(f"{target.label} is not an SQLite file; backups need one.")
    _prepare(target, False, thorough=True)
    return target.path


def cmd_backup(args: argparse.Namespace, target: Target) -> int:
    out = Path(args.out).expanduser() if args.out else None
    if target.path is None and target.given is not None:  # a server: pg_dump, if there
        path = backups.dump_server(target.url, target.label, out, datetime.now())
        print(f"backed up {target.label} to {path} (pg_dump's custom format; "
              "`mhtui restore` puts it into an empty database)")
        return 0
    # A new file only: an existing name, a link (even a dangling one) or a folder is
    # refused, and the copy is whole or not there at all (atomic.py).
    path = backups.backup_now(_file_of(target), out, datetime.now())
    print(f"backed up {target.label} to {path}")
    return 0


def cmd_restore(args: argparse.Namespace, target: Target) -> int:
    if target.path is None and target.given is not None:  # a server: pg_restore, if there
        backups.restore_server(target.url, target.label, Path(args.file).expanduser())
        print(f"restored {args.file} into {target.label}")
        return 0
    saved = backups.restore(_file_of(target), Path(args.file).expanduser(), datetime.now())
    print(f"restored {args.file} into {target.label}; the database as it was is kept at "
          f"{saved}")
    return 0


def cmd_current(args: argparse.Namespace, target: Target) -> int:
    found = schema.current(target.url)
    newest = schema.head()
    file = target.path is not None
    how = ("`mhtui db upgrade` (or opening it) upgrades it, after a backup" if file
           else "run `mhtui --db URL db upgrade` as the schema's owner")
    if found is None:
        said = f"no mhtui tables yet; {how}"
    elif found == newest:
        said = f"revision {found}, the newest this mhtui knows"
    elif not found.isdigit() or int(found) > int(newest):
        said = f"revision {found}, newer than this mhtui knows ({newest}): upgrade mhtui"
    else:
        said = f"revision {found}; this mhtui's newest is {newest}: {how}"
    print(f"{target.label}: {said}.")
    return 0


def cmd_upgrade(args: argparse.Namespace, target: Target) -> int:
    done = opening.upgrade_schema(target)
    if done.before == done.after:
        print(f"{target.label} is already at revision {done.after}, the newest; nothing to "
              "do.")
    else:
        before = f"revision {done.before}" if done.before else "an empty database"
        print(f"upgraded {target.label} from {before} to revision {done.after}.")
    if done.backup is not None:
        print(f"the database as it was is kept at {done.backup}")
    return 0


def run(handler: str, args: argparse.Namespace, target: Target) -> int:
    commands = {"info": cmd_info, "backup": cmd_backup, "restore": cmd_restore,
                "current": cmd_current, "upgrade": cmd_upgrade}
    return commands[handler](args, target)
