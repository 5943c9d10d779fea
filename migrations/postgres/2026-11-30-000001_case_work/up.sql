-- Case management (design §8): the intake's incident and perpetrator, and the
-- work on a case. Personal data (narratives, places, names, notes, reasons) is
-- sealed under the case's data key and bound to table, column and row; what
-- statistics and workflow need (categories, dates, statuses) is plain.

ALTER TABLE cases ADD COLUMN report_source TEXT NOT NULL DEFAULT 'other';
ALTER TABLE cases ADD COLUMN report_channel TEXT NOT NULL DEFAULT 'other';
ALTER TABLE cases ADD COLUMN immediate_danger BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE cases ADD COLUMN risk_level TEXT CHECK (risk_level IN ('low', 'medium', 'high', 'severe'));
ALTER TABLE cases ADD COLUMN closure_reason TEXT;
-- When the case first left intake (the first intervention) and reached
-- implementation (the support plan): what the child-case deadlines are met by.
ALTER TABLE cases ADD COLUMN first_action_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN plan_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN created_by TEXT REFERENCES users (id);
CREATE INDEX cases_status_reported ON cases (status, reported_at);

-- How to reach the survivor safely (channels, times, a code word, numbers never
-- to call): shown before any contact action.
ALTER TABLE survivors ADD COLUMN safe_contact BYTEA;
-- Blind index of the name and birth year together: the duplicate check's key
-- (a name alone matches too many people).
ALTER TABLE survivors ADD COLUMN name_year_index BYTEA;
CREATE INDEX survivors_name_year_index ON survivors (name_year_index);

CREATE TABLE incidents (
    case_id     TEXT PRIMARY KEY REFERENCES cases (id),
    occurred_on DATE,
    gbv_type    TEXT,
    gbv_context TEXT,
    narrative   BYTEA,
    place       BYTEA
);

-- Forms of violence (Law 13/2022) and Article 3 acts of an incident.
CREATE TABLE incident_codes (
    case_id TEXT NOT NULL REFERENCES cases (id),
    list    TEXT NOT NULL CHECK (list IN ('form', 'act')),
    code    TEXT NOT NULL,
    PRIMARY KEY (case_id, list, code)
);
CREATE INDEX incident_codes_code ON incident_codes (list, code);

CREATE TABLE perpetrators (
    case_id      TEXT PRIMARY KEY REFERENCES cases (id),
    full_name    BYTEA,
    sex          TEXT NOT NULL,
    relationship TEXT NOT NULL,
    -- Where the perpetrator lives, as a category: placements near him need a
    -- confirmation (design §9), and statistics count it.
    commune_code TEXT
);

CREATE TABLE case_transitions (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    actor_id    TEXT REFERENCES users (id),
    reason      TEXT
);
CREATE INDEX case_transitions_case ON case_transitions (case_id, at);

CREATE TABLE risk_assessments (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    level       TEXT NOT NULL,
    -- Which risk factors: they tell her story, so they are sealed; the level is plain.
    factors     BYTEA,
    assessed_by TEXT REFERENCES users (id),
    assessed_at TIMESTAMP NOT NULL,
    note        BYTEA
);
CREATE INDEX risk_assessments_case ON risk_assessments (case_id, assessed_at);

CREATE TABLE consents (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    purpose      TEXT NOT NULL,
    given_by     TEXT NOT NULL CHECK (given_by IN ('survivor', 'guardian', 'child')),
    given_at     TIMESTAMP NOT NULL,
    recorded_by  TEXT REFERENCES users (id),
    withdrawn_at TIMESTAMP,
    withdrawn_by TEXT REFERENCES users (id)
);
CREATE INDEX consents_case ON consents (case_id);

CREATE TABLE protection_measures (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    measure_type TEXT NOT NULL,
    ordered_by   TEXT,
    starts_at    TIMESTAMP NOT NULL,
    ends_at      TIMESTAMP,
    details      BYTEA,
    recorded_by  TEXT REFERENCES users (id),
    recorded_at  TIMESTAMP NOT NULL
);
CREATE INDEX protection_measures_case ON protection_measures (case_id);

-- Registered service providers a case may be referred to.
CREATE TABLE service_providers (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    service_type TEXT NOT NULL,
    commune_code TEXT,
    active       BOOLEAN NOT NULL DEFAULT TRUE
);

-- A supervisor's decision: a closure, or a best-interest override of a missing
-- consent. The request's reason and the decision's comment are sealed.
CREATE TABLE approvals (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id),
    kind           TEXT NOT NULL CHECK (kind IN ('closure', 'consent_override')),
    status         TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'withdrawn')),
    purpose        TEXT,
    closure_reason TEXT,
    reason         BYTEA,
    requested_by   TEXT REFERENCES users (id),
    requested_at   TIMESTAMP NOT NULL,
    decided_by     TEXT REFERENCES users (id),
    decided_at     TIMESTAMP,
    comment        BYTEA
);
CREATE INDEX approvals_status ON approvals (status, requested_at);
CREATE INDEX approvals_case ON approvals (case_id);

CREATE TABLE referrals (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    provider_id  TEXT NOT NULL REFERENCES service_providers (id),
    service_type TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'completed', 'cancelled')),
    -- The override that allowed it without consent, if one did.
    override_id  TEXT REFERENCES approvals (id),
    note         BYTEA,
    created_by   TEXT REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX referrals_case ON referrals (case_id);

-- Notes and follow-ups, sealed; a follow-up has a due date and is done once.
CREATE TABLE case_notes (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL CHECK (kind IN ('note', 'follow_up')),
    body       BYTEA NOT NULL,
    due_at     TIMESTAMP,
    done_at    TIMESTAMP,
    author_id  TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, created_at);
CREATE INDEX case_notes_due ON case_notes (due_at);
