CREATE TABLE users (id bigint PRIMARY KEY, active boolean NOT NULL);
CREATE VIEW active_users AS SELECT id FROM users WHERE active;
ALTER VIEW active_users RENAME TO current_users;
