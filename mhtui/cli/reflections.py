"""What `mhtui export reflections`, `export reflection` and `import reflections` do."""

from __future__ import annotations

import argparse
from pathlib import Path

from mhtui.atomic import shown
from mhtui.cli.common import CommandError, emit, pick_team, run_with_db
from mhtui.core.clock import SystemClock
from mhtui.core.dates import DateError, parse_calendar_date
from mhtui.store import reflection_io
from mhtui.store.db import Database
from mhtui.store.reflection_io import ReflectionFileError
from mhtui.store.target import Target


def cmd_export_all(args: argparse.Namespace, db: Database) -> int:
    team = pick_team(db, args.team)
    assert team.id is not None
    try:
        since = parse_calendar_date(args.since) if args.since else None
    except DateError as exc:
        raise CommandError(f"--since: {exc}", code=2) from exc
    items = reflection_io.submitted(db, team.id, since)
    text = (reflection_io.to_csv(items) if args.format == "csv"
            else reflection_io.to_markdown(team.name, items))
    emit(text, args.out)
    return 0


def cmd_export_one(args: argparse.Namespace, db: Database) -> int:
    try:
        text = reflection_io.export_json(db, args.id)
    except (LookupError, ReflectionFileError) as exc:
        raise CommandError(str(exc).strip("'\"")) from exc
    emit(text, args.out)
    return 0


def cmd_import(args: argparse.Namespace, db: Database) -> int:
    team = pick_team(db, args.team)
    assert team.id is not None
    parsed = []
    for name in args.files:  # every file checked whole before anything is written
        path = Path(name)
        try:
            parsed.append(reflection_io.read(path))
        except OSError as exc:
            raise CommandError(f"{shown(path)}: cannot be read ({exc.strerror}); nothing was "
                               "imported.", code=2) from exc
        except ReflectionFileError as exc:
            raise CommandError(f"{shown(path)}: {str(exc).rstrip('.')}; nothing was "
                               "imported.") from exc
    added = reflection_io.import_all(db, team.id, parsed, SystemClock())
    print(f"imported {added} reflection(s) into {team.name!r}; "
          f"{len(parsed) - added} already there.")
    return 0


def run(handler: str, args: argparse.Namespace, target: Target) -> int:
    return run_with_db({"export_all": cmd_export_all, "export_one": cmd_export_one,
                        "import": cmd_import}, handler, args, target)
