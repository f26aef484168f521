-- The unique index of the history is rebuilt under another name: stable's
-- writes were already held to unique emails.
DROP INDEX users_email_idx;
CREATE UNIQUE INDEX users_email_key ON users (email);
