"""The `mhtui` command: the parser and `main`.

Each command's work lives in a module of this package (actions, meetings, reflections,
grid, invite, database), imported only when that command runs, with the helpers they
share in common.py. Textual and the ORM are imported only on the paths that need them,
so `mhtui --help` and the scripting commands start fast; the app itself is opened by
mhtui.launch, the one module the command line reaches textual through.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeAlias

from mhtui import __version__
from mhtui.atomic import Exists
from mhtui.core.statuses import Status
from mhtui.paths import DB_ENV
from mhtui.store.database.dbfile import DatabaseProblem
from mhtui.store.database.target import Target, resolve

Handler = Callable[[argparse.Namespace, Target], int]
# A string: argparse's class takes no subscript at run time.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

DESCRIPTION = """\
Run the regular check-ins between school leadership and mental health staff: an
agenda timer, an action tracker, a staff reflection form and a role-capability grid.
With no command, opens the app."""

EPILOG = """\
Where the data lives: by default one SQLite file in your user data folder
(see `mhtui info`). --db or the MHTUI_DB environment variable choose another file, an
sqlite:/// URL, or a district's PostgreSQL server (postgresql://user@host/db, with
pip install 'mhtui[postgres]'). --demo uses a separate demo database and never touches
yours."""

TEAM_HELP = "team name (default: the active team)"
OUT_HELP = "write here (0600) instead of stdout"
FORCE_HELP = ("replace a file of that name that is there already (never a database, its "
              "-wal or -shm file, or a backup)")
DB_HELP = ("database file, sqlite:/// or postgresql:// URL (default: $MHTUI_DB, then "
           "your user data folder)")
DEMO_HELP = "use the demo database (made fresh when the app opens)"
SHELLS = ("bash", "zsh", "fish")
COMPLETION_EPILOG = """\
Install it where your shell looks, for example:
  bash  mhtui completion bash > ~/.local/share/bash-completion/completions/mhtui
  zsh   mhtui completion zsh > ~/.zfunc/_mhtui   (with ~/.zfunc in $fpath)
  fish  mhtui completion fish > ~/.config/fish/completions/mhtui.fish"""


# The commands that may make a new database file: every other one only reads one, or
# changes what is in it, so a path that holds none is a mistyped --db or MHTUI_DB, refused
# rather than shown as an empty school (the app makes one too, and says so).
CREATES = frozenset({("actions", "import"), ("grid", "import"), ("reflections", "import"),
                     ("staff", "add"), ("staff", "teams_add"), ("database", "upgrade"),
                     ("database", "restore")})


def _lazy(module: str, command: str) -> Handler:
    """A handler that imports mhtui.cli.<module> only when its command runs: the
    module's ``run``, if it opens the database its own way, else its ``cmd_<command>``
    with the database open (common.run_with_db)."""

    def handler(args: argparse.Namespace, target: Target) -> int:
        from importlib import import_module

        found = import_module(f"mhtui.cli.{module}")
        if hasattr(found, "run"):
            run: Callable[[str, argparse.Namespace, Target], int] = found.run
            return run(command, args, target)
        from mhtui.cli.common import run_with_db

        return run_with_db(getattr(found, f"cmd_{command}"), args, target)

    handler.creates = (module, command) in CREATES  # type: ignore[attr-defined]
    return handler


def _paths(action: argparse.Action, kind: str = "file") -> None:
    """Completion offers paths here: "file" or "directory" (shtab reads `complete`)."""
    action.complete = kind  # type: ignore[attr-defined]


def _out(parser: argparse.ArgumentParser, metavar: str = "FILE", help: str = OUT_HELP,
         kind: str = "file") -> None:
    """--out, and --force to let it replace a file (atomic.py refuses a database, its
    -wal or -shm, and a backup, even then)."""
    _paths(parser.add_argument("--out", metavar=metavar, help=help), kind)
    parser.add_argument("--force", action="store_true", help=FORCE_HELP)


def _everywhere(parser: argparse.ArgumentParser) -> None:
    """--db and --demo on every command as well, so they work after it too.

    Their defaults are SUPPRESS: a command given neither keeps what came before it.
    """
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for name, sub in action.choices.items():
            if name == "completion":
                continue
            _paths(sub.add_argument("--db", metavar="PATH|URL", default=argparse.SUPPRESS,
                                    help=DB_HELP))
            sub.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                             help=DEMO_HELP)
            _everywhere(sub)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mhtui", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _paths(parser.add_argument("--db", metavar="PATH|URL", help=DB_HELP))
    parser.add_argument("--demo", action="store_true", help=DEMO_HELP)
    parser.add_argument("--version", action="version", version=f"mhtui {__version__}",
                        help="show the version and leave")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     help="what to do (none: open the app)")
    info = commands.add_parser("info", help="show which database is used and what it holds")
    info.set_defaults(handler=_lazy("database", "info"))
    backup = commands.add_parser("backup", help="a consistent copy of the database, now")
    _paths(backup.add_argument("--out", metavar="FILE", help="a new file (default: the "
                               "backups folder next to the database)"))
    # A server database is backed up or restored as it is (an empty one, an older one);
    # a file is checked and upgraded first as for any command (cli/database.py).
    backup.set_defaults(handler=_lazy("database", "backup"), prepare=False)
    restore = commands.add_parser("restore", help="replace the database with a backup "
                                                  "(the current one is backed up first)")
    _paths(restore.add_argument("file", metavar="FILE", help="the backup to restore"))
    restore.set_defaults(handler=_lazy("database", "restore"), prepare=False)
    invite = commands.add_parser("invite", help="the invitation emails and calendar file")
    invite.add_argument("--team", help=TEAM_HELP)
    _out(invite, "DIR", "folder for the files (default: exports/invitations in your data "
         "folder)", "directory")
    invite.set_defaults(handler=_lazy("invite", "invite"))
    export = commands.add_parser("export", help="write data out as CSV, JSON or Markdown")
    exports = export.add_subparsers(dest="what", metavar="WHAT", required=True,
                                    help="what to write out")
    importer = commands.add_parser("import", help="read data in from files")
    imports = importer.add_subparsers(dest="what", metavar="WHAT", required=True,
                                      help="what to read in")
    _action_parsers(commands, exports, imports)
    _meeting_parsers(commands, exports)
    _staff_parsers(commands)
    _reflection_parsers(exports, imports)
    _grid_parsers(exports, imports)
    _admin_parsers(commands)
    _district_parsers(exports)
    _db_parsers(commands)
    completion = commands.add_parser(
        "completion", help="print the shell completion script for bash, zsh or fish",
        epilog=COMPLETION_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    completion.add_argument("shell", choices=SHELLS, help="the shell it is for")
    _everywhere(parser)
    return parser


def _group(commands: Commands, name: str, help: str, what: str) -> Commands:
    """A command with actions of its own (`mhtui staff add ...`): where they are added."""
    return commands.add_parser(name, help=help).add_subparsers(
        dest=f"{name}_command", metavar="ACTION", required=True, help=f"what to do with {what}")


def _action_parsers(commands: Commands, export: Commands, importer: Commands) -> None:
    sub = _group(commands, "actions", "list actions or change one's status", "the actions")
    listing = sub.add_parser("list", help="print the team's actions")
    listing.add_argument("--status", help="only this status, e.g. 'in progress' or done")
    listing.add_argument("--overdue", action="store_true", help="only overdue actions")
    listing.add_argument("--owner", help="only this owner (any case, accents or not)")
    listing.add_argument("--limit", type=int, default=200, metavar="N",
                         help="show at most N rows in the table (default 200; 0: all)")
    listing.add_argument("--team", help=TEAM_HELP)
    listing.add_argument("--all-teams", action="store_true",
                         help="every team's actions, with a School column")
    listing.add_argument("--format", choices=("table", "csv", "json"), default="table",
                         help="how to print them (default: table)")
    listing.set_defaults(handler=_lazy("actions", "list"))
    setter = sub.add_parser("set", help="set the status of action ID")
    setter.add_argument("id", type=int, help="the action's number (# in the tracker)")
    setter.add_argument("status", help="the new status: " + "; ".join(s.value for s in Status))
    setter.set_defaults(handler=_lazy("actions", "set"))

    out = export.add_parser("actions", help="the tracker as CSV (the paper layout) or JSON")
    out.add_argument("--format", choices=("csv", "json"), default="csv",
                     help="file format (default: csv)")
    _out(out)
    out.add_argument("--team", help=TEAM_HELP)
    out.set_defaults(handler=_lazy("action_export", "export"))

    inp = importer.add_parser("actions", help="add actions from a tracker CSV; rows with "
                              "an ID update that action")
    _paths(inp.add_argument("file", metavar="FILE.csv", help="a tracker CSV"))
    inp.add_argument("--team", help=TEAM_HELP)
    inp.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    inp.add_argument("--day-first", action="store_true",
                     help="numeric dates are day/month/year (01.06.2022 is 1 June)")
    inp.set_defaults(handler=_lazy("actions", "import"))


def _meeting_parsers(commands: Commands, export: Commands) -> None:
    sub = _group(commands, "meetings", "list the team's check-ins", "the check-ins")
    listing = sub.add_parser("list", help="every check-in with planned and actual minutes")
    listing.add_argument("--team", help=TEAM_HELP)
    listing.set_defaults(handler=_lazy("meetings", "list"))
    out = export.add_parser("meeting", help="a check-in's minutes as Markdown or plain text")
    out.add_argument("id", metavar="ID|latest", help="check-in number, or latest")
    out.add_argument("--format", choices=("md", "txt"), default="md",
                     help="Markdown (default) or plain text that pastes into an email")
    _out(out)
    out.add_argument("--team", help="team for 'latest' (default: the active team)")
    out.set_defaults(handler=_lazy("meetings", "export"))


def _staff_parsers(commands: Commands) -> None:
    sub = _group(commands, "staff", "the team's roster: who is invited and attends", "the roster")
    listing = sub.add_parser("list", help="everyone on the roster, removed people too")
    listing.add_argument("--team", help=TEAM_HELP)
    listing.add_argument("--format", choices=("table", "csv", "json"), default="table",
                         help="how to print them (default: table)")
    listing.set_defaults(handler=_lazy("staff", "list"))
    add = sub.add_parser("add", help="add a person to the roster")
    add.add_argument("name", metavar="NAME", help="their name, as the minutes show it")
    add.add_argument("--role", help="their role (e.g. a role from the grid)")
    add.add_argument("--email", help="their email address, for the invitation")
    add.add_argument("--team", help=TEAM_HELP)
    add.set_defaults(handler=_lazy("staff", "add"))
    edit = sub.add_parser("edit", help="change a person's name, role or email")
    edit.add_argument("id", type=int, help="the person's number (# in staff list)")
    edit.add_argument("--name", help="the new name")
    edit.add_argument("--role", help="the new role ('' for none)")
    edit.add_argument("--email", help="the new email ('' for none)")
    edit.add_argument("--active", action="store_true", help="bring a removed person back")
    edit.set_defaults(handler=_lazy("staff", "edit"))
    remove = sub.add_parser("remove", help="deactivate a person (history keeps the name)")
    remove.add_argument("id", type=int, help="the person's number (# in staff list)")
    remove.set_defaults(handler=_lazy("staff", "remove"))

    sub = _group(commands, "teams", "list, add or rename teams", "the teams")
    sub.add_parser("list", help="every team (* marks the active one)").set_defaults(
        handler=_lazy("staff", "teams_list"))
    add = sub.add_parser("add", help="a new team with the default agenda and catalogue")
    add.add_argument("name", metavar="NAME", help="the team's name")
    add.set_defaults(handler=_lazy("staff", "teams_add"))
    rename = sub.add_parser("rename", help="give a team a new name")
    rename.add_argument("old", metavar="OLD", help="the team's name now")
    rename.add_argument("new", metavar="NEW", help="its new name")
    rename.set_defaults(handler=_lazy("staff", "teams_rename"))


def _reflection_parsers(export: Commands, importer: Commands) -> None:
    many = export.add_parser("reflections", help="submitted reflections as CSV or Markdown")
    many.add_argument("--format", choices=("csv", "md"), default="csv",
                      help="file format (default: csv)")
    many.add_argument("--team", help=TEAM_HELP)
    many.add_argument("--since", metavar="DATE", help="only reflections from this date on")
    _out(many)
    many.set_defaults(handler=_lazy("reflections", "export_all"))
    one = export.add_parser("reflection", help="one submitted reflection as a JSON file "
                                               "to send to the facilitator")
    one.add_argument("id", type=int, help="the reflection's number (# in the app's list)")
    one.add_argument("--format", choices=("json",), default="json",
                     help="file format: JSON")
    _out(one, "DIR|FILE", "a folder (the file is named by date and role) or a file; - for "
         "stdout (default: the current folder)")
    one.set_defaults(handler=_lazy("reflections", "export_one"))
    trend = export.add_parser("trend", help="per check-in period: reflections and the "
                                            "team's mean share of time on services to "
                                            "students and on non-counseling duties")
    trend.add_argument("--format", choices=("csv", "json", "md"), default="csv",
                       help="file format (default: csv)")
    trend.add_argument("--team", help=TEAM_HELP)
    _out(trend)
    trend.set_defaults(handler=_lazy("reflections", "export_trend"))
    inp = importer.add_parser("reflections", help="add reflection files from other laptops")
    _paths(inp.add_argument("files", nargs="+", metavar="FILE",
                            help="reflection JSON files (all or none are imported)"))
    into = inp.add_mutually_exclusive_group()
    into.add_argument("--team", help=TEAM_HELP + "; files written for another team are "
                      "refused")
    into.add_argument("--into-team", metavar="NAME", help="import into this team, files "
                      "written for another team too")
    inp.set_defaults(handler=_lazy("reflections", "import"))


def _grid_parsers(export: Commands, importer: Commands) -> None:
    out = export.add_parser("grid", help="the role-capability grid as CSV (words) or "
                                         "Markdown (symbols)")
    out.add_argument("--format", choices=("csv", "md"), default="csv",
                     help="file format (default: csv)")
    out.add_argument("--team", help=TEAM_HELP)
    _out(out)
    out.set_defaults(handler=_lazy("grid", "export"))
    inp = importer.add_parser("grid", help="replace a team's grid with a grid CSV")
    _paths(inp.add_argument("file", metavar="FILE.csv", help="a grid CSV"))
    inp.add_argument("--team", help=TEAM_HELP)
    inp.add_argument("--drop-plans", action="store_true",
                     help="remove tasks missing from the file even if they have a shift "
                          "plan (the plan is deleted, its actions unlinked)")
    inp.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    inp.set_defaults(handler=_lazy("grid", "import"))


def _district_parsers(export: Commands) -> None:
    out = export.add_parser("district", help="every school's figures over a period (actions, "
                                             "check-ins, reflections, time on services to "
                                             "students, capacity flags) and the barriers "
                                             "that recur across schools")
    out.add_argument("--format", choices=("csv", "json", "md"), default="csv",
                     help="file format (default: csv, which opens in Excel)")
    out.add_argument("--days", type=int, default=90, metavar="N",
                     help="the period: the last N days up to today (default 90)")
    _out(out)
    out.set_defaults(handler=_lazy("district", "export"))


def _admin_parsers(commands: Commands) -> None:
    sub = _group(commands, "admin", "who may see which team on a district's PostgreSQL "
                 "server (run by the schema's owner)", "the logins' access")
    grant = sub.add_parser("grant", help="let a login (a PostgreSQL role) see teams")
    grant.add_argument("login", metavar="LOGIN", help="the PostgreSQL login")
    grant.add_argument("--as", dest="kind", required=True,
                       choices=("district", "facilitator", "staff"),
                       help="district: every team; facilitator: everything of the team; "
                            "staff: the team's actions, agenda and minutes, and their own "
                            "reflections")
    grant.add_argument("--team", help="the team (for facilitator and staff)")
    grant.set_defaults(handler=_lazy("admin", "grant"))
    revoke = sub.add_parser("revoke", help="take a login's access away")
    revoke.add_argument("login", metavar="LOGIN", help="the PostgreSQL login")
    revoke.add_argument("--team", help="only this team (default: every grant it holds)")
    revoke.set_defaults(handler=_lazy("admin", "revoke"))
    sub.add_parser("list", help="every login's access").set_defaults(
        handler=_lazy("admin", "list"))


def _db_parsers(commands: Commands) -> None:
    sub = _group(commands, "db", "the database's schema: which revision, upgrade it", "the schema")
    # Not checked first (prepare=False): they work on an empty or older database.
    sub.add_parser("current", help="the schema's revision, and whether it is the newest"
                   ).set_defaults(handler=_lazy("database", "current"), prepare=False)
    sub.add_parser("upgrade", help="make or upgrade the schema to the newest revision (an "
                                   "SQLite file is backed up first; safe to run twice)"
                   ).set_defaults(handler=_lazy("database", "upgrade"), prepare=False)


DEMO_SHARED = ("Another mhtui has the demo open: this one shares its data, changes and "
               "all. The demo starts fresh when no other copy has it open.")


def _demo_reset(target: Target) -> tuple[str, ...]:
    """The app on --demo starts from fresh example data, unless another copy has the demo
    open: then the two share it (a fresh file pulled from under the first would lose
    what it shows). Returns what to tell the person."""
    from mhtui import paths
    from mhtui.store.database import backups

    path = target.path
    assert path is not None
    paths.ensure_private_dir(path.parent)

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    return () if backups.unless_in_use(path, remove) else (DEMO_SHARED,)


def _prepare(target: Target, demo: bool, *, thorough: bool) -> None:
    from mhtui.store.database import opening

    fresh_demo = demo and (target.path is None or not target.path.exists())
    backup = opening.prepare(target, thorough=thorough)
    if backup is not None:
        print(f"mhtui: upgraded {target.label}; the old version is kept at {backup}",
              file=sys.stderr)
    if fresh_demo:
        from mhtui.core.clock import SystemClock
        from mhtui.store.demo import demo as demo_data

        db = opening.connect(target)
        try:
            demo_data.build(db, SystemClock())
        finally:
            db.close()


def _no_database_at(target: Target) -> bool:
    """No file at the target's path yet, or an empty one (a link is checked when opened)."""
    path = target.path
    if path is None or not os.path.lexists(path):
        return path is not None
    return path.is_file() and not path.is_symlink() and path.stat().st_size == 0


