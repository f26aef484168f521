-- Rename an existing column in place.
CREATE INDEX idx_users_created ON users (created_at);

ALTER TABLE users
    ADD COLUMN last_seen timestamptz,
    RENAME COLUMN email TO email_address;
