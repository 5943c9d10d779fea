-- Issue 17, no existence oracle. A case recorded by someone who may not see an
-- older case of the same survivor (same name and birth year, phone or ID number)
-- is a possible duplicate for a supervisor whose scope covers both: ids and reason
-- codes only, never what matched.
CREATE TABLE possible_duplicates (
    id               TEXT PRIMARY KEY,
    new_case_id      TEXT NOT NULL REFERENCES cases (id),
    existing_case_id TEXT NOT NULL REFERENCES cases (id),
    -- Comma-separated codes: name_birth, phone, id_number.
    reasons          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('open', 'linked', 'dismissed')),
    created_at       TIMESTAMP NOT NULL,
    decided_by       TEXT REFERENCES users (id),
    decided_at       TIMESTAMP
);
CREATE INDEX possible_duplicates_status ON possible_duplicates (status, created_at);

-- Two cases a supervisor recorded as the same survivor's (one row a pair).
CREATE TABLE case_links (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    other_id     TEXT NOT NULL REFERENCES cases (id),
    duplicate_id TEXT REFERENCES possible_duplicates (id),
    linked_by    TEXT REFERENCES users (id),
    linked_at    TIMESTAMP NOT NULL
);
CREATE INDEX case_links_case ON case_links (case_id);
CREATE INDEX case_links_other ON case_links (other_id);

-- The per-account limit on searches and duplicate checks counts the account's own
-- recent audit events of those actions: this index makes that count a range scan.
CREATE INDEX audit_events_actor_action ON audit_events (actor_id, action, at);
