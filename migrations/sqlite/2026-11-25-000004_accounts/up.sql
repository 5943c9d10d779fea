-- People who sign in. A survivor is never a user. Passwords are Argon2id hashes
-- (PHC strings); the TOTP secret is sealed under the user's own data key.
CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('social_worker', 'supervisor', 'safe_house_staff', 'committee_member', 'admin')),
    safe_house_id       TEXT,
    password_hash       TEXT NOT NULL,
    password_changed_at TIMESTAMP NOT NULL,
    totp_secret         BLOB,
    totp_last_step      BIGINT,
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        TIMESTAMP,
    disabled_at         TIMESTAMP,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);

-- The communes a user works in (social workers, local committee members).
CREATE TABLE user_communes (
    user_id      TEXT NOT NULL REFERENCES users (id),
    commune_code TEXT NOT NULL,
    PRIMARY KEY (user_id, commune_code)
);
CREATE INDEX user_communes_commune ON user_communes (commune_code);

-- One-time recovery codes for the second factor, stored as SHA-256 hashes (they
-- are 50-bit random codes, so a slow hash adds nothing).
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id),
    code_hash BLOB NOT NULL,
    used_at   TIMESTAMP,
    PRIMARY KEY (user_id, code_hash)
);

-- Server-side sessions. Only the SHA-256 of the cookie token is stored.
-- `stage` is 'full', or 'enrol_totp' while a user who must have a second factor
-- has yet to set one up.
CREATE TABLE sessions (
    token_hash   BLOB PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    stage        TEXT NOT NULL CHECK (stage IN ('full', 'enrol_totp')),
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
