ALTER TABLE users ADD COLUMN score smallint;
ALTER TABLE users ALTER COLUMN score TYPE bigint;
