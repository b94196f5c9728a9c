-- Schema version 4: the last rows people edit without a version get one, so a change
-- based on a stale copy of a staff member, an agenda template item or a task category
-- is refused like any other (store/conflict.py). Existing rows start at version 1.
ALTER TABLE staff ADD COLUMN version INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE agendatemplateitem ADD COLUMN version INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE taskcategory ADD COLUMN version INTEGER DEFAULT 1 NOT NULL;
