-- One canary per key-encryption key: a known text sealed at `binhan init` and at
-- each rotation, so a server started with the wrong keyring refuses to run.
CREATE TABLE key_canaries (
    kek_id     BIGINT PRIMARY KEY,
    canary     BYTEA NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- One data key per owner record (a case, a user, a safe house), stored only
-- wrapped by a KEK. Shredding clears `wrapped` for good and sets `shredded_at`.
CREATE TABLE data_keys (
    owner_kind  TEXT NOT NULL CHECK (owner_kind IN ('case', 'user', 'safe_house')),
    owner_id    TEXT NOT NULL,
    kek_id      BIGINT,
    wrapped     BYTEA,
    created_at  TIMESTAMP NOT NULL,
    shredded_at TIMESTAMP,
    PRIMARY KEY (owner_kind, owner_id),
    CHECK ((wrapped IS NULL AND kek_id IS NULL AND shredded_at IS NOT NULL)
        OR (wrapped IS NOT NULL AND kek_id IS NOT NULL AND shredded_at IS NULL))
);
CREATE INDEX data_keys_kek ON data_keys (kek_id);
