ALTER TABLE case_transitions DROP COLUMN comment;
