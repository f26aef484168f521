DROP VIEW active_users;
CREATE VIEW active_users AS SELECT id, email, name FROM users WHERE email IS NOT NULL;
