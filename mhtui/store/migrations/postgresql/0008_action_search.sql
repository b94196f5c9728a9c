-- Schema version 8 on PostgreSQL (0008_action_search.sql for SQLite): each action's
-- text and owner folded for the filter, and its index. The revision (alembic/versions/
-- 0008_action_search.py) fills the column for existing rows in Python afterwards, with
-- the store's own folding (PostgreSQL has no mh_search_key).
ALTER TABLE action ADD COLUMN search VARCHAR DEFAULT '' NOT NULL;
CREATE INDEX ix_action_live_search ON action (team_id, status, (coalesce(due_on, '9999-12-31')), search) WHERE deleted_at IS NULL;
