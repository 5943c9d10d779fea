-- Statistics (design §10) are counted as cases are recorded: one row per month
-- (of the report date, Vietnam time), commune as recorded, and one category pair
-- of one dimension. The Committee's figures are sums over these rows, so they
-- answer in milliseconds however many cases there are; no personal data is here,
-- only the categories that are plain in the case tables already. Cases keep their
-- rows after an erasure, so the statistics do not change.
--   commune      row: ""                         col: ""
--   age_sex      row: the survivor's age group  col: her sex
--   form         row: a form of violence          col: ""  (a case may count in several)
--   gbv_type     row: the GBVIMS type or "unknown" col: ""
--   perpetrator  row: relationship                col: the perpetrator's sex
CREATE TABLE stat_tallies (
    month        INTEGER NOT NULL,
    commune_code TEXT NOT NULL,
    dimension    TEXT NOT NULL,
    row_key      TEXT NOT NULL,
    col_key      TEXT NOT NULL,
    cases        INTEGER NOT NULL CHECK (cases >= 0),
    PRIMARY KEY (month, dimension, commune_code, row_key, col_key)
);

-- The cases recorded before this migration.
INSERT INTO stat_tallies (month, commune_code, dimension, row_key, col_key, cases)
SELECT CAST(strftime('%Y%m', c.reported_at, '+7 hours') AS INTEGER), c.commune_code, 'commune', '', '', COUNT(*)
FROM cases c GROUP BY 1, 2;

INSERT INTO stat_tallies (month, commune_code, dimension, row_key, col_key, cases)
SELECT CAST(strftime('%Y%m', c.reported_at, '+7 hours') AS INTEGER), c.commune_code, 'age_sex', s.age_group, s.sex, COUNT(*)
FROM cases c JOIN survivors s ON s.case_id = c.id GROUP BY 1, 2, 4, 5;

INSERT INTO stat_tallies (month, commune_code, dimension, row_key, col_key, cases)
SELECT CAST(strftime('%Y%m', c.reported_at, '+7 hours') AS INTEGER), c.commune_code, 'form', f.code, '', COUNT(*)
FROM cases c JOIN incident_codes f ON f.case_id = c.id AND f.list = 'form' GROUP BY 1, 2, 4;

INSERT INTO stat_tallies (month, commune_code, dimension, row_key, col_key, cases)
SELECT CAST(strftime('%Y%m', c.reported_at, '+7 hours') AS INTEGER), c.commune_code, 'gbv_type', COALESCE(i.gbv_type, 'unknown'), '', COUNT(*)
FROM cases c JOIN incidents i ON i.case_id = c.id GROUP BY 1, 2, 4;

INSERT INTO stat_tallies (month, commune_code, dimension, row_key, col_key, cases)
SELECT CAST(strftime('%Y%m', c.reported_at, '+7 hours') AS INTEGER), c.commune_code, 'perpetrator', p.relationship, p.sex, COUNT(*)
FROM cases c JOIN perpetrators p ON p.case_id = c.id GROUP BY 1, 2, 4, 5;

-- Events of a period (closures, placements) are found by their dates.
CREATE INDEX placements_checked_in ON placements (checked_in_at);
CREATE INDEX referrals_created ON referrals (created_at);
CREATE INDEX protection_measures_starts ON protection_measures (starts_at);
CREATE INDEX cases_reported ON cases (reported_at);
