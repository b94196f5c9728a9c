"""Schema version 7: a reflection's revision and the kind of its author's role; roles trimmed.

Runs migrations/0007_reflection_revision.sql on SQLite and its twin in migrations/postgresql/ on
PostgreSQL. Frozen: never edit a released revision; add the next number.
"""

from __future__ import annotations

from mhtui.store.alembic.steps import forward_only, run_sql

revision = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(revision)


downgrade = forward_only
