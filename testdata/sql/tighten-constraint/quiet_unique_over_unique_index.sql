-- Stable's schema already kept emails unique (a full unique index): the
-- constraint, and one on more columns, reject none of stable's writes.
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
ALTER TABLE users ADD CONSTRAINT users_email_org_key UNIQUE (org_id, email);
