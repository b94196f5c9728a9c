"""What `mhtui export reflections`, `export reflection` and `import reflections` do."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from mhtui.atomic import shown, write_file
from mhtui.cli.common import CommandError, emit, pick_team
from mhtui.core.clock import SystemClock
from mhtui.core.dates import DateError, parse_calendar_date
from mhtui.store.database.db import Database
from mhtui.store.reflections import reflection_edit, reflection_io
from mhtui.store.reflections.reflection_io import ReflectionFileError
from mhtui.store.teams import teams


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
    emit(text, args.out, force=args.force)
    return 0


def cmd_export_one(args: argparse.Namespace, db: Database) -> int:
    """To the current folder or --out (a folder, or a file), named by date and role and
    never over another file; --out - prints it."""
    try:
        text = reflection_io.export_json(db, args.id)
        reflection, _ = reflection_edit.load(db, args.id)
    except (LookupError, ReflectionFileError) as exc:
        raise CommandError(str(exc).strip("'\"")) from exc
    if args.out == "-":
        emit(text, None)
        return 0
    folder = Path(args.out) if args.out else Path.cwd()
    if args.out and not folder.is_dir():  # a file named by hand: over one only with --force
        path = write_file(Path(args.out), text, exclusive=not args.force)
    else:
        path = write_file(reflection_io.free_path(folder, reflection_io.file_name(reflection)),
                          text, exclusive=True)
    mail = f" {reflection_io.MAILED}" if reflection.author_name is None else ""
    print(f"wrote {path} (revision {reflection.revision}); send it to the facilitator, who "
          f"imports it with `mhtui import reflections FILE` or i in the app's reflections."
          f"{mail}", file=sys.stderr)
    return 0


def cmd_export_trend(args: argparse.Namespace, db: Database) -> int:
    from mhtui.core import trend as trend_text
    from mhtui.store.reflections import trend

    team = pick_team(db, args.team)
    assert team.id is not None
    points = trend.build(db, team.id)
    text = (trend_text.to_csv(points) if args.format == "csv"
            else trend_text.to_json(team.name, points) if args.format == "json"
            else trend_text.to_markdown(team.name, points))
    emit(text, args.out, force=args.force)
    return 0


def cmd_import(args: argparse.Namespace, db: Database) -> int:
    team = pick_team(db, args.into_team or args.team)
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
    others = [] if args.into_team else reflection_io.written_for_another(parsed, team.name)
    if others:  # a file never joins another school's team unasked
        school = parsed[others[0]].school
        named = ", ".join(shown(Path(args.files[i])) for i in others[:3])
        more = f" (and {len(others) - 3} more)" if len(others) > 3 else ""
        there = (f"into {school!r} with --team {shlex.quote(school)}"
                 if teams.find_team(db, school) else f"into a team {school!r} made first "
                 f"with `mhtui teams add {shlex.quote(school)}`")
        raise CommandError(
            f"{named}{more}: written for the team {school!r}, not {team.name!r}; nothing was "
            f"imported. Import it {there}, or into {team.name!r} with --into-team "
            f"{shlex.quote(team.name)}.", code=2)
    done = reflection_io.import_all(db, team.id, parsed, SystemClock())
    print(f"{done.words()}.")
    return 0
