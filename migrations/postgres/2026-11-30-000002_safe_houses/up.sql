-- Safe houses and placements (design §9). A house's street address is sealed
-- under the house's own data key; what a placement says about the survivor
-- (alias, needs, the reason for a house near the perpetrator) under her case's.
-- Capacity is kept by writing the house row first in every transaction that
-- takes or frees beds (design §3): those transactions run one after another.
CREATE TABLE safe_houses (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    commune_code     TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('trusted_address', 'community_safe_house', 'social_protection_centre')),
    capacity         INTEGER NOT NULL CHECK (capacity > 0),
    accepts_children BOOLEAN NOT NULL,
    accessible       BOOLEAN NOT NULL,
    active           BOOLEAN NOT NULL,
    address          BYTEA,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

CREATE TABLE placements (
    id                     TEXT PRIMARY KEY,
    case_id                TEXT NOT NULL REFERENCES cases (id),
    safe_house_id          TEXT NOT NULL REFERENCES safe_houses (id),
    status                 TEXT NOT NULL CHECK (status IN ('requested', 'accepted', 'declined', 'checked_in', 'checked_out', 'cancelled')),
    -- The survivor and the children who come with her: one bed each.
    beds                   INTEGER NOT NULL CHECK (beds > 0),
    -- Age groups of the accompanying children, comma-separated codes.
    children               TEXT NOT NULL,
    alias                  BYTEA,
    needs                  BYTEA,
    near_perpetrator_reason BYTEA,
    override_id            TEXT REFERENCES approvals (id),
    expected_end_on        DATE,
    requested_by           TEXT REFERENCES users (id),
    requested_at           TIMESTAMP NOT NULL,
    hold_expires_at        TIMESTAMP,
    decided_by             TEXT REFERENCES users (id),
    decided_at             TIMESTAMP,
    decline_reason         TEXT,
    checked_in_at          TIMESTAMP,
    checked_out_at         TIMESTAMP,
    outcome                TEXT,
    cancelled_at           TIMESTAMP,
    version                INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX placements_house_status ON placements (safe_house_id, status);
CREATE INDEX placements_case ON placements (case_id);
