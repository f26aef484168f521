CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT);
CREATE TRIGGER users_audit AFTER UPDATE ON users
BEGIN
  INSERT INTO audit (note) VALUES ('changed; really');
  UPDATE audit SET note = note || '!' WHERE id = last_insert_rowid();
END;
PRAGMA foreign_keys = ON;
