"""Reflections in and out: one submitted reflection as a JSON file a counselor can email,
and the team's reflections as CSV or Markdown. Anonymous stays anonymous everywhere."""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from sqlalchemy import delete
from sqlmodel import Session, col, select

from mhtui.core.allocation import Row, submit_problems
from mhtui.core.clock import Clock, to_the_day
from mhtui.core.csv_actions import safe_cell
from mhtui.core.wording import plural
from mhtui.paths import ImportTooBig, read_import
from mhtui.store.database import access
from mhtui.store.database.db import Database
from mhtui.store.models import AllocationRow, Reflection, ReflectionEvent, Team, fresh_version
from mhtui.store.reflections import reflection_edit
from mhtui.store.reflections.reflections import ReflectionRow, veiled

FORMAT = "mhtui-reflection"
# 2 adds revision and role_kind, 3 the school (team) it was written for; older files
# still read.
FORMAT_VERSION = 3


# Said wherever an anonymous reflection's file is written: the mail, not the file, can
# give its writer away.
MAILED = ("It is anonymous to the team's roll-up, not to whoever receives your mail: sent "
          "from your own address, it says who sent it.")


class ReflectionFileError(ValueError):
    pass


def export_json(db: Database, reflection_id: int) -> str:
    reflection, draft = reflection_edit.load(db, reflection_id)
    if reflection.state != "submitted" or reflection.submitted_at is None:
        raise ReflectionFileError(f"Reflection #{reflection_id} is a draft; submit it first.")
    with db.read() as session:
        team = session.get(Team, reflection.team_id)
        imported = session.exec(select(ReflectionEvent.id).where(
            ReflectionEvent.reflection_id == reflection_id,
            ReflectionEvent.kind == "imported")).first() is not None
    if reflection.author_name is None and imported:
        # The file would show its role and time table to whoever holds this database
        # (the facilitator); its writer sends their own copy again instead.
        raise ReflectionFileError(
            f"Reflection #{reflection_id} is anonymous and came in as a file: it is not "
            "written out here; its writer sends their own copy.")
    payload = {
        "format": FORMAT, "version": FORMAT_VERSION, "uid": reflection.uid,
        "school": team.name if team is not None else "",
        "revision": reflection.revision,
        "reflected_on": reflection.reflected_on.isoformat(),
        "author_name": reflection.author_name, "role": reflection.role_name,
        "role_kind": reflection.role_kind,
        "support_needed": reflection.support_needed, "barriers": reflection.barriers,
        # To the day when anonymous, even if stored to the second by an older mhtui.
        "submitted_at": (to_the_day(reflection.submitted_at) if reflection.author_name is None
                         else reflection.submitted_at).isoformat(),
        "allocation": [{"task_type": r.task_type, "ideal": r.ideal, "current": r.current,
                        "actions": r.actions} for r in draft.rows],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def file_name(reflection: ReflectionRow) -> str:
    """``reflection-2026-11-05-school-counselor.json``: the date and the role, in letters
    and digits any script or mail program takes; ``-rev2`` for a later revision. An
    anonymous one is ``reflection-2026-11-05-anonymous.json``: in a team with one
    psychologist, the role names the writer."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize(
        "NFKD", reflection.role_name).encode("ascii", "ignore").decode().lower())
    role = "-".join(words)[:40].strip("-") or "no-role"
    if reflection.author_name is None:
        role = "anonymous"
    revision = f"-rev{reflection.revision}" if reflection.revision > 1 else ""
    return f"reflection-{reflection.reflected_on.isoformat()}-{role}{revision}.json"


def free_path(folder: Path, name: str) -> Path:
    """``folder / name``, or with -2, -3... before .json if a file of that name is there:
    never another's file (the write itself is exclusive too)."""
    stem, suffix = name.removesuffix(".json"), ".json"
    candidate, number = folder / name, 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = folder / f"{stem}-{number}{suffix}"
    return candidate


# One person's reflection is a few kilobytes; 4 MB holds three fields of 100,000 emoji.
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_ROWS = 100  # task types in one table (the catalogue has a dozen)
MAX_DEPTH = 3  # the file, its allocation list, a row
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_LONG_NUMBER = re.compile(rb"[-+0-9.eE]{40}")
_NOT_A_BRACKET = re.compile(rb"[^\[\]{}]+")
_INNERMOST = re.compile(rb"\[\]|\{\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class AllocationIn(_Strict):
    task_type: str = Field(max_length=500)
    ideal: str = Field(max_length=40)
    current: str = Field(max_length=40)
    actions: str


class ReflectionFile(_Strict):
    """The reflection file's format, version 2: what export_json writes.

    Version 2 adds ``revision`` and ``role_kind`` (a version 1 file is revision 1, kind
    not chosen), version 3 ``school``, the team it was written for ("" before). Every
    other key is required (``author_name`` is null when anonymous), nothing else is
    allowed, the time it was submitted carries its offset from UTC (an anonymous one's
    is the start of its day), and the table is one that could have been submitted: each
    share a percentage, each column 100%.
    """

    format: Literal["mhtui-reflection"]
    version: Literal[1, 2, 3]
    uid: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
    school: str = Field(default="", max_length=500)  # version 3 on
    revision: int = Field(default=1, ge=1, le=1_000_000)  # version 2 on
    reflected_on: date
    author_name: str | None
    role: str
    role_kind: Literal["", "school counselor", "school psychologist",
                       "school social worker", "other"] = ""  # version 2 on
    support_needed: str
    barriers: str
    submitted_at: AwareDatetime
    allocation: list[AllocationIn] = Field(max_length=MAX_ROWS)

    @model_validator(mode="after")
    def _table_could_be_submitted(self) -> ReflectionFile:
        problems = submit_problems([Row(r.task_type, r.ideal, r.current, r.actions)
                                    for r in self.allocation])
        if problems:
            raise ValueError(" ".join(problems[:3]))
        return self


def _check_structure(raw: bytes) -> None:
    """Refuse, before parsing, a file nested or split into more parts than the format has.

    Strings are set aside first (brackets in text do not count). The depth is found
    without recursion (a 200,000-deep file would exhaust Python's), and the bound on
    objects and lists bounds the memory a parse can take with the size.
    """
    outside = _STRING.sub(b'""', raw)
    brackets = _NOT_A_BRACKET.sub(b"", outside)
    for _ in range(MAX_DEPTH):  # each pass takes away the innermost pairs, at C speed
        brackets = _INNERMOST.sub(b"", brackets)
    if brackets:
        raise ReflectionFileError(f"not a reflection file (nested deeper than its "
                                  f"{MAX_DEPTH} levels, or a bracket not closed)")
    if outside.count(b"{") > MAX_ROWS + 1 or outside.count(b"[") > 1:
        raise ReflectionFileError(
            f"not a reflection file (it holds more parts than one can: at most {MAX_ROWS} "
            "rows in one table)")
    if _LONG_NUMBER.search(outside):
        raise ReflectionFileError("not a reflection file (it holds a number no reflection has)")


def _where(loc: tuple[int | str, ...]) -> str:
    parts = []
    for part in loc:
        # A key is the file's own text: one with a line break or a control code is
        # shown escaped, so the message stays one line.
        parts.append(f"row {part + 1}" if isinstance(part, int)
                     else str(part) if str(part).isprintable() else repr(part))
    return " > ".join(parts)


# pydantic's words for a problem, where mhtui has its own.
_SAID = {"missing": "missing", "extra_forbidden": "not part of a reflection file",
         "timezone_aware": "a time without its offset from UTC (such as +01:00)",
         "string_pattern_mismatch": "not a reflection's id (letters, digits and - . _ : only)"}


def _explain(error: ValidationError) -> ReflectionFileError:
    problems = error.errors(include_url=False)
    keys = {p["loc"][0] for p in problems if p["loc"]}
    if "format" in keys:
        return ReflectionFileError("not an mhtui reflection file")
    if "version" in keys:
        return ReflectionFileError("written by another mhtui version")
    said = []
    for problem in problems[:3]:
        message = _SAID.get(problem["type"]) or str(problem["msg"]).removeprefix("Value error, ")
        where = _where(problem["loc"])
        said.append(f"{where}: {message}" if where else message)
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return ReflectionFileError("the file is damaged: " + "; ".join(said) + more)


def parse(raw: bytes) -> ReflectionFile:
    """Check a reflection file completely before anything is written; ReflectionFileError
    (one line naming the problem) if it is not one mhtui could have written."""
    if len(raw) > MAX_FILE_BYTES:
        raise ReflectionFileError(f"not a reflection file (it is {len(raw) / 1e6:.1f} MB; one "
                                  f"is at most {MAX_FILE_BYTES // (1024 * 1024)} MB)")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReflectionFileError(f"not a reflection file (not UTF-8 text: {exc})") from exc
    _check_structure(raw)
    try:
        json.loads(raw)
    except ValueError as exc:
        raise ReflectionFileError(f"not a reflection file (not readable JSON: {exc})") from exc
    try:
        return ReflectionFile.model_validate_json(raw)
    except ValidationError as exc:
        raise _explain(exc) from exc


def read(path: Path) -> ReflectionFile:
    """Read and check one file; OSError if it cannot be read, else ReflectionFileError."""
    try:
        raw = read_import(path, limit=MAX_FILE_BYTES)
    except ImportTooBig as exc:
        raise ReflectionFileError(f"not a reflection file ({str(exc).split(';')[0]}; one is at "
                                  f"most {MAX_FILE_BYTES // (1024 * 1024)} MB)") from exc
    return parse(raw)


def _loose(name: str) -> str:
    return " ".join(name.split()).casefold()


def written_for_another(files: Sequence[ReflectionFile], team: str) -> list[int]:
    """The positions of the files written for a school other than ``team`` (names
    compared in any case and spacing). A file from before version 3 names no school
    and goes where it is imported."""
    return [i for i, f in enumerate(files) if f.school and _loose(f.school) != _loose(team)]


@dataclass(frozen=True)
class Imported:
    """What an import did: reflections added to ``team``, replaced by a newer revision,
    already held at that revision, and skipped because a newer revision is held. Each of
    the last three says the teams that hold them, which may not be ``team``."""

    team: str
    added: int = 0
    updated: int = 0
    same: int = 0
    older: int = 0
    held_in: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "updated": names

    def words(self) -> str:
        def where(kind: str) -> str:
            names = self.held_in.get(kind, ())
            return " in team " + ", ".join(repr(n) for n in names) if names else ""

        said = [f"imported {plural(self.added, 'reflection')} into team {self.team!r}",
                f"updated {self.updated}{where('updated')}",
                f"{self.same} already there{where('same')}"]
        if self.older:
            said.append(f"skipped {plural(self.older, 'older revision')} than the one held"
                        + where("older"))
        return ", ".join(said)


def _put_rows(session: Session, reflection_id: int, item: ReflectionFile) -> None:
    if not access.deleted_by_server(session, "time table", reflection_id):
        session.execute(delete(AllocationRow).where(
            col(AllocationRow.reflection_id) == reflection_id))
    for position, row in enumerate(item.allocation):
        session.add(AllocationRow(reflection_id=reflection_id, position=position,
                                  task_type=row.task_type, ideal=row.ideal,
                                  current=row.current, actions=row.actions))


def _transactions(db: Database, files: Sequence[ReflectionFile]
                  ) -> list[list[ReflectionFile]]:
    """The files in the transactions that write them. On a server, where a facilitator
    with a SQL client sees which rows one transaction wrote (xmin) and when, each
    anonymous reflection (all its files' revisions) is written alone, after the named
    ones and in no telling order, so none is paired with a named one. An SQLite file,
    which whoever reads it reads whole, takes them all in one."""
    if db.engine.dialect.name == "sqlite":
        return [list(files)]
    by_uid: dict[str, list[ReflectionFile]] = {}
    for item in files:
        by_uid.setdefault(item.uid, []).append(item)
    named = [group for group in by_uid.values() if all(f.author_name for f in group)]
    alone = [group for group in by_uid.values() if not all(f.author_name for f in group)]
    secrets.SystemRandom().shuffle(alone)
    return [batch for batch in ([f for g in named for f in g], *alone) if batch]


def import_all(db: Database, team_id: int, files: Sequence[ReflectionFile],
               clock: Clock) -> Imported:
    """Add every reflection not here yet and replace those held at an older revision; a
    file older than what is held is skipped.

    All or nothing: every file was checked before (parse), and if the write fails, none
    of them is kept; on a server, where each anonymous reflection is written in a
    transaction of its own (_transactions), those written before a failure stay, and
    the same import run again finds them "already there". A reflection already held
    stays in the team that holds it.
    """
    counts = {"added": 0, "updated": 0, "same": 0, "older": 0}
    teams_of: dict[str, set[int]] = {}  # "updated", "same", "older": the teams holding them
    for batch in _transactions(db, files):
        _write_files(db, team_id, batch, clock, counts, teams_of)
    wanted = {team_id}.union(*teams_of.values())
    with db.read() as session:
        names = {t.id: t.name for t in session.exec(select(Team).where(
            col(Team.id).in_(wanted)))}
    return Imported(names.get(team_id, "?"), **counts, held_in={
        kind: tuple(sorted(names.get(i, "?") for i in ids)) for kind, ids in teams_of.items()})


def _write_files(db: Database, team_id: int, files: Sequence[ReflectionFile], clock: Clock,
                 counts: dict[str, int], teams_of: dict[str, set[int]]) -> None:
    """import_all's writing of ``files``, in one transaction."""
    with db.write() as session:
        held = {r.uid: r for r in session.exec(select(Reflection).where(
            col(Reflection.uid).in_([f.uid for f in files])))}
        for item in sorted(files, key=lambda f: f.revision):
            reflection = held.get(item.uid)
            if reflection is not None and reflection.revision >= item.revision:
                said = "same" if reflection.revision == item.revision else "older"
                counts[said] += 1
                teams_of.setdefault(said, set()).add(reflection.team_id)
                continue
            kind = "imported"
            if reflection is None:
                reflection = Reflection(uid=item.uid, team_id=team_id,
                                        reflected_on=item.reflected_on, updated_at=clock.now())
                counts["added"] += 1
            else:
                kind = "updated"
                counts["updated"] += 1
                teams_of.setdefault(kind, set()).add(reflection.team_id)
            reflection.reflected_on = item.reflected_on
            reflection.author_name = item.author_name or None
            reflection.role_name = reflection_edit.clean_role(item.role)
            reflection.role_kind = item.role_kind
            reflection.support_needed, reflection.barriers = item.support_needed, item.barriers
            reflection.state, reflection.submitted_at = "submitted", item.submitted_at
            reflection.revision, reflection.updated_at = item.revision, clock.now()
            reflection.version = fresh_version()
            session.add(reflection)
            session.flush()
            assert reflection.id is not None
            held[item.uid] = reflection
            _put_rows(session, reflection.id, item)
            session.add(ReflectionEvent(reflection_id=reflection.id, at=clock.now(),
                                        kind=kind))
            session.flush()
            reflection_edit.keep_to_the_day(session, reflection)


TABLE_NOT_SHOWN = "time table not shown (anonymous)"


def submitted(db: Database, team_id: int,
              since: date | None) -> list[tuple[ReflectionRow, list[Row]]]:
    query = select(Reflection).where(Reflection.team_id == team_id,
                                     Reflection.state == "submitted")
    if since is not None:
        query = query.where(col(Reflection.reflected_on) >= since)
    with db.read() as session:
        found = list(session.exec(query.order_by(col(Reflection.reflected_on),
                                                 col(Reflection.id))))
    # Anonymous ones veiled (anonymity.py): role kind in a group of 3, no time table.
    shown = veiled(db, team_id, [ReflectionRow.of(r) for r in found])
    return [(r, [] if r.author_name is None else reflection_edit.load(db, r.id)[1].rows)
            for r in shown]


def to_csv(items: list[tuple[ReflectionRow, list[Row]]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ID", "Date", "Name", "Role", "Support needed", "Barriers",
                     "Task type", "Ideal %", "Current %", "Actions toward the ideal"])
    for reflection, rows in items:
        head = [str(reflection.id), reflection.reflected_on.isoformat(),
                safe_cell(reflection.author_name or "(anonymous)"),
                safe_cell(reflection.role_name), safe_cell(reflection.support_needed),
                safe_cell(reflection.barriers)]
        hidden = reflection.author_name is None
        for row in rows or [Row(TABLE_NOT_SHOWN if hidden else "", "", "")]:
            writer.writerow([*head, safe_cell(row.task_type), safe_cell(row.ideal),
                             safe_cell(row.current), safe_cell(row.actions)])
    return out.getvalue()


def to_markdown(team: str, items: list[tuple[ReflectionRow, list[Row]]]) -> str:
    lines = [f"# Reflections: {team}", ""]
    for reflection, rows in items:
        who = reflection.author_name or "Anonymous"
        lines += [f"## {reflection.reflected_on.isoformat()} · {who} · "
                  f"{reflection.role_name or 'no role given'}", "",
                  "**Support needed:** " + (" ".join(reflection.support_needed.split()) or "—"),
                  "", "**Barriers:** " + (" ".join(reflection.barriers.split()) or "—"), ""]
        filled = [r for r in rows if r.ideal.strip() or r.current.strip() or r.actions.strip()]
        if reflection.author_name is None:
            lines += [f"*{TABLE_NOT_SHOWN[0].upper()}{TABLE_NOT_SHOWN[1:]}.*", ""]
        elif filled:
            lines += ["| Task type | Ideal % | Current % | Actions |", "|---|---:|---:|---|"]
            lines += [f"| {r.task_type} | {r.ideal} | {r.current} | "
                      f"{' '.join(r.actions.split())} |" for r in filled]
            lines.append("")
    return "\n".join(lines)
