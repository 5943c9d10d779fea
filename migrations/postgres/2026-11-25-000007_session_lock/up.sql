-- A locked screen is a state of the session, not only of the page: while it is
-- set, the session reaches nothing but unlock and sign-out.
ALTER TABLE sessions ADD COLUMN locked_at TIMESTAMP;
