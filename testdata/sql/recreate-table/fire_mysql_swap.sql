CREATE TABLE sessions_new (id BIGINT PRIMARY KEY, token VARCHAR(64) NOT NULL);
INSERT INTO sessions_new SELECT id, token FROM sessions;
DROP TABLE sessions;
RENAME TABLE sessions_new TO sessions;
