-- Rebuilding users with CASCADE drops both views built on it; the release
-- re-creates only one of them.
DROP TABLE users CASCADE;
CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE VIEW active_users AS SELECT id, email FROM users;
