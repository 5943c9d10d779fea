DROP INDEX cases_assigned_next_due;
DROP INDEX cases_commune_next_due;
DROP INDEX cases_next_due;
ALTER TABLE cases DROP COLUMN next_due_at;
