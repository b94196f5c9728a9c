-- Schema version 7 on PostgreSQL (0007_reflection_revision.sql for SQLite): a
-- reflection's revision and the kind of its author's role; roles lose outer spaces.
ALTER TABLE reflection ADD COLUMN revision INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE reflection ADD COLUMN role_kind VARCHAR DEFAULT '' NOT NULL;
UPDATE reflection SET role_name = trim(role_name);