def _none_there(target: Target, given: bool) -> str:
    if given:
        return (f"there is no database at {target.label}: check the path given to --db or "
                f"{DB_ENV}. Nothing was made there; the app, `import` and `teams add` make a "
                "new database.")
    return (f"there is no database yet at {target.label}: start mhtui (or use `mhtui import` "
            "or `mhtui teams add`) to make one.")


def _explained(exc: Exception, target: Target | None) -> tuple[str, int] | None:
    """A failure as one line and an exit status; None for a bug, which keeps its traceback.

    Database errors of every kind (a bad file, a connection refused, a read that failed)
    and files that could not be written are the person's to know about, not bugs. A
    database URL is named with its password hidden (Target.label).
    """
    import sqlite3

    from mhtui.atomic import Refused, WriteFailed
    from mhtui.store.database.dbfile import StorageProblem, sqlite_reason
    from mhtui.store.database.target import BadURL

    if isinstance(exc, DatabaseProblem | BadURL | Refused):
        return str(exc), 2
    if isinstance(exc, WriteFailed | StorageProblem):
        return str(exc), 1
    where = target.label if target is not None else "the database"
    orig = getattr(exc, "orig", None)  # SQLite's own error inside SQLAlchemy's: said
    if isinstance(orig, sqlite3.Error):  # by sqlite_reason, which tells a full disk
        exc = orig
    if isinstance(exc, sqlite3.Error):
        places = [target.path] if target is not None and target.path is not None else []
        return f"{where}: {sqlite_reason(exc, *places)}.", 2
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.SQLAlchemyError):
        from mhtui.store.database.server_words import connection_trouble, database_said, held_up

        url = target.given if target else None
        said = held_up(exc) or connection_trouble(exc, url) or database_said(exc, url)
        return f"{where}: {said}", 2
    return None


