"""What `mhtui export grid` and `mhtui import grid` do (no textual)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mhtui.cli.common import (
    emit,
    pick_team,
    read_text_file,
    run_with_db,
)
from mhtui.core.csv_grid import read_csv, write_csv, write_markdown
from mhtui.store import grid_io
from mhtui.store.db import Database
from mhtui.store.target import Target


def cmd_export(args: argparse.Namespace, db: Database) -> int:
    team = pick_team(db, args.team)
    assert team.id is not None
    doc = grid_io.document(db, team.id)
    emit(write_csv(doc) if args.format == "csv" else write_markdown(doc), args.out)
    return 0


def cmd_import(args: argparse.Namespace, db: Database) -> int:
    team = pick_team(db, args.team)
    assert team.id is not None
    path = Path(args.file)
    doc, errors = read_csv(read_text_file(path))
    if errors:
        print(f"{path}: {len(errors)} problem(s); nothing was imported.", file=sys.stderr)
        for line, reason in errors[:200]:
            print(f"  line {line}: {reason}", file=sys.stderr)
        return 1
    if args.dry_run:
        tasks = sum(len(t) for _, t in doc.categories)
        print(f"{path}: would replace {team.name!r}'s grid with {len(doc.roles)} roles and "
              f"{tasks} tasks.")
        return 0
    grid_io.replace(db, team.id, doc)
    print(f"{path}: {team.name!r}'s grid now has {len(doc.roles)} roles and "
          f"{sum(len(t) for _, t in doc.categories)} tasks.")
    return 0


def run(handler: str, args: argparse.Namespace, target: Target) -> int:
    return run_with_db({"export": cmd_export, "import": cmd_import}, handler, args, target)
