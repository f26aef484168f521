-- The new email can still be omitted by stable's INSERTs.
ALTER TABLE users RENAME COLUMN email TO email_old;
ALTER TABLE users ADD COLUMN email text;
UPDATE users SET email = email_old;
