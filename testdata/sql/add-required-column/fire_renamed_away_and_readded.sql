-- The old email is kept aside and a new email takes its name: stable still
-- writes `email`, but its INSERTs that leave it out now fail.
ALTER TABLE users RENAME COLUMN email TO email_old;
ALTER TABLE users ADD COLUMN email text;
UPDATE users SET email = coalesce(email_old, '') WHERE email IS NULL;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