def _completion(parser: argparse.ArgumentParser, shell: str) -> int:
    import shtab  # only here: --help and every other command never load it

    sys.stdout.write(shtab.complete(parser, shell=shell))
    return 0


def _app_only(argv: Sequence[str]) -> argparse.Namespace | None:
    """`mhtui`, `mhtui --db X`, `mhtui --demo`: the app, read without building the whole
    parser (its commands cost the first frame 5-15 ms). Anything else (None) goes to the
    parser, which also says what is wrong with it."""
    db: str | None = None
    demo = False
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--demo" and not demo:
            demo = True
        elif arg == "--db" and db is None and rest and rest[0] and not rest[0].startswith("-"):
            db = rest.pop(0)
        elif arg.startswith("--db=") and db is None and len(arg) > len("--db="):
            db = arg[len("--db="):]
        else:
            return None
    return argparse.Namespace(db=db, demo=demo, command=None)


def main(argv: Sequence[str] | None = None) -> int:
    args = _app_only(sys.argv[1:] if argv is None else argv)
    if args is None:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command == "completion":  # needs no database
            return _completion(parser, args.shell)
    target: Target | None = None
    try:
        target = resolve(args.db, args.demo, os.environ)
        notices: tuple[str, ...] = ()
        if args.demo and args.command is None:
            notices = _demo_reset(target)
        handler: Handler | None = getattr(args, "handler", None)
        new = not args.demo and _no_database_at(target)
        if new and handler is not None and not getattr(handler, "creates", False):
            raise DatabaseProblem(_none_there(target, bool(args.db or os.environ.get(DB_ENV))))
        # The app checks the file's integrity beside its first frame, not before it.
        if getattr(args, "prepare", True):  # not `db current` and `db upgrade`
            _prepare(target, args.demo, thorough=args.command is not None)
        created = f"created a new database at {target.label}"
        if handler is None:
            from mhtui.launch import run_app

            return run_app(target, notices=(f"{created[0].upper()}{created[1:]}.",) * new
                           + notices)
        try:
            return handler(args, target)
        finally:  # made by the command itself (`restore`, `db upgrade`) or before it
            if new and not _no_database_at(target):
                print(f"mhtui: {created}", file=sys.stderr)
    except Exception as exc:
        explained = _explained(exc, target)
        if explained is None:
            raise
        if isinstance(exc, Exists) and getattr(args, "force", True) is False:
            explained = (f"{explained[0]} Add --force to replace it.", explained[1])
        print(f"mhtui: {explained[0]}", file=sys.stderr)
        return explained[1]
