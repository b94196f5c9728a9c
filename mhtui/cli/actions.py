"""What `mhtui actions ...`, `mhtui export actions` and `mhtui import actions` do.

No textual here: these run from scripts and cron jobs, and print plain text or Rich.
Imported only when one of these commands runs, so `mhtui --help` stays light.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import date
from pathlib import Path

from mhtui.cli.action_rows import DEFAULT_LIMIT, as_json, print_table
from mhtui.cli.common import CommandError, emit, pick_team, read_text_file
from mhtui.core.action_views import Sort, View
from mhtui.core.clock import SystemClock, local_today
from mhtui.core.csv_actions import read_csv, write_csv
from mhtui.core.statuses import parse_status
from mhtui.store.actions import action_io, action_list, actions
from mhtui.store.actions.actions import ActionItem
from mhtui.store.database.db import Database


def _render(rows: list[ActionItem], fmt: str, out: str | None, db: Database) -> None:
    if fmt == "csv":
        emit(write_csv((a.id, action_io.as_row(a)) for a in rows), out)
    elif fmt == "json":
        plans = action_io.plan_tasks(db, (a.shift_plan_id for a in rows
                                          if a.shift_plan_id is not None))
        emit(json.dumps([as_json(a, plans) for a in rows], indent=2, ensure_ascii=False) + "\n",
             out)


def cmd_list(args: argparse.Namespace, db: Database) -> int:
    status = parse_status(args.status) if args.status else None
    if getattr(args, "all_teams", False):
        if args.team is not None:
            raise CommandError("--all-teams lists every team: leave out --team.", code=2)
        from mhtui.cli import all_teams  # its district reads load only for --all-teams

        return all_teams.list_actions(args, db, status)
    team = pick_team(db, args.team)
    assert team.id is not None
    query = action_list.Query(team_id=team.id, view=View.OVERDUE if args.overdue else View.ALL,
                              sort=Sort.DUE, owner=args.owner or "", status=status)
    today = local_today(SystemClock())
    if args.format != "table":
        _render(action_list.matching(db, query, today), args.format, None, db)
        return 0
    limit = getattr(args, "limit", DEFAULT_LIMIT)
    if limit < 0:
        raise CommandError("--limit takes a number of rows: 0 or more (0 lists them all).",
                           code=2)
    try:
        _print_table(db, query, today, limit or None)
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _print_table(db: Database, query: action_list.Query, today: date,
                 limit: int | None) -> None:
    """The rows as a table that fits the terminal, printed as they are read: every
    column kept, long text wrapped at spaces, nothing cut; after ``limit`` rows, how
    many more there are."""
    total, top = action_list.count_matching(db, query, today)
    rows = ((None, a) for a in action_list.each_matching(db, query, today, limit))
    print_table(rows, total, top, today)


def cmd_set(args: argparse.Namespace, db: Database) -> int:
    status = parse_status(args.status)
    action = actions.get(db, args.id)
    if action is None or action.deleted_at is not None or action.id is None:
        raise CommandError(f"No action #{args.id}.")
    saved = actions.set_status(db, action.id, action.version, status, SystemClock())
    print(f"#{saved.id} {saved.text[:60]!r}: {status.symbol} {status.value}")
    return 0


def cmd_import(args: argparse.Namespace, db: Database) -> int:
    team = pick_team(db, args.team)
    assert team.id is not None
    path = Path(args.file)
    text, encoding = read_text_file(path)
    clock = SystemClock()
    report = read_csv(text, local_today(clock), day_first=args.day_first)
    if report.unused:  # notes on actions come later; said, never dropped unseen
        print(f"{path}: columns not used: {', '.join(map(repr, report.unused))}, not "
              "imported (mhtui has no place for them); the rest is read.", file=sys.stderr)
    if encoding != "UTF-8":
        # "Nguy?n": the spreadsheet's own loss; looked for below the header, whose names
        # are matched by name and may end in a real "?" (the export's "Who is responsible?")
        body = text.split("\n", 1)[1] if "\n" in text else ""
        lost = re.search(r"\w*\w\?\w*|\?\w+", body)
        print(f"{path}: read as {encoding} text (not UTF-8)"
              + (f"; letters it cannot hold were saved as '?' ({lost.group()!r}): save as "
                 "'CSV UTF-8' to keep them" if lost else "") + ".", file=sys.stderr)
    if not report.ok:
        print(f"{path}: {report.error_count} bad row(s); nothing was imported.", file=sys.stderr)
        for line, reason in report.errors:
            print(f"  line {line}: {reason}", file=sys.stderr)
        if report.error_count > len(report.errors):
            print(f"  … and {report.error_count - len(report.errors)} more", file=sys.stderr)
        return 1
    result = action_io.import_rows(db, team.id, (row for _, row in report.rows), clock,
                                   dry_run=args.dry_run, columns=report.columns,
                                   encoding=encoding)
    verb = "would import" if args.dry_run else "imported"
    print(f"{path}: {verb} {result.added} action(s) into {team.name!r}; "
          f"{result.already_there} already there.")
    if result.updated or result.unchanged or result.conflicts:
        print(f"{path}: {'would update' if args.dry_run else 'updated'} {result.updated} "
              f"action(s) by ID; {result.unchanged} unchanged; "
              f"{len(result.conflicts)} conflict(s).")
    if result.kept:
        print(f"{path}: kept as in mhtui: {_numbers(result.kept)} (their text or owner "
              f"differs only by letters {encoding} cannot hold, saved as '?').")
    if result.missing:
        print(f"{path}: not in the file: {_numbers(result.missing)}; nothing deleted.")
    for refused in result.conflicts:
        print(f"  conflict {refused}", file=sys.stderr)
    return 1 if result.conflicts else 0


def _numbers(ids: list[int], shown: int = 20) -> str:
    """#12, #14, ... and how many more: a report stays a few lines at 100,000 actions."""
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(f"#{n}" for n in ids[:shown]) + more
