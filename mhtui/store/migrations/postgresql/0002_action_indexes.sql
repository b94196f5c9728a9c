-- Schema version 2 on PostgreSQL (0002_action_indexes.sql for SQLite): the tracker's
-- indexes, partial (live actions only); PostgreSQL wants each expression in parentheses.
DROP INDEX ix_action_created_on;
DROP INDEX ix_action_status;
DROP INDEX ix_action_due_on;
CREATE INDEX ix_action_live_due ON action (team_id, (coalesce(due_on, '9999-12-31')), id) WHERE deleted_at IS NULL;
CREATE INDEX ix_action_live_status ON action (team_id, status, (coalesce(due_on, '9999-12-31'))) WHERE deleted_at IS NULL;
CREATE INDEX ix_action_live_created ON action (team_id, created_on, id) WHERE deleted_at IS NULL;
CREATE INDEX ix_action_live_rank ON action (team_id, (CASE status WHEN 'not started' THEN 1 WHEN 'in progress' THEN 2 WHEN 'blocked or behind schedule' THEN 3 WHEN 'abandoned' THEN 4 WHEN 'completed' THEN 5 ELSE 9 END), (coalesce(due_on, '9999-12-31')), id) WHERE deleted_at IS NULL;
CREATE INDEX ix_action_live_owner ON action (team_id, (owner = ''), (lower(owner)), (coalesce(due_on, '9999-12-31')), id) WHERE deleted_at IS NULL;
