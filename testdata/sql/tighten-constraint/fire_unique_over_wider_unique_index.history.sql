CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, org_id bigint NOT NULL);
CREATE UNIQUE INDEX users_org_email_idx ON users (org_id, email);
