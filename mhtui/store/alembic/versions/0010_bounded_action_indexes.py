"""Schema version 10, PostgreSQL only: no text, however long, makes an action too large
for its indexes.

A PostgreSQL btree entry holds at most 2704 bytes: an action of 20,000 characters was
refused because ix_action_live_search held its whole folded text, and a long owner the
same in ix_action_live_owner. On PostgreSQL the folded text leaves the btree (the filter
reads ix_action_live_status, which is that index without it, and checks the words on
the row), and the owner index holds the first 200 characters of the owner in the
expression the tracker's owner sort uses there (sql.OWNER_ORDER_PG), so the sort walks
it. SQLite, with no such limit, keeps its indexes: its file changes nothing, and the
file's user_version follows the revision as always.

Runs migrations/0010_bounded_action_indexes.sql on SQLite (comments only) and its twin in
migrations/postgresql/ on PostgreSQL. Frozen: never edit a released revision; add the
next number.
"""

from __future__ import annotations

from mhtui.store.alembic.steps import forward_only, run_sql

revision = "0010"
down_revision: str | None = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(revision)


downgrade = forward_only
