DROP INDEX audit_events_actor_action;
DROP TABLE case_links;
DROP TABLE possible_duplicates;
