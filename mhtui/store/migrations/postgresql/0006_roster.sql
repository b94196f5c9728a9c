-- Schema version 6 on PostgreSQL (0006_roster.sql for SQLite): the roster, who came to
-- a check-in, and one calendar UID per team (made now for teams from before).
ALTER TABLE staff ADD COLUMN active BOOLEAN DEFAULT true NOT NULL;
ALTER TABLE meetingattendee ADD COLUMN present BOOLEAN DEFAULT true NOT NULL;
ALTER TABLE team ADD COLUMN calendar_uid VARCHAR DEFAULT '' NOT NULL;
UPDATE team SET calendar_uid = replace(gen_random_uuid()::text, '-', '') || '@mhtui' WHERE calendar_uid = '';
