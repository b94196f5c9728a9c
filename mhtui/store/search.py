"""Keeps each action's folded ``search`` column (core/folding.py) true to its text and
owner: every action the ORM inserts or changes is folded again as it is flushed, so
creating, editing, importing, undoing and the demo all fill it without knowing.

Imported by store/database/db.py: it holds for every session of the app and the
command line.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from mhtui.core.folding import search_key
from mhtui.core.tidy import tidy
from mhtui.store.models import Action


@event.listens_for(Session, "before_flush")
def _fold_actions(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Action):
            # tidy(): the same text the database keeps, whichever listener runs first.
            key = search_key(tidy(obj.text), tidy(obj.owner))
            if obj.search != key:
                obj.search = key
