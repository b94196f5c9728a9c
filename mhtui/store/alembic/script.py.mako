"""Schema version ${int(up_revision)}: ${message}

Runs migrations/${up_revision}_*.sql on SQLite and migrations/postgresql/${up_revision}_*.sql
on PostgreSQL (either may be absent: nothing changes there). Frozen once released.
"""

from __future__ import annotations

from mhtui.store.alembic.steps import forward_only, run_sql

revision = "${up_revision}"
down_revision: str | None = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(revision)


downgrade = forward_only
