-- Schema version 6: a team's roster and who came. A staff member can be deactivated
-- (history keeps the name; invitations and attendance leave them out); an attendee row
-- says whether the person was there, so the minutes name who attended and who did not;
-- a team keeps one calendar UID for its check-in series, so a re-sent invitation updates
-- the event in people's calendars instead of adding a second one.
ALTER TABLE staff ADD COLUMN active BOOLEAN DEFAULT 1 NOT NULL;
ALTER TABLE meetingattendee ADD COLUMN present BOOLEAN DEFAULT 1 NOT NULL;
ALTER TABLE team ADD COLUMN calendar_uid VARCHAR DEFAULT '' NOT NULL;
-- Teams made before this version get theirs now: reading an invitation never writes.
UPDATE team SET calendar_uid = lower(hex(randomblob(16))) || '@mhtui' WHERE calendar_uid = '';
