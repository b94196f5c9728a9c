-- Schema version 10, PostgreSQL only (SQLite has no limit on an index row, and its
-- file 0010_bounded_action_indexes.sql changes nothing): no text, however long, may
-- make an action too large for its indexes. A btree entry holds at most 2704 bytes, so
-- an action of 20,000 characters was refused ("index row requires 9960 bytes").
-- The folded text leaves the filter's index: ix_action_live_status (team, status, due)
-- is what is left of it, so it is dropped rather than kept twice.
DROP INDEX ix_action_live_search;
-- The owner index holds the first 200 characters of the owner, in the expression the
-- tracker's owner sort uses on PostgreSQL (sql.OWNER_ORDER_PG: lower() in the "C"
-- collation), so that sort walks it; before, lower(owner) matched no query.
DROP INDEX ix_action_live_owner;
CREATE INDEX ix_action_live_owner ON action (team_id, (owner = ''), (lower(left(owner, 200) COLLATE "C")), (coalesce(due_on, '9999-12-31')), id) WHERE deleted_at IS NULL;
