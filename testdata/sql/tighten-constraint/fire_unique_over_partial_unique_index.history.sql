CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, deleted_at timestamptz);
CREATE UNIQUE INDEX users_live_email_idx ON users (email) WHERE deleted_at IS NULL;
