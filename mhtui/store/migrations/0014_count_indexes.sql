-- Made by `python3 -m mhtui.store.database.schema_files` from revision 0014_count_indexes's operations: do not edit.
CREATE INDEX ix_action_live_counts ON action (team_id, deleted_at, status, coalesce(due_on, '9999-12-31'), due_on);

DROP INDEX ix_action_live_search;

CREATE INDEX ix_action_live_search ON action (team_id, deleted_at, status, coalesce(due_on, '9999-12-31'), due_on, search);

CREATE INDEX ix_actionevent_meeting_id ON actionevent (meeting_id) WHERE meeting_id IS NOT NULL;

