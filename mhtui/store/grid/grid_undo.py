"""Undo and redo for the grid's edits, step by step, through the same versioned writes.

A step says what was written (a cell, a task's mark, a role's constrained mark, a row or
role moved, renamed, added or deleted) and is undone by the opposite write, based on the
grid as the screen holds it now: if another copy of the app changed that cell or row
meanwhile, the undo is refused like any stale edit (ConflictError) and the step is
dropped. A deleted role, category or task comes back whole (grid_edit.Removed: its cells,
marks, tasks, shift plans, place and ids); an added one is deleted again, and its redo
puts back the same row.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from mhtui.store.database.conflict import ConflictError, changed
from mhtui.store.database.db import Database
from mhtui.store.grid import grid_edit
from mhtui.store.grid.grid import GridData

Kind = Literal["cell", "mark", "constrained", "move", "rename", "add", "delete"]


@dataclass(frozen=True)
class GridStep:
    kind: Kind
    words: str  # what the step did, for "Undone: ..."
    task_id: int = 0
    role_id: int = 0
    before: str | None = None  # a cell's value or a name before; a mark's name
    after: str | None = None  # a cell's value or a name after
    move_kind: str = ""  # "task", "category" or "role" moved, renamed, added or deleted
    move_id: int = 0
    step: int = 0
    removed: grid_edit.Removed | None = None  # what a delete took (an add: once undone)


def _version(data: GridData, kind: str, item_id: int) -> int:
    if kind == "role":
        found = next((r.version for r in data.roles if r.id == item_id), None)
    elif kind == "category":
        found = next((c.version for c, _ in data.categories if c.id == item_id), None)
    else:
        found = next((t.version for _, ts in data.categories for t in ts if t.id == item_id),
                     None)
    if found is None:
        raise ConflictError(f"Not undone: the {kind} was deleted meanwhile.")
    return found


def _take(db: Database, data: GridData, step: GridStep, cells: int) -> GridStep:
    """Delete the step's item again (still with ``cells`` assessed cells); the step then
    holds what went."""
    removed = grid_edit.remove(db, step.move_kind, step.move_id,
                               _version(data, step.move_kind, step.move_id), cells=cells)
    return replace(step, removed=removed)


def apply(db: Database, data: GridData, step: GridStep, forward: bool) -> GridStep:
    """Write ``step`` again (``forward``) or its opposite, based on ``data``; returns the
    step as it now stands (a delete's step holds what the newest delete took)."""
    if step.kind in ("add", "delete"):
        put_back = forward == (step.kind == "add")
        if put_back:
            assert step.removed is not None
            grid_edit.restore(db, step.removed)
            return step
        # An add is undone only while its item has no cells (a cell set elsewhere is
        # kept); a delete is redone only if the item has the cells it had.
        return _take(db, data, step,
                     0 if step.kind == "add" or step.removed is None
                     else len(step.removed.cells))
    if step.kind == "cell":
        key = (step.task_id, step.role_id)
        expected, value = (step.before, step.after) if forward else (step.after, step.before)
        if data.cells.get(key) != expected:
            raise ConflictError(changed("that cell", data.cells.get(key) or "not assessed"))
        grid_edit.set_cell(db, step.task_id, step.role_id, value, data.stamps.get(key))
    elif step.kind == "mark":
        assert step.before is not None
        grid_edit.toggle_task_mark(db, step.task_id, _version(data, "task", step.task_id),
                                   step.before)
    elif step.kind == "constrained":
        grid_edit.toggle_constrained(db, step.role_id, _version(data, "role", step.role_id))
    elif step.kind == "rename":
        name = step.after if forward else step.before
        assert name is not None
        grid_edit.rename(db, step.move_kind, step.move_id,
                         _version(data, step.move_kind, step.move_id), name)
    else:
        grid_edit.move(db, step.move_kind, step.move_id,
                       _version(data, step.move_kind, step.move_id),
                       step.step if forward else -step.step)
    return step


class GridUndo:
    def __init__(self) -> None:
        self.done: list[GridStep] = []
        self.undone: list[GridStep] = []

    def record(self, step: GridStep) -> None:
        self.done.append(step)
        self.undone.clear()

    def undo(self, db: Database, data: GridData) -> GridStep | None:
        """Undo the newest step; None when there is none. A refused step is dropped."""
        if not self.done:
            return None
        step = apply(db, data, self.done.pop(), forward=False)
        self.undone.append(step)
        return step

    def redo(self, db: Database, data: GridData) -> GridStep | None:
        if not self.undone:
            return None
        step = apply(db, data, self.undone.pop(), forward=True)
        self.done.append(step)
        return step
