"""Actions in and out of the database for the command line's export and import.

The export is read row by row (``export_rows``), so 100,000 actions never sit in memory
at once; the import adds new rows in batches and hands rows with an ID to action_sync.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, insert, literal
from sqlalchemy import select as core_select
from sqlmodel import col, select

from mhtui.core.clock import Clock
from mhtui.core.csv_actions import CODECS, COLUMNS, HEADERS, KEY, ActionRow, ExportRow
from mhtui.core.folding import search_key
from mhtui.store.actions import action_sync
from mhtui.store.actions.actions import ActionItem
from mhtui.store.database.db import Database
from mhtui.store.models import Action, ActionEvent, ShiftPlan, Task


def as_row(action: ActionItem) -> ActionRow:
    return ActionRow.of(action)


IMPORT_BATCH = 500


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_there: int
    updated: int = 0  # rows with an ID that changed their action
    unchanged: int = 0  # rows with an ID that match their action as it is
    conflicts: list[str] = field(default_factory=list)  # rows with an ID not applied
    kept: list[int] = field(default_factory=list)  # fields "?" only by the file's encoding
    missing: list[int] = field(default_factory=list)  # live actions the file has no row for


def import_rows(db: Database, team_id: int, rows: Iterable[ActionRow], clock: Clock, *,
                dry_run: bool = False, columns: frozenset[str] = frozenset(HEADERS),
                encoding: str = "UTF-8") -> ImportResult:
    """Update the team's actions the rows name by ID (only the ``columns`` the file has),
    and add the other rows not already in the team; all in one transaction (or none,
    dry run). ``encoding`` is the file's (csv_actions.decoded): an action is already
    there also when the file holds it with "?" for the letters that encoding lacks."""
    added = already = 0
    codec = CODECS.get(encoding, "utf-8")
    with db.write() as session:
        synced = action_sync.apply(session, team_id, rows, columns, clock, encoding)
        rows = synced.new_rows
        existing = {tuple(key) for key in session.execute(
            core_select(*(col(getattr(Action, c.attr)) for c in KEY))
            .where(col(Action.team_id) == team_id, col(Action.deleted_at).is_(None)))}
        if codec != "utf-8":  # each action also as such a file holds it
            existing |= {tuple(v.encode(codec, "replace").decode(codec)
                               if isinstance(v, str) else v for v in key)
                         for key in existing}
        now = clock.now()
        first_new = (session.exec(select(func.max(Action.id))).one() or 0) + 1
        batch: list[dict[str, object]] = []
        for given in rows:
            row = given.tidied()
            if row.key in existing:
                already += 1
                continue
            existing.add(row.key)
            added += 1
            if not dry_run:
                batch.append({"team_id": team_id, **row.values(), "updated_at": now,
                              "version": 1,
                              # Core inserts pass by the ORM's listener that folds it
                              # (store/search.py): without it the filter never found them.
                              "search": search_key(row.text, row.owner)})
            if len(batch) >= IMPORT_BATCH:
                # Core executemany: adding ORM objects one at a time cost 1 ms a row.
                session.execute(insert(Action), batch)
                batch.clear()
        if batch:
            session.execute(insert(Action), batch)
        if added and not dry_run:
            # Every new row's "created" line in one statement; the write lock is held,
            # so the new ids are exactly those above the old largest.
            session.execute(
                insert(ActionEvent).from_select(
                    ["action_id", "at", "kind", "field", "old_value", "new_value"],
                    core_select(col(Action.id), literal(now), literal("created"),
                           literal("import"), literal(""), col(Action.text))
                    .where(col(Action.id) >= first_new)))
        if dry_run:
            session.rollback()
    return ImportResult(added=added, already_there=already, updated=synced.updated,
                        unchanged=synced.unchanged, conflicts=synced.conflicts,
                        kept=synced.kept, missing=synced.missing)


EXPORT_BATCH = 2000


def plan_tasks(db: Database, plan_ids: Iterable[int]) -> dict[int, str]:
    """The task each of these shift plans shifts, by plan id (the name the export gives)."""
    wanted = sorted(set(plan_ids))
    if not wanted:
        return {}
    with db.read() as session:
        rows = session.execute(
            core_select(col(ShiftPlan.id), col(Task.name))
            .join(Task, col(Task.id) == col(ShiftPlan.task_id))
            .where(col(ShiftPlan.id).in_(wanted))).all()
    return {plan: task for plan, task in rows}


def export_rows(db: Database, team_id: int) -> Iterator[ExportRow]:
    """The team's live actions, oldest first, read from SQLite a batch at a time."""
    query = (
        core_select(col(Action.id), col(Action.version),
                    *(col(getattr(Action, c.attr)) for c in COLUMNS),
                    col(Action.meeting_id), col(Action.shift_plan_id), col(Task.name))
        .outerjoin(ShiftPlan, col(ShiftPlan.id) == col(Action.shift_plan_id))
        .outerjoin(Task, col(Task.id) == col(ShiftPlan.task_id))
        .where(col(Action.team_id) == team_id, col(Action.deleted_at).is_(None))
        .order_by(col(Action.created_on), col(Action.id))
    )
    with db.read() as session:
        # Core rows straight from the connection: the ORM's row loading cost a third.
        result = session.connection().execute(
            query.execution_options(yield_per=EXPORT_BATCH))
        yield from map(ExportRow._make, result)
