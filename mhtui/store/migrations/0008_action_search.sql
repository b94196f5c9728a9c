-- Schema version 9: each action's text and owner folded for the filter (case beyond
-- ASCII and accents set aside, mhtui/core/folding.py), in a column of its own that the
-- store fills on every write, and an index holding it beside the team, status and due
-- date, so a filter in any view reads that index instead of every row. mh_search_key
-- is mhtui's own function, registered on the connection that runs this ladder.
ALTER TABLE action ADD COLUMN search VARCHAR DEFAULT '' NOT NULL;
UPDATE action SET search = mh_search_key(text, owner);
CREATE INDEX ix_action_live_search ON action (team_id, status, coalesce(due_on, '9999-12-31'), search) WHERE deleted_at IS NULL;
