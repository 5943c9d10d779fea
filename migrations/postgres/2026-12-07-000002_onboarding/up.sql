-- Onboarding (issue 15, items 3 and 4): an account's safe house must exist (a
-- foreign key), an account an administrator made or reset chooses her own
-- password at her first sign-in, and a house has a sealed telephone number.

-- The account form took free text, so some accounts name their house by its name:
-- where exactly one house has that name, the account gets that house's id.
UPDATE users
SET safe_house_id = (SELECT h.id FROM safe_houses h WHERE h.name = users.safe_house_id)
WHERE safe_house_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM safe_houses h WHERE h.id = users.safe_house_id)
  AND (SELECT COUNT(*) FROM safe_houses h WHERE h.name = users.safe_house_id) = 1;
-- Only safe-house staff belong to a house; another role's house was never used.
UPDATE users SET safe_house_id = NULL WHERE role <> 'safe_house_staff' AND safe_house_id IS NOT NULL;

-- What is left cannot be guessed: refuse, and say how to find and repair it.
DO $$
DECLARE
    unknown INTEGER;
BEGIN
    SELECT COUNT(*) INTO unknown FROM users u
    WHERE u.safe_house_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM safe_houses h WHERE h.id = u.safe_house_id);
    IF unknown > 0 THEN
        RAISE EXCEPTION '% safe-house staff account(s) name a safe house that does not exist (neither its id nor the name of exactly one house); find them with: SELECT username FROM users WHERE safe_house_id NOT IN (SELECT id FROM safe_houses); set their safe_house_id to a house id from safe_houses, then migrate again', unknown;
    END IF;
END $$;

ALTER TABLE users ADD CONSTRAINT users_safe_house_id_fkey
    FOREIGN KEY (safe_house_id) REFERENCES safe_houses (id);
CREATE INDEX users_safe_house ON users (safe_house_id);
-- Set when an administrator gives the account a password (a new account, a
-- reset); cleared when its owner chooses her own.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE safe_houses ADD COLUMN phone BYTEA;
