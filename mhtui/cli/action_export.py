"""`mhtui export actions`: from an SQLite file through the standard library alone
(store/actions/export_fast.py), so the command does not wait for SQLAlchemy and SQLModel to
load; a server's database, or a team this path cannot find, through the ORM, which
writes the same bytes or says what is wrong.
"""

from __future__ import annotations

import argparse
import io
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from mhtui.store.database.target import Target

if TYPE_CHECKING:
    from mhtui.store.database.db import Database


def run(handler: str, args: argparse.Namespace, target: Target) -> int:
    assert handler == "export"
    path = target.path
    if path is not None and path.is_file():
        from mhtui.store.actions import export_fast

        try:
            team = export_fast.team_id(path, args.team)
        except sqlite3.DatabaseError:
            team = None  # the ORM's path says what is wrong with the file
        if team is not None:
            found = team
            write = export_fast.write_csv if args.format == "csv" else export_fast.write_json
            return written(args, lambda out: write(path, found, out))
    from mhtui.cli.common import run_with_db

    return run_with_db(_through_the_orm, args, target)


def _through_the_orm(args: argparse.Namespace, db: Database) -> int:
    from mhtui.cli.common import pick_team
    from mhtui.core.csv_actions import stream_csv, stream_json
    from mhtui.store.actions import action_io

    team = pick_team(db, args.team)
    assert team.id is not None
    write = stream_csv if args.format == "csv" else stream_json
    rows = action_io.export_rows(db, team.id)
    return written(args, lambda out: write(rows, out))


def written(args: argparse.Namespace, write: Callable[[TextIO], int]) -> int:
    """To the file, whole or not at all, or to stdout (a closed pipe is no error)."""
    from mhtui.atomic import streamed

    if args.out:
        with streamed(Path(args.out), exclusive=not args.force) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
            count = write(text)
            text.flush()
            text.detach()
        print(f"wrote {args.out} ({count:,} action(s))", file=sys.stderr)
        return 0
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(newline="")  # the CSV's own CRLF, untouched
    try:
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
