ALTER TABLE audit_events DROP COLUMN client_addr;
