"""What `mhtui admin grant|revoke|list` do: who may see which team on a district server.

Run by the schema's owner; the work is in mhtui/store/database/access.py. On an SQLite file they
say in one line that access there is whoever can read the file, and exit 2.
"""

from __future__ import annotations

import argparse
import sys

from mhtui.store.database import access, opening
from mhtui.store.database.db import Database
from mhtui.store.database.dbfile import StorageProblem
from mhtui.store.database.target import Target


def _grant(args: argparse.Namespace, db: Database) -> int:
    print(access.grant(db, args.login, args.kind, args.team))
    return 0


def _revoke(args: argparse.Namespace, db: Database) -> int:
    print(access.revoke(db, args.login, args.team))
    return 0


def _list(args: argparse.Namespace, db: Database) -> int:
    rows = [(g.login, g.kind, g.team if g.team is not None else "every team")
            for g in access.grants(db)]
    if not rows:
        print("No login has been granted access yet: mhtui admin grant LOGIN --as KIND.")
        return 0
    wide = max(len(r[0]) for r in rows)
    for login, kind, team in rows:  # plain print: a team called "[/b]" is not markup
        print(f"{login:<{wide}}  {kind:<11}  {team}")
    return 0


def run(handler: str, args: argparse.Namespace, target: Target) -> int:
    commands = {"grant": _grant, "revoke": _revoke, "list": _list}
    if target.path is not None:
        print(f"mhtui: {access.SQLITE_LINE}", file=sys.stderr)
        return 2
    db = opening.connect(target)
    try:
        return commands[handler](args, db)
    except (access.AccessError, StorageProblem) as exc:
        print(f"mhtui: {exc}", file=sys.stderr)
        return exc.code if isinstance(exc, access.AccessError) else 1
    finally:
        db.close()
