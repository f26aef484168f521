ALTER TABLE events ALTER COLUMN created_at TYPE timestamptz;
