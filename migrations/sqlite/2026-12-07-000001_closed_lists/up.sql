-- Issue 15 item 2: every closed list stored as text is refused by the database
-- when it holds a value the code does not know (the code refuses to read one too:
-- store::closed). Placement status, survivor sex, risk level on cases and
-- users.role had their CHECK already; users.role is left to its own migration.
--
-- SQLite cannot add a CHECK to a table, and rebuilding these tables is unsafe:
-- cases is the parent of almost every table (survivors, incidents, placements,
-- … reference it), and DROP TABLE runs an implicit DELETE whose foreign-key
-- actions fire even with defer_foreign_keys on, while diesel runs a migration in
-- a transaction where PRAGMA foreign_keys cannot be turned off. So the same rule
-- is two triggers per column (BEFORE INSERT, BEFORE UPDATE OF it) that abort
-- with SQLite's own words for a failed CHECK. Rows already stored are checked
-- first, through a temporary table with the real CHECK: a bad one stops the
-- migration instead of staying behind.

CREATE TEMP TABLE closed_cases_status (status TEXT CHECK (status IN ('intake', 'assessment', 'action_planning', 'implementation', 'follow_up', 'closed')));
INSERT INTO closed_cases_status SELECT status FROM cases;
DROP TABLE closed_cases_status;
CREATE TRIGGER cases_status_closed_insert BEFORE INSERT ON cases
WHEN NEW.status IS NULL OR NEW.status NOT IN ('intake', 'assessment', 'action_planning', 'implementation', 'follow_up', 'closed')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: cases.status');
END;
CREATE TRIGGER cases_status_closed_update BEFORE UPDATE OF status ON cases
WHEN NEW.status IS NULL OR NEW.status NOT IN ('intake', 'assessment', 'action_planning', 'implementation', 'follow_up', 'closed')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: cases.status');
END;

CREATE TEMP TABLE closed_case_transitions_from_status (from_status TEXT CHECK (from_status IN ('intake', 'assessment', 'action_planning', 'implementation', 'follow_up', 'closed')));
INSERT INTO closed_case_transitions_from_status SELECT from_status FROM case_transitions;
DROP TABLE closed_case_transitions_from_status;
CREATE TRIGGER case_transitions_from_status_closed_insert BEFORE INSERT ON case_transitions
WHEN NEW.from_status IS NULL OR NEW.from_status NOT IN ('intake', 'assessment', 'action_planning', 'implementation', 'follow_up', 'closed')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: case_transitions.from_status');
END;
CREATE TRIGGER case_transitions_from_status_closed_update BEFORE UPDATE OF from_status ON case_transitions
WHEN NEW.from_status IS NULL OR NEW.from_status NOT IN ('intake', 'assessment', 'action_planning', 'implementation', 'follow_up', 'closed')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: case_transitions.from_status');
END;

CREATE TEMP TABLE closed_case_transitions_to_status (to_status TEXT CHECK (to_status IN ('intake', 'assessment', 'action_planning', 'implementation', 'follow_up', 'closed')));
INSERT INTO closed_case_transitions_to_status SELECT to_status FROM case_transitions;
DROP TABLE closed_case_transitions_to_status;
CREATE TRIGGER case_transitions_to_status_closed_insert BEFORE INSERT ON case_transitions
WHEN NEW.to_status IS NULL OR NEW.to_status NOT IN ('intake', 'assessment', 'action_planning', 'implementation', 'follow_up', 'closed')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: case_transitions.to_status');
END;
CREATE TRIGGER case_transitions_to_status_closed_update BEFORE UPDATE OF to_status ON case_transitions
WHEN NEW.to_status IS NULL OR NEW.to_status NOT IN ('intake', 'assessment', 'action_planning', 'implementation', 'follow_up', 'closed')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: case_transitions.to_status');
END;

CREATE TEMP TABLE closed_survivors_age_group (age_group TEXT CHECK (age_group IN ('0-5', '6-11', '12-15', '16-17', '18-24', '25-59', '60+')));
INSERT INTO closed_survivors_age_group SELECT age_group FROM survivors;
DROP TABLE closed_survivors_age_group;
CREATE TRIGGER survivors_age_group_closed_insert BEFORE INSERT ON survivors
WHEN NEW.age_group IS NULL OR NEW.age_group NOT IN ('0-5', '6-11', '12-15', '16-17', '18-24', '25-59', '60+')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: survivors.age_group');
END;
CREATE TRIGGER survivors_age_group_closed_update BEFORE UPDATE OF age_group ON survivors
WHEN NEW.age_group IS NULL OR NEW.age_group NOT IN ('0-5', '6-11', '12-15', '16-17', '18-24', '25-59', '60+')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: survivors.age_group');
END;

CREATE TEMP TABLE closed_perpetrators_sex (sex TEXT CHECK (sex IN ('female', 'male', 'other', 'unknown')));
INSERT INTO closed_perpetrators_sex SELECT sex FROM perpetrators;
DROP TABLE closed_perpetrators_sex;
CREATE TRIGGER perpetrators_sex_closed_insert BEFORE INSERT ON perpetrators
WHEN NEW.sex IS NULL OR NEW.sex NOT IN ('female', 'male', 'other', 'unknown')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: perpetrators.sex');
END;
CREATE TRIGGER perpetrators_sex_closed_update BEFORE UPDATE OF sex ON perpetrators
WHEN NEW.sex IS NULL OR NEW.sex NOT IN ('female', 'male', 'other', 'unknown')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: perpetrators.sex');
END;

CREATE TEMP TABLE closed_risk_assessments_level (level TEXT CHECK (level IN ('low', 'medium', 'high', 'severe')));
INSERT INTO closed_risk_assessments_level SELECT level FROM risk_assessments;
DROP TABLE closed_risk_assessments_level;
CREATE TRIGGER risk_assessments_level_closed_insert BEFORE INSERT ON risk_assessments
WHEN NEW.level IS NULL OR NEW.level NOT IN ('low', 'medium', 'high', 'severe')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: risk_assessments.level');
END;
CREATE TRIGGER risk_assessments_level_closed_update BEFORE UPDATE OF level ON risk_assessments
WHEN NEW.level IS NULL OR NEW.level NOT IN ('low', 'medium', 'high', 'severe')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: risk_assessments.level');
END;

CREATE TEMP TABLE closed_audit_events_actor_role (actor_role TEXT CHECK (actor_role IS NULL OR actor_role IN ('social_worker', 'supervisor', 'safe_house_staff', 'committee_member', 'admin')));
INSERT INTO closed_audit_events_actor_role SELECT actor_role FROM audit_events;
DROP TABLE closed_audit_events_actor_role;
CREATE TRIGGER audit_events_actor_role_closed_insert BEFORE INSERT ON audit_events
WHEN NEW.actor_role IS NOT NULL AND NEW.actor_role NOT IN ('social_worker', 'supervisor', 'safe_house_staff', 'committee_member', 'admin')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: audit_events.actor_role');
END;
CREATE TRIGGER audit_events_actor_role_closed_update BEFORE UPDATE OF actor_role ON audit_events
WHEN NEW.actor_role IS NOT NULL AND NEW.actor_role NOT IN ('social_worker', 'supervisor', 'safe_house_staff', 'committee_member', 'admin')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: audit_events.actor_role');
END;

