DROP INDEX cases_assigned_to;
ALTER TABLE cases DROP COLUMN assigned_to;
DROP TABLE audit_head;
DROP TABLE audit_events;
