-- Stable kept emails unique among live users only: deleted users may share one.
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
