-- The history dropped its unique index: stable may write duplicate emails.
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
