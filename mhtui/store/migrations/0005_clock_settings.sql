-- Schema version 5: the check-in's clock cannot go wrong quietly.
-- A team's warning before an item ends (NULL: the default, 5 minutes before the end and
-- none for items under 10 minutes; 0: never) and whether its bell rings, remembered from
-- one check-in to the next.
ALTER TABLE team ADD COLUMN warn_minutes INTEGER;
ALTER TABLE team ADD COLUMN bell BOOLEAN DEFAULT 0 NOT NULL;
-- When mhtui last had the check-in open with its clock running: reopened after more than
-- ten minutes away, the facilitator chooses to count that time or stop the clock there.
ALTER TABLE meeting ADD COLUMN seen_at DATETIME;
-- The clock's own figure for an item whose time was corrected by hand (NULL: never
-- corrected), so the minutes can say it was.
ALTER TABLE meetingitem ADD COLUMN spent_by_clock FLOAT;
