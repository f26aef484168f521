CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy_flags int);
CREATE VIEW active_users AS SELECT id, email FROM users;
CREATE VIEW active_emails AS SELECT email FROM active_users;
