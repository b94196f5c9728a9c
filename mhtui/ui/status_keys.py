"""The status keys 1-5, one implementation for the tracker and the check-in's review:
their bindings, the write, and the line that says what it did.

The write runs in a thread the key's handler waits for: on a server a transient failure
is tried again after a pause (store/database/db.py), which must not freeze the screen, while the
next key still waits for this one to land (the handler has not returned).
"""

from __future__ import annotations

import asyncio
from functools import partial

from textual.binding import Binding

from mhtui.core.clock import Clock
from mhtui.core.statuses import Status
from mhtui.store.actions import actions
from mhtui.store.actions.actions import ActionItem
from mhtui.store.database.db import Database


def bindings(screen: str, *, priority: bool = False) -> list[Binding]:
    """1-5 as bindings of ``screen`` (ids "<screen>.status_<key>", for the keymap)."""
    return [Binding(s.key, f"status({s.key})", f"Status: {s.value}",
                    id=f"{screen}.status_{s.key}", show=False, priority=priority)
            for s in Status]


def status_of(key: str) -> Status:
    return list(Status)[int(key) - 1]


async def set_status(db: Database, action: ActionItem, status: Status, clock: Clock,
                     meeting_id: int | None = None) -> tuple[ActionItem, str]:
    """Write ``status`` on ``action`` (the version shown); the row as saved and the line
    to say. Raises ConflictError when someone else changed it meanwhile."""
    saved = await asyncio.to_thread(partial(actions.set_status, db, action.id,
                                            action.version, status, clock,
                                            meeting_id=meeting_id))
    return saved, f"Saved: #{saved.id} is now {status.symbol} {status.value}."
