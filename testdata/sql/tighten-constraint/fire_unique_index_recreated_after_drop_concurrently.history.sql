CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, phone text);
CREATE UNIQUE INDEX users_contact_idx ON users (email);
