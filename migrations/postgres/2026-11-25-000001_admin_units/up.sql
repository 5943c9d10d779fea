-- Administrative units of every era. A code is stable but its extent can change
-- (a merged unit keeps the code of one of its parts), so a unit is one row per
-- (code, valid_from), and successions say where an old unit went.
CREATE TABLE admin_units (
    id          SERIAL PRIMARY KEY,
    code        TEXT NOT NULL CHECK (length(code) BETWEEN 2 AND 5),
    name        TEXT NOT NULL CHECK (length(name) > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('province', 'district', 'xa', 'phuong', 'thi_tran')),
    parent_code TEXT,
    valid_from  DATE,
    valid_to    DATE,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to)
);
CREATE UNIQUE INDEX admin_units_code_era ON admin_units (code, COALESCE(valid_from, DATE '0001-01-01'));
CREATE INDEX admin_units_parent ON admin_units (parent_code);

CREATE TABLE admin_unit_successions (
    old_code  TEXT NOT NULL,
    new_code  TEXT NOT NULL,
    effective DATE NOT NULL,
    share     TEXT NOT NULL CHECK (share IN ('full', 'partial')),
    PRIMARY KEY (old_code, new_code, effective)
);
CREATE INDEX admin_unit_successions_new ON admin_unit_successions (new_code);
