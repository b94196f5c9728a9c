"""What `mhtui meetings list` and `mhtui export meeting` do (no textual)."""

from __future__ import annotations

import argparse

from mhtui.cli.common import CommandError, emit, pick_team
from mhtui.core.clock import SystemClock
from mhtui.core.minutes import over_text
from mhtui.core.wording import clock_text, is_whole_number
from mhtui.store.checkins import checkins, minutes_doc
from mhtui.store.database.db import Database


def cmd_list(args: argparse.Namespace, db: Database) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    team = pick_team(db, args.team)
    assert team.id is not None
    # The title as Text: Rich would read the team's name as markup.
    table = Table("#", "Held", "State", "Planned", "Actual", "",
                  title=Text(team.name, style="table.title"))
    for row in checkins.summaries(db, team.id, SystemClock().now()):
        meeting = row.meeting
        table.add_row(str(meeting.id), f"{meeting.scheduled_at.astimezone():%Y-%m-%d %H:%M}",
                      meeting.state, clock_text(row.planned), clock_text(row.spent),
                      over_text(row.planned, row.spent))
    Console().print(table)
    return 0


def cmd_export(args: argparse.Namespace, db: Database) -> int:
    if args.id == "latest":
        team = pick_team(db, args.team)
        assert team.id is not None
        meeting = checkins.latest(db, team.id)
        if meeting is None or meeting.id is None:
            raise CommandError(f"Team {team.name!r} has no check-ins yet.")
        meeting_id = meeting.id
    elif is_whole_number(args.id):
        meeting_id = int(args.id)
    else:
        raise CommandError(f"{args.id!r} is not a check-in number (or 'latest').", code=2)
    try:
        text = minutes_doc.minutes_text(db, meeting_id, SystemClock().now(), args.format)
    except LookupError as exc:
        raise CommandError(str(exc)) from exc
    emit(text, args.out, force=args.force)
    return 0
