CREATE TABLE sessions_new (id bigint PRIMARY KEY, user_id bigint NOT NULL, token text NOT NULL);
INSERT INTO sessions_new (id, user_id, token) SELECT id, user_id, token FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
