-- SQLite's documented rebuild, in one transaction.
BEGIN TRANSACTION;
CREATE TABLE new_sessions (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, token TEXT NOT NULL, created_at TEXT);
INSERT INTO new_sessions (id, user_id, token) SELECT id, user_id, token FROM sessions;
DROP TABLE sessions;
ALTER TABLE new_sessions RENAME TO sessions;
COMMIT;
