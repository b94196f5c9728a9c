-- Schema version 4 on PostgreSQL (0004_edit_versions.sql for SQLite): staff, agenda
-- template items and task categories get a version; existing rows start at 1.
ALTER TABLE staff ADD COLUMN version INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE agendatemplateitem ADD COLUMN version INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE taskcategory ADD COLUMN version INTEGER DEFAULT 1 NOT NULL;
