"""Schema version 4: staff, agenda template items and task categories get a version, so a stale
edit of one is refused like any other.

Runs migrations/0004_edit_versions.sql on SQLite and its twin in migrations/postgresql/ on
PostgreSQL. Frozen: never edit a released revision; add the next number.
"""

from __future__ import annotations

from mhtui.store.alembic.steps import forward_only, run_sql

revision = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(revision)


downgrade = forward_only
