ALTER TABLE users ADD COLUMN tmp_import_id bigint;
UPDATE users SET tmp_import_id = id;
ALTER TABLE users DROP COLUMN tmp_import_id;
CREATE TABLE scratch (a int, b int);
ALTER TABLE scratch DROP COLUMN b;
