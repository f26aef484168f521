BEGIN;
ALTER TABLE sessions RENAME TO sessions_old;
CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint NOT NULL, token text NOT NULL);
INSERT INTO sessions (id, user_id, token) SELECT id, user_id, token FROM sessions_old;
DROP TABLE sessions_old;
COMMIT;
