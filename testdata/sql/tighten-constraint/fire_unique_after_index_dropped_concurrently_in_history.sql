-- The history dropped the unique index (concurrently): stable's schema no
-- longer keeps emails unique.
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
