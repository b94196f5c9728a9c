"""The argument parsers of `mhtui actions`, `export actions` and `import actions`.

The work is done in actions_commands, imported only when one of these commands runs.
"""

from __future__ import annotations

import argparse

from mhtui.core.statuses import Status
from mhtui.store.target import Target


def run(handler: str, args: argparse.Namespace, target: Target) -> int:
    from mhtui import actions_commands

    return actions_commands.run(handler, args, target)


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                export: argparse._SubParsersAction[argparse.ArgumentParser],
                importer: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("actions", help="list actions or change one's status")
    sub = group.add_subparsers(dest="actions_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="print the team's actions")
    listing.add_argument("--status", help="only this status, e.g. 'in progress' or done")
    listing.add_argument("--overdue", action="store_true", help="only overdue actions")
    listing.add_argument("--owner", help="only this owner (case-insensitive)")
    listing.add_argument("--team", help="team name (default: the active team)")
    listing.add_argument("--format", choices=("table", "csv", "json"), default="table")
    listing.set_defaults(handler=lambda a, t: run("list", a, t))
    setter = sub.add_parser("set", help="set the status of action ID")
    setter.add_argument("id", type=int)
    setter.add_argument("status", help="; ".join(s.value for s in Status))
    setter.set_defaults(handler=lambda a, t: run("set", a, t))

    out = export.add_parser("actions", help="the tracker as CSV (the paper layout) or JSON")
    out.add_argument("--format", choices=("csv", "json"), default="csv")
    out.add_argument("--out", metavar="FILE", help="write here (0600) instead of stdout")
    out.add_argument("--team", help="team name (default: the active team)")
    out.set_defaults(handler=lambda a, t: run("export", a, t))

    inp = importer.add_parser("actions", help="add actions from a tracker CSV")
    inp.add_argument("file", metavar="FILE.csv")
    inp.add_argument("--team", help="team name (default: the active team)")
    inp.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    inp.set_defaults(handler=lambda a, t: run("import", a, t))


def _meetings(handler: str, args: argparse.Namespace, target: Target) -> int:
    from mhtui import meeting_commands

    return meeting_commands.run(handler, args, target)


def add_meeting_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                        export: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("meetings", help="list the team's check-ins")
    sub = group.add_subparsers(dest="meetings_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="every check-in with planned and actual minutes")
    listing.add_argument("--team", help="team name (default: the active team)")
    listing.set_defaults(handler=lambda a, t: _meetings("list", a, t))
    out = export.add_parser("meeting", help="a check-in's minutes as Markdown")
    out.add_argument("id", metavar="ID|latest", help="check-in number, or latest")
    out.add_argument("--format", choices=("md",), default="md")
    out.add_argument("--out", metavar="FILE", help="write here (0600) instead of stdout")
    out.add_argument("--team", help="team for 'latest' (default: the active team)")
    out.set_defaults(handler=lambda a, t: _meetings("export", a, t))


def _reflections(handler: str, args: argparse.Namespace, target: Target) -> int:
    from mhtui import reflection_commands

    return reflection_commands.run(handler, args, target)


def add_reflection_parsers(export: argparse._SubParsersAction[argparse.ArgumentParser],
                           importer: argparse._SubParsersAction[argparse.ArgumentParser]
                           ) -> None:
    many = export.add_parser("reflections", help="submitted reflections as CSV or Markdown")
    many.add_argument("--format", choices=("csv", "md"), default="csv")
    many.add_argument("--team", help="team name (default: the active team)")
    many.add_argument("--since", metavar="DATE", help="only reflections from this date on")
    many.add_argument("--out", metavar="FILE", help="write here (0600) instead of stdout")
    many.set_defaults(handler=lambda a, t: _reflections("export_all", a, t))
    one = export.add_parser("reflection", help="one submitted reflection as a JSON file")
    one.add_argument("id", type=int)
    one.add_argument("--format", choices=("json",), default="json")
    one.add_argument("--out", metavar="FILE", help="write here (0600) instead of stdout")
    one.set_defaults(handler=lambda a, t: _reflections("export_one", a, t))
    inp = importer.add_parser("reflections", help="add reflection files from other laptops")
    inp.add_argument("files", nargs="+", metavar="FILE")
    inp.add_argument("--team", help="team name (default: the active team)")
    inp.set_defaults(handler=lambda a, t: _reflections("import", a, t))


def _grid(handler: str, args: argparse.Namespace, target: Target) -> int:
    from mhtui import grid_commands

    return grid_commands.run(handler, args, target)


def add_grid_parsers(export: argparse._SubParsersAction[argparse.ArgumentParser],
                     importer: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    out = export.add_parser("grid", help="the role-capability grid as CSV (words) or "
                                         "Markdown (symbols)")
    out.add_argument("--format", choices=("csv", "md"), default="csv")
    out.add_argument("--team", help="team name (default: the active team)")
    out.add_argument("--out", metavar="FILE", help="write here (0600) instead of stdout")
    out.set_defaults(handler=lambda a, t: _grid("export", a, t))
    inp = importer.add_parser("grid", help="replace a team's grid with a grid CSV")
    inp.add_argument("file", metavar="FILE.csv")
    inp.add_argument("--team", help="team name (default: the active team)")
    inp.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    inp.set_defaults(handler=lambda a, t: _grid("import", a, t))
