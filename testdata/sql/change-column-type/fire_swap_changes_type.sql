BEGIN;
CREATE TABLE sessions_new (id bigint PRIMARY KEY, user_id text NOT NULL, token text NOT NULL);
INSERT INTO sessions_new SELECT id, user_id::text, token FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
COMMIT;
