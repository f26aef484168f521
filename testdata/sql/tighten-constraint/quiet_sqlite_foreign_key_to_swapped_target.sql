-- attachments is rebuilt with its reference to ciphers, the table that took
-- the name: the same foreign key stable's schema had.
ALTER TABLE attachments RENAME TO old_attachments;
CREATE TABLE attachments (
  id          TEXT NOT NULL PRIMARY KEY,
  cipher_uuid TEXT NOT NULL REFERENCES ciphers (uuid)
);
INSERT INTO attachments (id, cipher_uuid) SELECT id, cipher_uuid FROM old_attachments;
DROP TABLE old_attachments;
