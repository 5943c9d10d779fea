ALTER TABLE safe_houses DROP COLUMN phone;

PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE users_before AS SELECT * FROM main.users;
DROP TABLE users;
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
INSERT INTO users (id, username, display_name, role, safe_house_id, password_hash, password_changed_at,
                   totp_secret, totp_last_step, failed_logins, locked_until, disabled_at, created_at,
                   updated_at, version)
SELECT id, username, display_name, role, safe_house_id, password_hash, password_changed_at,
       totp_secret, totp_last_step, failed_logins, locked_until, disabled_at, created_at,
       updated_at, version
FROM users_before;
DROP TABLE users_before;
