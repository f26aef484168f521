-- Unique per organisation is not unique overall.
CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);
