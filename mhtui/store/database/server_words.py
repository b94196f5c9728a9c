"""What a database server's failures mean, in words: one module that the write path
(db.py), the opening (opening.py) and the command line all read, so none of them reaches
up into another for its sentences. Standard library only: the command line says why a
server cannot be reached before the ORM is loaded.
"""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING

from mhtui.store.database.connections import STATEMENT_TIMEOUT_S

if TYPE_CHECKING:
    from sqlalchemy.exc import DBAPIError


# What libpq says when no server answers at the address given (in any language libpq
# was built for, the English words are what the pgserver and distro builds print).
_UNREACHABLE = ("connection refused", "no such file or directory", "could not translate host",
                "timeout expired", "network is unreachable", "no route to host",
                "server closed the connection", "terminating connection",
                "the database system is", "connection is lost", "connection is closed",
                "consuming input failed", "connection timed out", "name or service not known")


def connection_trouble(exc: BaseException, url: str | None = None) -> str | None:
    """Why a database server could not be used at all, in words (no password in them);
    None when the failure is something else. For PostgreSQL through psycopg, whose
    connection errors carry libpq's text (and a SQLSTATE once the server answered)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig)
    low = text.lower()
    state = getattr(orig, "sqlstate", None)
    if state in ("28P01", "28000") or "password authentication failed" in low:
        return ("the server refused the login: wrong user name or password (the password "
                "comes from the URL, ~/.pgpass or a service file)")
    if "no password supplied" in low or "password is required" in low:
        return ("the server asks for a password and none was given: put it in ~/.pgpass "
                "(or PGPASSFILE) or a service file, not on the command line")
    fatal = next((line.split("FATAL:", 1)[1].strip() for line in text.splitlines()
                  if "FATAL:" in line), "")
    if state == "3D000" or (fatal.startswith("database ") and "does not exist" in fatal):
        return f"the server has no such database ({fatal or 'it does not exist'})"
    if fatal.startswith("role ") and "does not exist" in fatal:
        return f"the server has no such login ({fatal})"
    if state in ("57P01", "57P02", "57P03") or (state or "").startswith("08") or any(
            words in low for words in _UNREACHABLE):
        said = database_said(exc, url) if isinstance(exc, Exception) else ""
        return ("the database server cannot be reached: it is not running, or the address "
                f"is wrong, or the network is down ({said.rstrip('.')})")
    return None


def held_up(exc: BaseException) -> str | None:
    """A wait the server cut short, in words (every mhtui connection sets lock_timeout
    and statement_timeout: connections.server_options); None for anything else."""
    state = getattr(getattr(exc, "orig", None) or exc, "sqlstate", None)
    if state == "55P03":
        return ("another login is holding a lock on what this needs, so it kept the "
                "database busy and the server stopped waiting; try again, and if it "
                "lasts, whoever runs the server can see which login in pg_stat_activity")
    if state == "57014":
        return (f"the server stopped this after {STATEMENT_TIMEOUT_S} seconds (another "
                "login may be holding what it needs); try again, and if it lasts, ask "
                "whoever runs the server")
    return None


def database_said(exc: Exception, url: str | None) -> str:
    """The first line of what the database (or its driver) said, any password removed."""
    said = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    text = said[0] if said else type(exc).__name__
    if url:
        from sqlalchemy.engine import make_url

        with contextlib.suppress(Exception):
            password = make_url(url).password
            if password:
                text = text.replace(str(password), "***")
    return text


_TABLE = re.compile(r'(?:table|view) "?([a-z_]+)"?')
_WORDS = {
    "team": "the team", "staff": "the team's roster", "agendatemplateitem": "the agenda",
    "meeting": "the check-ins", "meetingitem": "the check-ins",
    "meetingattendee": "the check-ins", "action": "the team's actions",
    "actionevent": "the team's actions", "reflection": "this reflection",
    "allocationrow": "this reflection", "reflectionevent": "this reflection",
    "reflectionlink": "the reflections' links to actions", "role": "the grid",
    "taskcategory": "the grid", "task": "the grid", "capability": "the grid",
    "shiftplan": "the shift plans", "training": "the training glossary",
    "setting": "the settings", "access_grant": "who may see what",
}


def refused(error: DBAPIError, login: str) -> str:
    """One line for a write the server refused to this login (no privilege, or a row
    outside its fence: SQLSTATE 42501)."""
    found = _TABLE.search(str(error.orig))
    what = _WORDS.get(found.group(1), "this") if found else "this"
    return (f"Not saved: your login ({login}) may not change {what}. Everything saved "
            "before is safe.")
