ALTER TABLE sessions DROP COLUMN locked_at;
