"""`mhtui actions list --all-teams`: every school's actions, with a School column.

Schools in name order, each one's actions in due order (undated last), read a batch at a
time and printed as they are read, as `actions list` does for one team. The teams are
those the database lets this login read (on a district server, the server decides).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Iterator
from datetime import date

from mhtui.cli.action_rows import DEFAULT_LIMIT, as_json, print_table
from mhtui.cli.common import CommandError
from mhtui.core.action_views import Sort, View
from mhtui.core.clock import SystemClock, local_today
from mhtui.core.csv_actions import HEADERS, ID, csv_cells, safe_cell
from mhtui.core.statuses import Status
from mhtui.store.actions import action_io, action_list
from mhtui.store.actions.actions import ActionItem
from mhtui.store.database.db import Database
from mhtui.store.district import district

SCHOOL = "School"


def _queries(args: argparse.Namespace, db: Database,
             status: Status | None) -> list[tuple[str, action_list.Query]]:
    view = View.OVERDUE if args.overdue else View.ALL
    return [(school.name, action_list.Query(team_id=school.id, view=view, sort=Sort.DUE,
                                            owner=args.owner or "", status=status))
            for school in district.schools(db)]


def _rows(db: Database, queries: list[tuple[str, action_list.Query]], today: date,
          limit: int | None = None) -> Iterator[tuple[str, ActionItem]]:
    left = limit
    for school, query in queries:
        if left is not None and left <= 0:
            return
        for action in action_list.each_matching(db, query, today, left):
            yield school, action
            if left is not None:
                left -= 1


def list_actions(args: argparse.Namespace, db: Database, status: Status | None) -> int:
    queries = _queries(args, db, status)
    today = local_today(SystemClock())
    try:
        if args.format == "csv":
            writer = csv.writer(sys.stdout, lineterminator="\r\n")
            writer.writerow([SCHOOL, *HEADERS, ID])
            for school, a in _rows(db, queries, today):
                writer.writerow([safe_cell(school), *csv_cells(action_io.as_row(a)),
                                 str(a.id)])
        elif args.format == "json":
            _print_json(db, queries, today)
        else:
            limit = getattr(args, "limit", DEFAULT_LIMIT)
            if limit < 0:
                raise CommandError("--limit takes a number of rows: 0 or more (0 lists them "
                                   "all).", code=2)
            _print_table(db, queries, today, limit or None)
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _print_json(db: Database, queries: list[tuple[str, action_list.Query]],
                today: date) -> None:
    """A JSON array, one action per line, written as the rows are read."""
    write = sys.stdout.write
    write("[")
    first = True
    for school, query in queries:
        rows = list(action_list.each_matching(db, query, today))
        plans = action_io.plan_tasks(db, (a.shift_plan_id for a in rows
                                          if a.shift_plan_id is not None))
        for action in rows:
            record = {"school": school, **as_json(action, plans)}
            write(("\n  " if first else ",\n  ") + json.dumps(record, ensure_ascii=False))
            first = False
    write("]\n" if first else "\n]\n")


def _print_table(db: Database, queries: list[tuple[str, action_list.Query]], today: date,
                 limit: int | None) -> None:
    """As `actions list` prints one team's, with the school first."""
    from mhtui.cli import table

    counts = [action_list.count_matching(db, q, today) for _, q in queries]
    total = sum(n for n, _ in counts)
    top = max((t for _, t in counts), default=0)
    longest = max((table.cells(s) for s, _ in queries), default=6)
    print_table(_rows(db, queries, today, limit), total, top, today,
                school=(SCHOOL, min(longest, 24)))
