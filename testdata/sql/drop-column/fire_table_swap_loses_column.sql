BEGIN;
ALTER TABLE sessions RENAME TO sessions_old;
CREATE TABLE sessions (id bigint PRIMARY KEY, token text NOT NULL);
INSERT INTO sessions (id, token) SELECT id, token FROM sessions_old;
DROP TABLE sessions_old;
COMMIT;
