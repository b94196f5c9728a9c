-- Schema version 7: a reflection carries its revision (1 when first submitted, one more
-- each time it is reopened and submitted again), so a corrected reflection imported on
-- the facilitator's laptop replaces the older one; and the kind of role its author chose
-- from a short list (school counselor, school psychologist, school social worker,
-- other; empty: not chosen), which decides the ASCA guidance instead of words in the role.
-- Roles lose the spaces around them, so "School counselor " groups with the others.
ALTER TABLE reflection ADD COLUMN revision INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE reflection ADD COLUMN role_kind VARCHAR DEFAULT '' NOT NULL;
UPDATE reflection SET role_name = trim(role_name);
