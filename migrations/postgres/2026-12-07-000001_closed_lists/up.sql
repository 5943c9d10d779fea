-- Issue 15 item 2: every closed list stored as text is refused by the database
-- when it holds a value the code does not know (the code refuses to read one too:
-- store::closed). Placement status, survivor sex, risk level on cases and
-- users.role had their CHECK already; users.role is left to its own migration.

ALTER TABLE cases ADD CONSTRAINT cases_status_closed CHECK (status IN ('intake', 'assessment', 'action_planning', 'implementation', 'follow_up', 'closed'));
ALTER TABLE case_transitions ADD CONSTRAINT case_transitions_from_status_closed CHECK (from_status IN ('intake', 'assessment', 'action_planning', 'implementation', 'follow_up', 'closed'));
ALTER TABLE case_transitions ADD CONSTRAINT case_transitions_to_status_closed CHECK (to_status IN ('intake', 'assessment', 'action_planning', 'implementation', 'follow_up', 'closed'));
ALTER TABLE survivors ADD CONSTRAINT survivors_age_group_closed CHECK (age_group IN ('0-5', '6-11', '12-15', '16-17', '18-24', '25-59', '60+'));
ALTER TABLE perpetrators ADD CONSTRAINT perpetrators_sex_closed CHECK (sex IN ('female', 'male', 'other', 'unknown'));
ALTER TABLE risk_assessments ADD CONSTRAINT risk_assessments_level_closed CHECK (level IN ('low', 'medium', 'high', 'severe'));
ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_role_closed CHECK (actor_role IS NULL OR actor_role IN ('social_worker', 'supervisor', 'safe_house_staff', 'committee_member', 'admin'));
