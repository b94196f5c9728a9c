"""What `mhtui db current` and `mhtui db upgrade` do: the schema's revision (Alembic).

Neither goes through the check every other command makes first (opening.prepare), so
they work on an empty or older server database: `db upgrade` is how its owner makes or
upgrades the schema, which the app itself never does on a server.
"""

from __future__ import annotations

import argparse

from mhtui.store.database import opening, schema
from mhtui.store.database.target import Target


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
    commands = {"current": cmd_current, "upgrade": cmd_upgrade}
    return commands[handler](args, target)
