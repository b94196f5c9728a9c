"""Schema version 8: each action's text and owner folded for the filter, in a column of its own
with an index beside team, status and due date.

Runs migrations/0008_action_search.sql on SQLite and its twin in migrations/postgresql/ on
PostgreSQL. Frozen: never edit a released revision; add the next number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alembic import op
from sqlalchemy import text

from mhtui.core.folding import search_key
from mhtui.store.alembic.steps import forward_only, run_sql

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

revision = "0008"
down_revision: str | None = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(revision)
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":  # SQLite's file calls mh_search_key itself
        _fill_search(bind)


def _fill_search(bind: Connection) -> None:
    """Every existing action's folded text, computed here in Python: PostgreSQL has no
    mh_search_key, and the folding must be exactly the one the store writes."""
    rows = bind.execute(text("SELECT id, text, owner FROM action")).all()
    update = text("UPDATE action SET search = :search WHERE id = :id")
    for start in range(0, len(rows), 1000):
        bind.execute(update, [{"id": row.id, "search": search_key(row.text, row.owner)}
                              for row in rows[start:start + 1000]])


downgrade = forward_only
