"""Reflections in and out: one submitted reflection as a JSON file a counselor can email,
and the team's reflections as CSV or Markdown. Anonymous stays anonymous everywhere."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from mhtui.core.allocation import Row
from mhtui.core.clock import Clock
from mhtui.core.csv_actions import safe_cell
from mhtui.store import reflection_edit
from mhtui.store.db import Database
from mhtui.store.models import AllocationRow, Reflection, ReflectionEvent

FORMAT = "mhtui-reflection"
FORMAT_VERSION = 1


class ReflectionFileError(ValueError):
    pass


def export_json(db: Database, reflection_id: int) -> str:
    reflection, draft = reflection_edit.load(db, reflection_id)
    if reflection.state != "submitted" or reflection.submitted_at is None:
        raise ReflectionFileError(f"Reflection #{reflection_id} is a draft; submit it first.")
    payload = {
        "format": FORMAT, "version": FORMAT_VERSION, "uid": reflection.uid,
        "reflected_on": reflection.reflected_on.isoformat(),
        "author_name": reflection.author_name, "role": reflection.role_name,
        "support_needed": reflection.support_needed, "barriers": reflection.barriers,
        "submitted_at": reflection.submitted_at.isoformat(),
        "allocation": [{"task_type": r.task_type, "ideal": r.ideal, "current": r.current,
                        "actions": r.actions} for r in draft.rows],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _text(data: dict[str, Any], key: str, optional: bool = False) -> Any:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ReflectionFileError(f"the field {key!r} is missing or not text")
    return value


def parse(raw: bytes) -> dict[str, Any]:
    """Check a reflection file completely before anything is written."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReflectionFileError(f"not a reflection file (not readable JSON: {exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ReflectionFileError("not an mhtui reflection file")
    if data.get("version") != FORMAT_VERSION:
        raise ReflectionFileError(f"written by another mhtui version ({data.get('version')!r})")
    for key in ("uid", "reflected_on", "role", "support_needed", "barriers", "submitted_at"):
        _text(data, key)
    _text(data, "author_name", optional=True)
    try:
        date.fromisoformat(data["reflected_on"])
        datetime.fromisoformat(data["submitted_at"])
    except ValueError as exc:
        raise ReflectionFileError(f"a date in the file is damaged ({exc})") from exc
    rows = data.get("allocation")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ReflectionFileError("the allocation table is damaged")
    for row in rows:
        for key in ("task_type", "ideal", "current", "actions"):
            _text(row, key)
    return data


def import_one(db: Database, team_id: int, data: dict[str, Any], clock: Clock) -> bool:
    """Add a parsed reflection to the team; False if it is already here."""
    with db.write() as session:
        if session.exec(select(Reflection.id).where(Reflection.uid == data["uid"])).first():
            return False
        submitted = datetime.fromisoformat(data["submitted_at"])
        reflection = Reflection(
            uid=data["uid"], team_id=team_id,
            reflected_on=date.fromisoformat(data["reflected_on"]),
            author_name=data["author_name"] or None, role_name=data["role"],
            support_needed=data["support_needed"], barriers=data["barriers"],
            state="submitted", submitted_at=submitted, updated_at=clock.now(),
        )
        session.add(reflection)
        session.flush()
        assert reflection.id is not None
        for position, row in enumerate(data["allocation"]):
            session.add(AllocationRow(reflection_id=reflection.id, position=position,
                                      task_type=row["task_type"], ideal=row["ideal"],
                                      current=row["current"], actions=row["actions"]))
        session.add(ReflectionEvent(reflection_id=reflection.id, at=clock.now(),
                                    kind="imported"))
        return True


def submitted(db: Database, team_id: int, since: date | None) -> list[tuple[Reflection,
                                                                              list[Row]]]:
    query = select(Reflection).where(Reflection.team_id == team_id,
                                     Reflection.state == "submitted")
    if since is not None:
        query = query.where(col(Reflection.reflected_on) >= since)
    with db.read() as session:
        found = list(session.exec(query.order_by(col(Reflection.reflected_on),
                                                 col(Reflection.id))))
    return [(r, reflection_edit.load(db, r.id or 0)[1].rows) for r in found]


def to_csv(items: list[tuple[Reflection, list[Row]]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ID", "Date", "Name", "Role", "Support needed", "Barriers",
                     "Task type", "Ideal %", "Current %", "Actions toward the ideal"])
    for reflection, rows in items:
        head = [str(reflection.id), reflection.reflected_on.isoformat(),
                safe_cell(reflection.author_name or "(anonymous)"),
                safe_cell(reflection.role_name), safe_cell(reflection.support_needed),
                safe_cell(reflection.barriers)]
        for row in rows or [Row("", "", "")]:
            writer.writerow([*head, safe_cell(row.task_type), safe_cell(row.ideal),
                             safe_cell(row.current), safe_cell(row.actions)])
    return out.getvalue()


def to_markdown(team: str, items: list[tuple[Reflection, list[Row]]]) -> str:
    lines = [f"# Reflections: {team}", ""]
    for reflection, rows in items:
        who = reflection.author_name or "Anonymous"
        lines += [f"## {reflection.reflected_on.isoformat()} · {who} · "
                  f"{reflection.role_name or 'no role given'}", "",
                  "**Support needed:** " + (" ".join(reflection.support_needed.split()) or "—"),
                  "", "**Barriers:** " + (" ".join(reflection.barriers.split()) or "—"), ""]
        filled = [r for r in rows if r.ideal.strip() or r.current.strip() or r.actions.strip()]
        if filled:
            lines += ["| Task type | Ideal % | Current % | Actions |", "|---|---:|---:|---|"]
            lines += [f"| {r.task_type} | {r.ideal} | {r.current} | "
                      f"{' '.join(r.actions.split())} |" for r in filled]
            lines.append("")
    return "\n".join(lines)
