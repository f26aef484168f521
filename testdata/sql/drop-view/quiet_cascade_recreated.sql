-- Both views dropped by CASCADE are re-created with their columns.
DROP VIEW active_users CASCADE;
CREATE VIEW active_users AS SELECT id, email FROM users;
CREATE VIEW active_emails AS SELECT email FROM active_users;
