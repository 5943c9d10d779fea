-- Two people to open a door (issue 17): a change that lets an account reach
-- people's data (a new social worker, supervisor or safe-house staff; a wider role,
-- commune or house; re-enabling; a password or second-factor reset) waits here
-- until a supervisor confirms it. Ids and codes only: no personal data.
CREATE TABLE account_changes (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    kind          TEXT NOT NULL CHECK (kind IN ('create', 'widen', 'enable', 'reset_password', 'reset_second_factor')),
    -- widen: the access asked for (role, space-separated commune codes, house).
    role          TEXT CHECK (role IN ('social_worker', 'supervisor', 'safe_house_staff', 'committee_member', 'admin')),
    communes      TEXT,
    safe_house_id TEXT REFERENCES safe_houses (id),
    requested_by  TEXT NOT NULL,
    requested_at  TIMESTAMP NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'refused')),
    decided_by    TEXT,
    decided_at    TIMESTAMP
);
-- At most one change of an account waits at a time.
CREATE UNIQUE INDEX account_changes_one_pending ON account_changes (user_id) WHERE status = 'pending';
CREATE INDEX account_changes_recent ON account_changes (requested_at);

-- One-time enrolment codes: with one, an account's owner chooses her password
-- (and sets up her second factor). 79-bit random codes, stored as SHA-256; used
-- once (the row goes), refused after expires_at.
CREATE TABLE enrolment_codes (
    user_id    TEXT PRIMARY KEY REFERENCES users (id),
    code_hash  BLOB NOT NULL,
    issued_at  TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
