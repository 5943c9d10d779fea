-- A case and its survivor. Columns named in DESIGN.md §4 as personal data are
-- sealed blobs (version | key id | nonce | ciphertext+tag) under the case's data
-- key, bound to their table, column and row. `*_index` columns are blind indexes
-- (HMAC of the normalized value): equality search without decryption.
-- The case management issue adds the incident, perpetrator and workflow columns.
CREATE TABLE cases (
    id           TEXT PRIMARY KEY,
    case_number  TEXT NOT NULL UNIQUE,
    commune_code TEXT NOT NULL,
    status       TEXT NOT NULL,
    reported_at  TIMESTAMP NOT NULL,
    closed_at    TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_commune_status ON cases (commune_code, status);
CREATE INDEX cases_closed_at ON cases (closed_at);

CREATE TABLE survivors (
    case_id         TEXT PRIMARY KEY REFERENCES cases (id),
    full_name       BLOB NOT NULL,
    other_names     BLOB,
    birth_date      BLOB,
    phone           BLOB,
    address         BLOB,
    id_number       BLOB,
    guardian_name   BLOB,
    guardian_phone  BLOB,
    name_index      BLOB,
    phone_index     BLOB,
    id_number_index BLOB,
    sex             TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    age_group       TEXT NOT NULL,
    is_child        BOOLEAN NOT NULL,
    has_disability  BOOLEAN NOT NULL
);
CREATE INDEX survivors_name_index ON survivors (name_index);
CREATE INDEX survivors_phone_index ON survivors (phone_index);
CREATE INDEX survivors_id_number_index ON survivors (id_number_index);

-- Case numbers run per province and year; the counter row is updated first in the
-- intake transaction, which serializes concurrent intakes on both backends.
CREATE TABLE case_counters (
    scope       TEXT PRIMARY KEY,
    last_number INTEGER NOT NULL
);
