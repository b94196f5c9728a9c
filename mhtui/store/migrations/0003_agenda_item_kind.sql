-- Schema version 3: each agenda item knows which part of the check-in it is (review of
-- actions, barriers, plans, or other), so the projected view shows the right panel even
-- after the agenda is reordered. Existing items take their kind from their position.
ALTER TABLE agendatemplateitem ADD COLUMN kind VARCHAR DEFAULT 'other' NOT NULL;
ALTER TABLE meetingitem ADD COLUMN kind VARCHAR DEFAULT 'other' NOT NULL;
UPDATE agendatemplateitem SET kind = CASE position WHEN 0 THEN 'review' WHEN 1 THEN 'barriers' WHEN 2 THEN 'plans' ELSE 'other' END;
UPDATE meetingitem SET kind = CASE position WHEN 0 THEN 'review' WHEN 1 THEN 'barriers' WHEN 2 THEN 'plans' ELSE 'other' END;
