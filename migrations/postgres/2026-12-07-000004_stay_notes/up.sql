-- Short notes recorded during a stay in a safe house (issue 15 item 12). The body
-- is sealed with the case's data key, so erasing the case shreds them too.
CREATE TABLE stay_notes (
    id           TEXT PRIMARY KEY,
    placement_id TEXT NOT NULL REFERENCES placements (id),
    author_id    TEXT REFERENCES users (id),
    body         BYTEA NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX stay_notes_placement ON stay_notes (placement_id, created_at);
