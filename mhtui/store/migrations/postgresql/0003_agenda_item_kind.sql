-- Schema version 3 on PostgreSQL (0003_agenda_item_kind.sql for SQLite): each agenda
-- item knows which part of the check-in it is; existing items take it from their position.
ALTER TABLE agendatemplateitem ADD COLUMN kind VARCHAR DEFAULT 'other' NOT NULL;
ALTER TABLE meetingitem ADD COLUMN kind VARCHAR DEFAULT 'other' NOT NULL;
UPDATE agendatemplateitem SET kind = CASE position WHEN 0 THEN 'review' WHEN 1 THEN 'barriers' WHEN 2 THEN 'plans' ELSE 'other' END;
UPDATE meetingitem SET kind = CASE position WHEN 0 THEN 'review' WHEN 1 THEN 'barriers' WHEN 2 THEN 'plans' ELSE 'other' END;
