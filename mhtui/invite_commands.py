"""What `mhtui invite` does: the emails and the calendar file, written where it says."""

from __future__ import annotations

import argparse
from pathlib import Path

from mhtui.actions_commands import CommandError, pick_team, run_with_db
from mhtui.atomic import WriteFailed, check_target, reason, shown
from mhtui.core.clock import SystemClock
from mhtui.paths import ensure_private_dir, exports_dir, write_private
from mhtui.store import invites
from mhtui.store.db import Database
from mhtui.store.target import Target


def write_files(invitation: invites.Invitation, folder: Path) -> list[Path]:
    """Each file whole and 0600 (atomic.py); WriteFailed, one line, at the first failure."""
    written = [write_private(folder / "checkins.ics", invitation.ics)]
    for name, text in invitation.emails.items():
        written.append(write_private(
            folder / f"invitation-{invites.slug(name) if name else 'everyone'}.txt", text))
    return written


def default_folder(team_name: str) -> Path:
    """exports/invitations/<team> in the data folder, made (or tightened) 0700."""
    return ensure_private_dir(exports_dir() / "invitations" / invites.slug(team_name),
                              tighten=True)


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
    for path in write_files(invitation, folder):
        print(f"wrote {path}")
    return 0


def run(args: argparse.Namespace, target: Target) -> int:
    return run_with_db({"invite": cmd_invite}, "invite", args, target)
