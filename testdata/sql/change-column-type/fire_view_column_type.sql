-- The view keeps its columns, but `age` is now text: stable reads it as an integer.
DROP VIEW user_ages;
CREATE VIEW user_ages AS SELECT id, age::text AS age FROM users;
