-- Re-created with the same column types (through an alias) and one more column.
DROP VIEW user_ages;
CREATE VIEW user_ages AS SELECT u.id, u.age, u.email FROM users u WHERE u.age IS NOT NULL;
