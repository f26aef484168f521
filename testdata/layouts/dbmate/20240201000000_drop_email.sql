-- migrate:up
ALTER TABLE users DROP COLUMN email;

-- migrate:down
ALTER TABLE users ADD COLUMN down_marker text;
