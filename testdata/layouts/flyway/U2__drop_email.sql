ALTER TABLE users ADD COLUMN down_marker text;
