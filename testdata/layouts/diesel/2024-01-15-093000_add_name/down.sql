ALTER TABLE users DROP COLUMN down_marker;
