"""Undo and redo for the tracker, step by step, through the same versioned writes.

An undo is an ordinary change: if another copy of the app changed the action since,
the undo is refused like any other stale edit, and the step is dropped.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from mhtui.core.clock import Clock
from mhtui.core.statuses import Status
from mhtui.store.actions import actions
from mhtui.store.actions.actions import ActionItem, Fields
from mhtui.store.database.db import Database

Kind = Literal["status", "edit", "create", "delete"]


@dataclass
class Step:
    action_id: int
    kind: Kind
    version: int  # the row's version once this step was written
    before: Status | Fields | None = None
    after: Status | Fields | None = None

    def describe(self) -> str:
        if self.kind == "status":
            return f"status {self.before} → {self.after}"
        return {"edit": "edit", "create": "new action", "delete": "deletion"}[self.kind]


def fields_of(action: ActionItem) -> Fields:
    """What a person edits, as the action holds it: a field added to Fields comes along."""
    return Fields(**{f.name: getattr(action, f.name) for f in dataclasses.fields(Fields)})


class UndoStack:
    def __init__(self) -> None:
        self.done: list[Step] = []
        self.undone: list[Step] = []
        # The version this session last wrote to each action: later steps on the same
        # action move it on, so an older step must be applied against the newest one.
        self.versions: dict[int, int] = {}

    def record(self, step: Step) -> None:
        self.done.append(step)
        self.undone.clear()
        self.versions[step.action_id] = step.version

    def _apply(self, db: Database, clock: Clock, step: Step, forward: bool) -> ActionItem:
        value = step.after if forward else step.before
        version = self.versions.get(step.action_id, step.version)
        if step.kind == "status":
            assert isinstance(value, Status)
            return actions.set_status(db, step.action_id, version, value, clock)
        if step.kind == "edit":
            assert isinstance(value, Fields)
            return actions.edit(db, step.action_id, version, value, clock)
        removing = (step.kind == "create") != forward
        if removing:
            return actions.delete(db, step.action_id, version, clock)
        return actions.restore(db, step.action_id, version, clock)

    def _move(self, db: Database, clock: Clock, source: list[Step], target: list[Step],
              forward: bool) -> tuple[Step, ActionItem]:
        # On ConflictError the step is already popped: the action moved on elsewhere,
        # so this step can no longer be taken back, and it is dropped.
        step = source.pop()
        action = self._apply(db, clock, step, forward)
        step.version = self.versions[step.action_id] = action.version
        target.append(step)
        return step, action

    def undo(self, db: Database, clock: Clock) -> tuple[Step, ActionItem]:
        """Take back the last change; IndexError when there is none."""
        return self._move(db, clock, self.done, self.undone, forward=False)

    def redo(self, db: Database, clock: Clock) -> tuple[Step, ActionItem]:
        return self._move(db, clock, self.undone, self.done, forward=True)
