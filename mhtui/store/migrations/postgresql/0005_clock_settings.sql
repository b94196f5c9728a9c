-- Schema version 5 on PostgreSQL (0005_clock_settings.sql for SQLite, which says what
-- each column is for): the check-in clock's settings.
ALTER TABLE team ADD COLUMN warn_minutes INTEGER;
ALTER TABLE team ADD COLUMN bell BOOLEAN DEFAULT false NOT NULL;
ALTER TABLE meeting ADD COLUMN seen_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE meetingitem ADD COLUMN spent_by_clock FLOAT;
