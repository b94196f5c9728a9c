"""What `mhtui export district` does: every school's figures over a period, and the
barriers that recur across schools, as CSV, JSON or Markdown (no textual)."""

from __future__ import annotations

import argparse

from mhtui.cli.common import CommandError, emit
from mhtui.core import district as district_text
from mhtui.core.clock import SystemClock, local_today
from mhtui.store.database.db import Database
from mhtui.store.district import district


def cmd_export(args: argparse.Namespace, db: Database) -> int:
    if args.days < 1:
        raise CommandError("--days takes a number of days: 1 or more.", code=2)
    view = district.build(db, local_today(SystemClock()), args.days)
    text = (district_text.to_csv(view) if args.format == "csv"
            else district_text.to_json(view) if args.format == "json"
            else district_text.to_markdown(view))
    emit(text, args.out, force=args.force)
    return 0
