CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE UNIQUE INDEX users_email_idx ON users (email);
DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;
