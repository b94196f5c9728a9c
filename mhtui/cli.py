"""The `mhtui` command. Textual and the ORM are imported only on the paths that need
them, so `mhtui --help` and the scripting commands start fast."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from mhtui import __version__
from mhtui.store.dbfile import DatabaseProblem
from mhtui.store.target import Target, resolve

Handler = Callable[[argparse.Namespace, Target], int]

DESCRIPTION = """\
Run the regular check-ins between school leadership and mental health staff: an
agenda timer, an action tracker, a staff reflection form and a role-capability grid.
With no command, opens the app."""

EPILOG = """\
Where the data lives: by default one SQLite file in your user data folder
(see `mhtui info`). --db or the MHTUI_DB environment variable choose another file or
any SQLAlchemy URL. --demo uses a separate demo database and never touches yours."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mhtui", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", metavar="PATH|URL",
                        help="database file or SQLAlchemy URL (default: $MHTUI_DB, "
                             "then your user data folder)")
    parser.add_argument("--demo", action="store_true",
                        help="use the demo database (made fresh when the app opens)")
    parser.add_argument("--version", action="version", version=f"mhtui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    info = commands.add_parser("info", help="show which database is used and what it holds")
    info.set_defaults(handler=cmd_info)
    backup = commands.add_parser("backup", help="a consistent copy of the database, now")
    backup.add_argument("--out", metavar="FILE", help="where (default: the backups folder "
                                                        "next to the database)")
    backup.set_defaults(handler=cmd_backup)
    restore = commands.add_parser("restore", help="replace the database with a backup "
                                                  "(the current one is backed up first)")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(handler=cmd_restore)
    invite = commands.add_parser("invite", help="the invitation emails and calendar file")
    invite.add_argument("--team", help="team name (default: the active team)")
    invite.add_argument("--out", metavar="DIR", help="folder for the files (default: "
                                                     "exports/invitations in your data folder)")
    invite.set_defaults(handler=_invite)
    export = commands.add_parser("export", help="write data out as CSV, JSON or Markdown")
    exports = export.add_subparsers(dest="what", metavar="WHAT", required=True)
    importer = commands.add_parser("import", help="read data in from files")
    imports = importer.add_subparsers(dest="what", metavar="WHAT", required=True)

    from mhtui import cli_actions

    cli_actions.add_parsers(commands, exports, imports)
    cli_actions.add_meeting_parsers(commands, exports)
    cli_actions.add_reflection_parsers(exports, imports)
    cli_actions.add_grid_parsers(exports, imports)
    return parser


def _demo_reset(target: Target) -> None:
    """The app on --demo always starts from fresh example data."""
    assert target.path is not None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target.path}{suffix}").unlink(missing_ok=True)


def _prepare(target: Target, demo: bool, *, thorough: bool) -> None:
    from mhtui.store import opening

    fresh_demo = demo and (target.path is None or not target.path.exists())
    backup = opening.prepare(target, thorough=thorough)
    if backup is not None:
        print(f"mhtui: upgraded {target.label}; the old version is kept at {backup}",
              file=sys.stderr)
    if fresh_demo:
        from mhtui.core.clock import SystemClock
        from mhtui.store import demo as demo_data

        db = opening.connect(target)
        try:
            demo_data.build(db, SystemClock())
        finally:
            db.close()


def cmd_info(args: argparse.Namespace, target: Target) -> int:
    from mhtui.core.clock import SystemClock
    from mhtui.store import migrate, opening, teams

    db = opening.connect(target)
    try:
        active = teams.active_team(db, SystemClock())
        names = [t.name for t in teams.list_teams(db)]
    finally:
        db.close()
    # Plain print: Rich would read a team called "[/b]" as markup, and fail on it.
    print(f"database: {target.label}")
    print(f"schema version: {migrate.latest_version()}")
    print(f"teams: {', '.join(names)}")
    print(f"active team: {active.name}")
    return 0


def _invite(args: argparse.Namespace, target: Target) -> int:
    from mhtui import invite_commands

    return invite_commands.run(args, target)


def _file_of(target: Target) -> Path:
    if target.path is None:
        raise DatabaseProblem(f"{target.label} is not an SQLite file; backups need one.")
    return target.path


def cmd_backup(args: argparse.Namespace, target: Target) -> int:
    from datetime import datetime

    from mhtui.store import backups

    out = Path(args.out).expanduser() if args.out else None
    # A new file only: an existing name, a link (even a dangling one) or a folder is
    # refused, and the copy is whole or not there at all (atomic.py).
    path = backups.backup_now(_file_of(target), out, datetime.now())
    print(f"backed up {target.label} to {path}")
    return 0


def cmd_restore(args: argparse.Namespace, target: Target) -> int:
    from datetime import datetime

    from mhtui.store import backups

    saved = backups.restore(_file_of(target), Path(args.file).expanduser(), datetime.now())
    print(f"restored {args.file} into {target.label}; the database as it was is kept at "
          f"{saved}")
    return 0


def run_app(target: Target) -> int:
    from mhtui.ui.app import MHApp

    app = MHApp(target)
    app.run()
    _quiet_if_hung_up()
    return app.return_code or 0


def _quiet_if_hung_up() -> None:
    """After the terminal window was closed: everything is saved, so leave with status
    0 rather than Python's 120 for output it could not write."""
    for name in ("stdout", "stderr"):
        try:
            getattr(sys, name).flush()
        except OSError:
            setattr(sys, name, Path(os.devnull).open("w"))  # noqa: SIM115


def _explained(exc: Exception, target: Target | None) -> tuple[str, int] | None:
    """A failure as one line and an exit status; None for a bug, which keeps its traceback.

    Database errors of every kind (a bad file, a connection refused, a read that failed)
    and files that could not be written are the person's to know about, not bugs. A
    database URL is named with its password hidden (Target.label).
    """
    import sqlite3

    from mhtui.atomic import WriteFailed
    from mhtui.store.dbfile import StorageProblem, sqlite_reason
    from mhtui.store.target import BadURL

    if isinstance(exc, DatabaseProblem | BadURL):
        return str(exc), 2
    if isinstance(exc, WriteFailed | StorageProblem):
        return str(exc), 1
    where = target.label if target is not None else "the database"
    if isinstance(exc, sqlite3.Error):
        places = [target.path] if target is not None and target.path is not None else []
        return f"{where}: {sqlite_reason(exc, *places)}.", 2
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.SQLAlchemyError):
        from mhtui.store.opening import database_said

        return f"{where}: {database_said(exc, target.given if target else None)}", 2
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    target: Target | None = None
    try:
        target = resolve(args.db, args.demo, os.environ)
        if args.demo and args.command is None:
            _demo_reset(target)
        # The app checks the file's integrity beside its first frame, not before it.
        _prepare(target, args.demo, thorough=args.command is not None)
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            return run_app(target)
        return handler(args, target)
    except Exception as exc:
        explained = _explained(exc, target)
        if explained is None:
            raise
        print(f"mhtui: {explained[0]}", file=sys.stderr)
        return explained[1]
