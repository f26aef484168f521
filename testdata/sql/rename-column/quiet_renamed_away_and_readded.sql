-- Stable's `email` still exists after the release (a new column of the same
-- type under the same name): judged by the net effect, no rename.
ALTER TABLE users RENAME COLUMN email TO email_old;
ALTER TABLE users ADD COLUMN email text;
UPDATE users SET email = email_old;
