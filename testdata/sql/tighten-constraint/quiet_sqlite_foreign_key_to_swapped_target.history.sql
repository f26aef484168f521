CREATE TABLE ciphers (uuid TEXT NOT NULL PRIMARY KEY);
CREATE TABLE attachments (
  id          TEXT NOT NULL PRIMARY KEY,
  cipher_uuid TEXT NOT NULL REFERENCES ciphers (uuid)
);
-- The table is swapped under its name: the reference follows the renamed copy.
ALTER TABLE ciphers RENAME TO old_ciphers;
CREATE TABLE ciphers (uuid TEXT NOT NULL PRIMARY KEY, name TEXT);
DROP TABLE old_ciphers;
