"""Schema version 5: the check-in clock's settings: a team's warning and bell, when the clock was
last seen running, and the clock's figure before a correction by hand.

Runs migrations/0005_clock_settings.sql on SQLite and its twin in migrations/postgresql/ on
PostgreSQL. Frozen: never edit a released revision; add the next number.
"""

from __future__ import annotations

from mhtui.store.alembic.steps import forward_only, run_sql

revision = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(revision)


downgrade = forward_only
