-- The client address of the request an event came from (design §5: used for
-- lockout, rate limits and audit); the hash chain covers it.
ALTER TABLE audit_events ADD COLUMN client_addr TEXT;
