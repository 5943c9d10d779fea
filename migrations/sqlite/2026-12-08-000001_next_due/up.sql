-- The lists' sort key (issue 16): the soonest deadline a case still owes that can
-- become overdue, NULL when it owes none (or is closed). Computed by
-- `services::cases::clock` from the same rules as the deadlines shown, written in
-- the transaction of every change that moves a deadline; filled in for existing
-- cases (and again whenever the configured holidays change) when the server starts,
-- since working days cannot be counted in SQL.
ALTER TABLE cases ADD COLUMN next_due_at TIMESTAMP;
-- Keyset pages in the lists' order (next_due_at, reported_at DESC, id), for the
-- province, a commune, and the cases assigned to one person.
CREATE INDEX cases_next_due ON cases (next_due_at, reported_at DESC, id);
CREATE INDEX cases_commune_next_due ON cases (commune_code, next_due_at, reported_at DESC, id);
CREATE INDEX cases_assigned_next_due ON cases (assigned_to, next_due_at, reported_at DESC, id);
