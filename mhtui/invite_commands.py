"""What `mhtui invite` does: the emails and the calendar file, written where it says."""

from __future__ import annotations

import argparse
from pathlib import Path

from mhtui.actions_commands import CommandError, pick_team, run_with_db
from mhtui.core.clock import SystemClock
from mhtui.paths import data_dir, write_private
from mhtui.store import invites
from mhtui.store.db import Database
from mhtui.store.target import Target


def write_files(invitation: invites.Invitation, folder: Path) -> list[Path]:
    written = [write_private(folder / "checkins.ics", invitation.ics)]
    for name, text in invitation.emails.items():
        written.append(write_private(
            folder / f"invitation-{invites.slug(name) if name else 'everyone'}.txt", text))
    return written


def default_folder(team_name: str) -> Path:
    return data_dir() / "exports" / "invitations" / invites.slug(team_name)


def cmd_invite(args: argparse.Namespace, db: Database) -> int:
    team = pick_team(db, args.team)
    assert team.id is not None
    try:
        invitation = invites.build(db, team.id, SystemClock().now())
    except invites.ScheduleError as exc:
        raise CommandError(str(exc)) from exc
    folder = Path(args.out).expanduser() if args.out else default_folder(team.name)
    for path in write_files(invitation, folder):
        print(f"wrote {path}")
    return 0


def run(args: argparse.Namespace, target: Target) -> int:
    return run_with_db({"invite": cmd_invite}, "invite", args, target)
