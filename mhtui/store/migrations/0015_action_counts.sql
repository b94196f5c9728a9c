-- Made by `python3 -m mhtui.store.database.schema_files` from revision 0015_action_counts's operations: do not edit.
CREATE TABLE action_count (
    team_id INTEGER NOT NULL, 
    status VARCHAR NOT NULL, 
    due VARCHAR NOT NULL, 
    n INTEGER NOT NULL, 
    PRIMARY KEY (team_id, status, due)
)
 WITHOUT ROWID;

CREATE TRIGGER action_count_insert AFTER INSERT ON action BEGIN INSERT INTO action_count (team_id, status, due, n) SELECT new.team_id, new.status, coalesce(new.due_on, '9999-12-31'), 1 WHERE new.deleted_at IS NULL ON CONFLICT (team_id, status, due) DO UPDATE SET n = n + excluded.n; END;

CREATE TRIGGER action_count_delete AFTER DELETE ON action BEGIN INSERT INTO action_count (team_id, status, due, n) SELECT old.team_id, old.status, coalesce(old.due_on, '9999-12-31'), -1 WHERE old.deleted_at IS NULL ON CONFLICT (team_id, status, due) DO UPDATE SET n = n + excluded.n; END;

CREATE TRIGGER action_count_update AFTER UPDATE OF team_id, status, due_on, deleted_at ON action BEGIN INSERT INTO action_count (team_id, status, due, n) SELECT old.team_id, old.status, coalesce(old.due_on, '9999-12-31'), -1 WHERE old.deleted_at IS NULL ON CONFLICT (team_id, status, due) DO UPDATE SET n = n + excluded.n; INSERT INTO action_count (team_id, status, due, n) SELECT new.team_id, new.status, coalesce(new.due_on, '9999-12-31'), 1 WHERE new.deleted_at IS NULL ON CONFLICT (team_id, status, due) DO UPDATE SET n = n + excluded.n; END;

