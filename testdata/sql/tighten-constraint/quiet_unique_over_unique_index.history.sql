CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, org_id bigint NOT NULL);
CREATE UNIQUE INDEX users_email_idx ON users (email);
