-- Onboarding (issue 15, items 3 and 4): an account's safe house must exist (a
-- foreign key), an account an administrator made or reset chooses her own
-- password at her first sign-in, and a house has a sealed telephone number.

-- The account form took free text, so some accounts name their house by its name:
-- where exactly one house has that name, the account gets that house's id.
UPDATE users
SET safe_house_id = (SELECT h.id FROM safe_houses h WHERE h.name = users.safe_house_id)
WHERE safe_house_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM safe_houses h WHERE h.id = users.safe_house_id)
  AND (SELECT COUNT(*) FROM safe_houses h WHERE h.name = users.safe_house_id) = 1;
-- Only safe-house staff belong to a house; another role's house was never used.
UPDATE users SET safe_house_id = NULL WHERE role <> 'safe_house_staff' AND safe_house_id IS NOT NULL;

-- What is left cannot be guessed: refuse, and say how to find and repair it.
-- (SQLite raises a message only from a trigger.)
CREATE TEMP TABLE onboarding_guard (checked INTEGER);
CREATE TEMP TRIGGER onboarding_guard_check BEFORE INSERT ON onboarding_guard
WHEN EXISTS (SELECT 1 FROM main.users u WHERE u.safe_house_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM main.safe_houses h WHERE h.id = u.safe_house_id))
BEGIN
    SELECT RAISE(ABORT, 'some safe-house staff accounts name a safe house that does not exist (neither its id nor the name of exactly one house); find them with: SELECT username FROM users WHERE safe_house_id NOT IN (SELECT id FROM safe_houses); set their safe_house_id to a house id from safe_houses, then migrate again');
END;
INSERT INTO onboarding_guard VALUES (1);
DROP TABLE onboarding_guard;

-- SQLite adds a constraint only by rebuilding the table. No table references users
-- with ON DELETE CASCADE, so the implicit DELETE of DROP TABLE removes nothing
-- else; with the foreign keys deferred, the rows put back into the new table answer
-- every reference the drop left open before the commit checks them.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE users_before AS SELECT * FROM main.users;
DROP TABLE users;
CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('social_worker', 'supervisor', 'safe_house_staff', 'committee_member', 'admin')),
    safe_house_id        TEXT REFERENCES safe_houses (id),
    password_hash        TEXT NOT NULL,
    password_changed_at  TIMESTAMP NOT NULL,
    totp_secret          BLOB,
    totp_last_step       BIGINT,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         TIMESTAMP,
    disabled_at          TIMESTAMP,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1,
    -- Set when an administrator gives the account a password (a new account, a
    -- reset); cleared when its owner chooses her own.
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO users (id, username, display_name, role, safe_house_id, password_hash, password_changed_at,
                   totp_secret, totp_last_step, failed_logins, locked_until, disabled_at, created_at,
                   updated_at, version)
SELECT id, username, display_name, role, safe_house_id, password_hash, password_changed_at,
       totp_secret, totp_last_step, failed_logins, locked_until, disabled_at, created_at,
       updated_at, version
FROM users_before;
DROP TABLE users_before;
CREATE INDEX users_safe_house ON users (safe_house_id);

ALTER TABLE safe_houses ADD COLUMN phone BLOB;
