ALTER TABLE safe_houses DROP COLUMN phone;
ALTER TABLE users DROP COLUMN must_change_password;
DROP INDEX users_safe_house;
ALTER TABLE users DROP CONSTRAINT users_safe_house_id_fkey;
