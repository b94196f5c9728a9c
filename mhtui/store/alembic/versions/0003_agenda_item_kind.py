"""Schema version 3: each agenda item knows which part of the check-in it is.

Runs migrations/0003_agenda_item_kind.sql on SQLite and its twin in migrations/postgresql/ on
PostgreSQL. Frozen: never edit a released revision; add the next number.
"""

from __future__ import annotations

from mhtui.store.alembic.steps import forward_only, run_sql

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(revision)


downgrade = forward_only
