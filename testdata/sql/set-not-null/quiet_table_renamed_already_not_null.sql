-- The column was NOT NULL before the release: renaming the table and the column
-- does not make stable's writes of it fail for NULL (the renames are reported
-- by their own rules).
SET lock_timeout = '2s';
ALTER TABLE a1 RENAME TO b1;
ALTER TABLE b1 RENAME COLUMN x TO y;
ALTER TABLE b1 ALTER COLUMN y SET NOT NULL;
