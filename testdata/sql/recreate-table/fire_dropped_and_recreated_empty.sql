DROP TABLE sessions;
CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint NOT NULL, token text NOT NULL);
