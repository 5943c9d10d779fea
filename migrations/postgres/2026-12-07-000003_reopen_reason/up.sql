-- Why a closed case was reopened, in the worker's words: sealed like a note.
ALTER TABLE case_transitions ADD COLUMN comment BYTEA;
