-- The audit log: append-only and hash-chained. Each event's hash is
-- SHA-256(prev_hash || canonical encoding of the event), so editing, deleting or
-- reordering a row breaks the chain at that row. Only ids, never personal data.
CREATE TABLE audit_events (
    seq           BIGINT PRIMARY KEY,
    at            TIMESTAMP NOT NULL,
    actor_id      TEXT,
    actor_role    TEXT,
    action        TEXT NOT NULL,
    resource_type TEXT,
    resource_id   TEXT,
    outcome       TEXT NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
    request_id    TEXT,
    reason        TEXT,
    prev_hash     BLOB NOT NULL,
    hash          BLOB NOT NULL
);
CREATE INDEX audit_events_resource ON audit_events (resource_type, resource_id);

-- The head of the chain: one row. An append updates it first, which serializes
-- appends on both backends (design §3, write first), and records the last
-- sequence number so a deleted tail is detected too.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash BLOB NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, X'0000000000000000000000000000000000000000000000000000000000000000');

-- The social worker a case is assigned to (she sees it wherever its commune is).
ALTER TABLE cases ADD COLUMN assigned_to TEXT REFERENCES users (id);
CREATE INDEX cases_assigned_to ON cases (assigned_to);
