"""What every command of `mhtui` shares: choosing the team, writing output, opening the
database and turning a person's mistake into one line.

No textual here: the commands run from scripts and cron jobs. Imported only when a
command runs, so `mhtui --help` stays light.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from mhtui.core.clock import SystemClock
from mhtui.core.csv_actions import decoded
from mhtui.core.statuses import StatusError
from mhtui.paths import read_import, write_private
from mhtui.store.actions import actions
from mhtui.store.database import opening
from mhtui.store.database.db import Database
from mhtui.store.database.dbfile import StorageProblem
from mhtui.store.database.target import Target
from mhtui.store.teams import teams
from mhtui.store.teams.teams import TeamView

Command = Callable[[argparse.Namespace, Database], int]


class CommandError(Exception):
    """A user mistake: printed as one line, exit status ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def pick_team(db: Database, name: str | None) -> TeamView:
    """The team called ``name`` (any case), or the active team when no name is given."""
    if name is None:
        return teams.active_team(db, SystemClock())
    team = teams.find_team(db, name)
    if team is None:
        known = ", ".join(repr(t.name) for t in teams.list_teams(db)) or "none yet"
        raise CommandError(f"No team called {name!r}. Teams: {known}.", code=2)
    return team


def emit(text: str, out: str | None, *, force: bool = False) -> None:
    """``text`` to the file ``out`` (whole, 0600; over an existing file only with
    ``force``, and never over a database or a backup: atomic.py) or, without one, to
    stdout."""
    if out:
        path = write_private(Path(out), text, exclusive=not force)
        print(f"wrote {path}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def read_text_file(path: Path) -> tuple[str, str]:
    """A CSV file's text, as Excel, LibreOffice or Sheets saved it, and the encoding it
    was in; a clear CommandError naming the file if not."""
    try:
        return decoded(read_import(path))
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror}).", code=2) from exc
    except ValueError as exc:
        raise CommandError(f"{path}: {exc} Nothing was imported.") from exc


def run_with_db(command: Command, args: argparse.Namespace, target: Target) -> int:
    """Open the database, run one command, and turn a user's mistake into one line."""
    db = opening.connect(target)
    try:
        return command(args, db)
    except (CommandError, StatusError, actions.ConflictError, StorageProblem) as exc:
        print(f"mhtui: {exc}", file=sys.stderr)
        return exc.code if isinstance(exc, CommandError) else 1
    finally:
        db.close()
