"""Undo and redo for the grid's edits, step by step, through the same versioned writes.

A step says what was written (a cell, a task's mark, a role's constrained mark, a row or
role moved or renamed) and is undone by the opposite write, based on the grid as the screen holds
it now: if another copy of the app changed that cell or row meanwhile, the undo is
refused like any stale edit (ConflictError) and the step is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mhtui.store import grid_edit
from mhtui.store.conflict import ConflictError, changed
from mhtui.store.db import Database
from mhtui.store.grid import GridData

Kind = Literal["cell", "mark", "constrained", "move", "rename"]


@dataclass(frozen=True)
class GridStep:
    kind: Kind
    words: str  # what the step did, for "Undone: ..."
    task_id: int = 0
    role_id: int = 0
    before: str | None = None  # a cell's value or a name before; a mark's name
    after: str | None = None  # a cell's value or a name after
    move_kind: str = ""  # "task", "category" or "role" moved or renamed
    move_id: int = 0
    step: int = 0


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


def apply(db: Database, data: GridData, step: GridStep, forward: bool) -> None:
    """Write ``step`` again (``forward``) or its opposite, based on ``data``."""
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
        step = self.done.pop()
        apply(db, data, step, forward=False)
        self.undone.append(step)
        return step

    def redo(self, db: Database, data: GridData) -> GridStep | None:
        if not self.undone:
            return None
        step = self.undone.pop()
        apply(db, data, step, forward=True)
        self.done.append(step)
        return step
