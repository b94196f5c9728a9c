"""Schema version 14: counts of actions and a check-in's status changes read an index only.

Counting a team's live actions (the dashboard's by status and overdue, the tracker's and
the review's "of N") looked up every row for deleted_at: SQLite does not count through a
partial index alone. ix_action_live_counts holds deleted_at, and due_on beside the due
expression, so each count reads the index alone (a covering index on SQLite 3.40, which
takes an expression's column from the index only when the column itself is there; an
index-only scan on PostgreSQL). On SQLite the filter's index (the folded text) becomes
that index with the text after it, so a filter's count reads it alone too, rather than
the new one and every row's text. The review finds the actions whose status changed in the
check-in by actionevent.meeting_id, which read every event: ix_actionevent_meeting_id
makes that a lookup.

Alembic operations, run on SQLite and PostgreSQL alike; its SQLite file in migrations/
is made from them by `python3 -m mhtui.store.database.schema_files`. Frozen once released.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mhtui.store.alembic.steps import forward_only

revision = "0014"
down_revision: str | None = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    due = sa.text("coalesce(due_on, '9999-12-31')")
    counted: list[str | sa.TextClause] = ["team_id", "deleted_at", "status", due, "due_on"]
    op.create_index("ix_action_live_counts", "action", counted)
    if op.get_context().dialect.name == "sqlite":  # PostgreSQL has no such index (0010)
        op.drop_index("ix_action_live_search", "action")
        op.create_index("ix_action_live_search", "action", [*counted, "search"])
    op.create_index("ix_actionevent_meeting_id", "actionevent", ["meeting_id"],
                    sqlite_where=sa.text("meeting_id IS NOT NULL"),
                    postgresql_where=sa.text("meeting_id IS NOT NULL"))


downgrade = forward_only
