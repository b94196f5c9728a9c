"""What `mhtui invite` does: the emails and the calendar file, written where it says."""

from __future__ import annotations

import argparse
from pathlib import Path

from mhtui.atomic import WriteFailed, check_target, reason, shown
from mhtui.cli.common import CommandError, pick_team
from mhtui.core.clock import SystemClock
from mhtui.store.checkins import invites
from mhtui.store.checkins.invite_files import default_folder, write_files
from mhtui.store.database.db import Database


def chosen_folder(out: str) -> Path:
    """--out DIR: made 0700 if missing, when the folder it goes in exists."""
    folder = Path(out).expanduser()
    if not folder.is_dir():
        check_target(folder)  # not a link, a file or a device; its parent must exist
        try:
            folder.mkdir(mode=0o700)
            folder.chmod(0o700)
        except OSError as exc:
            raise WriteFailed(f"Could not make the folder {shown(folder)}: {reason(exc)}. "
                              "Nothing was written.") from exc
    return folder


def cmd_invite(args: argparse.Namespace, db: Database) -> int:
    team = pick_team(db, args.team)
    assert team.id is not None
    try:
        invitation = invites.build(db, team.id, SystemClock().now())
    except invites.ScheduleError as exc:
        raise CommandError(str(exc)) from exc
    folder = chosen_folder(args.out) if args.out else default_folder(team.name)
    for path in write_files(invitation, folder, exclusive=not args.force):
        print(f"wrote {path}")
    return 0
