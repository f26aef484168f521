CREATE TABLE users (id bigint PRIMARY KEY, age int, email text);
CREATE VIEW user_ages AS SELECT id, age FROM users;
