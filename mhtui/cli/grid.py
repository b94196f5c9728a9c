"""What `mhtui export grid` and `mhtui import grid` do (no textual)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mhtui.cli.common import CommandError, emit, pick_team, read_text_file
from mhtui.core.csv_grid import read_csv, write_csv, write_markdown
from mhtui.store.database.db import Database
from mhtui.store.grid import grid_io


def cmd_export(args: argparse.Namespace, db: Database) -> int:
    team = pick_team(db, args.team)
    assert team.id is not None
    doc = grid_io.document(db, team.id)
    emit(write_csv(doc) if args.format == "csv" else write_markdown(doc), args.out,
         force=args.force)
    return 0


def cmd_import(args: argparse.Namespace, db: Database) -> int:
    team = pick_team(db, args.team)
    assert team.id is not None
    path = Path(args.file)
    doc, errors = read_csv(read_text_file(path)[0])
    if errors:
        print(f"{path}: {len(errors)} problem(s); nothing was imported.", file=sys.stderr)
        for line, reason in errors[:200]:
            print(f"  line {line}: {reason}", file=sys.stderr)
        return 1
    try:
        change = grid_io.replace(db, team.id, doc, drop_plans=args.drop_plans,
                                 dry_run=args.dry_run)
    except grid_io.PlansAtStake as refused:
        raise CommandError(f"{path}: {refused}. Nothing was imported; add --drop-plans to "
                           "remove them with their plans.", code=2) from refused
    roles, tasks = len(doc.roles), sum(len(t) for _, t in doc.categories)
    if not change.changed:
        print(f"{path}: {team.name!r}'s grid is already as in the file ({roles} roles, "
              f"{tasks} tasks); nothing changed.")
        return 0
    verb = "would now have" if args.dry_run else "now has"
    print(f"{path}: {team.name!r}'s grid {verb} {roles} roles and {tasks} tasks.")
    if change.dropped:
        print(f"{path}: {'would remove' if args.dry_run else 'removed'} "
              + "; ".join(map(str, change.dropped)) + " with the shift plan; the actions "
              "made from it are kept, unlinked.")
    return 0
