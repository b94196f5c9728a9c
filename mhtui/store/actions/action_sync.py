"""An edited export coming back: rows carrying an action's ID update that action.

Only the columns the file holds are compared (a file without an owner column leaves
owners alone), and only those csv_actions.COLUMNS marks synced (text, status, owner, due
date): the created date and the links stay as the app keeps them. Each change goes
through the same version check as a key in the tracker (conflict.claim) and leaves a
line in the action's history, as if typed. A row whose action changed in the app since
the export (its Version column is older), or was deleted, is not applied: it is reported
as a conflict and the rest go on.
A row whose ID is not an action of this team is handed back to be added as a new action
(a file moved from another database).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from mhtui.core.clock import Clock
from mhtui.core.csv_actions import COLUMNS, ID, TEXT, ActionRow, lost_only
from mhtui.core.tidy import tidy
from mhtui.store.actions.actions import ConflictError, server_writes_status
from mhtui.store.database import conflict
from mhtui.store.models import Action, ActionEvent

_LOOKUP = 500  # ids per SELECT ... IN (...)


@dataclass
class SyncResult:
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    new_rows: list[ActionRow] = field(default_factory=list)  # to be added
    # Actions whose text or owner the file holds only with "?" for letters its encoding
    # lacks: kept as stored, by number.
    kept: list[int] = field(default_factory=list)
    # The team's live actions the file (an export, with IDs) has no row for: nothing is
    # deleted, they are named.
    missing: list[int] = field(default_factory=list)


_SYNCED = tuple(c for c in COLUMNS if c.synced)


def _wanted(row: ActionRow, stored: Any, columns: frozenset[str], encoding: str
            ) -> tuple[dict[str, object], bool]:
    """What the row changes in the action ({attribute: new value}), and whether a field
    was kept as stored for differing only by letters the file's encoding lacks."""
    wanted: dict[str, object] = {}
    kept = False
    for c in _SYNCED:
        if c.header not in columns:
            continue
        new, old = getattr(row, c.attr), getattr(stored, c.attr)
        if c.kind == "status":
            new = new.value
        elif c.kind == "text":
            new = tidy(new).strip()
            if lost_only(old, new, encoding):
                kept = True
                continue
            if not new and c.header == TEXT:  # every action keeps a description
                continue
        if new != old:
            wanted[c.attr] = new
    return wanted, kept


def _words(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def apply(session: Session, team_id: int, rows: Iterable[ActionRow], columns: frozenset[str],
          clock: Clock, encoding: str = "UTF-8") -> SyncResult:
    """Apply the rows with an ID in ``session`` (the import's one transaction); the file
    was read as ``encoding`` (csv_actions.decoded)."""
    result = SyncResult()
    rows = list(rows)
    ids = sorted({r.action_id for r in rows if r.action_id is not None})
    # Rows named by their columns: the synced ones, and what the checks below read.
    stored: dict[int, Any] = {}
    for start in range(0, len(ids), _LOOKUP):
        for found in session.execute(
            select(col(Action.id), col(Action.version), col(Action.deleted_at),
                   *(col(getattr(Action, c.attr)) for c in _SYNCED))
            .where(col(Action.team_id) == team_id,
                   col(Action.id).in_(ids[start:start + _LOOKUP]))
        ):
            stored[found.id] = found
    seen: set[int] = set()
    now = clock.now()
    for row in rows:
        current = stored.get(row.action_id) if row.action_id is not None else None
        if current is None:
            result.new_rows.append(row)
            continue
        if current.id in seen:
            result.conflicts.append(f"#{current.id}: in the file twice; the first row was "
                                    "used.")
            continue
        seen.add(current.id)
        wanted, kept = _wanted(row, current, columns, encoding)
        if kept:
            result.kept.append(current.id)
        if not wanted:
            result.unchanged += 1
            continue
        if current.deleted_at is not None:
            result.conflicts.append(f"#{current.id}: deleted in mhtui since the export; "
                                    "not changed.")
            continue
        if row.version is not None and row.version != current.version:
            due = current.due_on.isoformat() if current.due_on else "no date"
            result.conflicts.append(
                f"#{current.id}: changed in mhtui since the export (version {row.version}, "
                f"now {current.version}); not changed. Now: {current.status}, owner "
                f"{current.owner or '(none)'}, due {due}.")
            continue
        by_server = server_writes_status(session)
        action = conflict.claim(session, Action, current.id, current.version, ConflictError,
                                updated_at=now, **wanted)
        for name, value in wanted.items():
            old = getattr(current, name)
            if name == "status" and by_server:
                continue
            if name == "status":
                session.add(ActionEvent(action_id=current.id, at=now, kind="status",
                                        field="status", old_value=str(old),
                                        new_value=str(value)))
            else:
                session.add(ActionEvent(action_id=current.id, at=now, kind="edit",
                                        field="due" if name == "due_on" else name,
                                        old_value=_words(old), new_value=_words(value)))
        assert action.id == current.id
        result.updated += 1
    if ID in columns:
        result.missing = [number for (number,) in session.execute(
            select(col(Action.id)).where(col(Action.team_id) == team_id,
                                         col(Action.deleted_at).is_(None))
            .order_by(col(Action.id))) if number not in stored]
    return result
