"""Schema version 15, SQLite only: the team's live actions counted by status and due day,
kept by triggers, so a count does not grow with the actions (issue 26).

SQLite counts an index range one entry at a time: the dashboard's counts by status and
overdue, and the tracker's and the review's "of N", walked 60,000-100,000 index entries
(12 and 5 ms at 100,000 actions, every time the dashboard or the tracker is shown).
``action_count`` holds how many live actions each team has of each status due on each
day (undated ones on '9999-12-31', as DUE_LAST in store/sql.py), kept by triggers on
action, so every writer (the app, the command line, a sync, the sqlite3 shell) keeps it
right; a count is then a sum over at most five rows a calendar day, however many
actions those days hold. A count with a filter's words or an owner still reads the
index on action.

Not on PostgreSQL: it counts through index-only scans there, and a shared counter row
would make every laptop's write to the same team and day wait on the others'; nor in
models.py (the ORM never writes it; stores read it through action_list and dashboard).

Frozen once released; its SQLite file in migrations/ is made from this by
`python3 -m mhtui.store.database.schema_files`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mhtui.store.alembic.steps import forward_only

revision = "0015"
down_revision: str | None = "0014"
branch_labels = None
depends_on = None

def _add(row: str, step: str) -> str:
    """Count the live ``row`` (new or old) ``step`` (+1 or -1) under its key."""
    return (f"INSERT INTO action_count (team_id, status, due, n) SELECT {row}.team_id, "
            f"{row}.status, coalesce({row}.due_on, '9999-12-31'), {step} WHERE "
            f"{row}.deleted_at IS NULL ON CONFLICT (team_id, status, due) DO UPDATE SET "
            "n = n + excluded.n;")


def upgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    op.create_table(
        "action_count",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("due", sa.String(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "status", "due"),
        sqlite_with_rowid=False)
    op.execute("CREATE TRIGGER action_count_insert AFTER INSERT ON action BEGIN "
               f"{_add('new', '1')} END")
    op.execute("CREATE TRIGGER action_count_delete AFTER DELETE ON action BEGIN "
               f"{_add('old', '-1')} END")
    op.execute("CREATE TRIGGER action_count_update AFTER UPDATE OF team_id, status, due_on, "
               f"deleted_at ON action BEGIN {_add('old', '-1')} {_add('new', '1')} END")
    if not op.get_context().as_sql:  # a new file has no actions to count
        op.execute("INSERT INTO action_count (team_id, status, due, n) SELECT team_id, "
                   "status, coalesce(due_on, '9999-12-31'), count(*) FROM action "
                   "WHERE deleted_at IS NULL GROUP BY 1, 2, 3")


downgrade = forward_only
