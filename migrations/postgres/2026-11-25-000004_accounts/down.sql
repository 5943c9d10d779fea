DROP TABLE sessions;
DROP TABLE recovery_codes;
DROP TABLE user_communes;
DROP TABLE users;
