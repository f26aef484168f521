-- Tables renamed in the release, their nullable columns made NOT NULL: stable
-- knows each column under its table's old name (and its own old name).
SET lock_timeout = '2s';
-- Column renamed, made NOT NULL, then the table renamed (lemmy's 2022-11-20
-- sticky_local migration).
ALTER TABLE a1 RENAME COLUMN x TO y;
ALTER TABLE a1 ALTER COLUMN y SET NOT NULL;
ALTER TABLE a1 RENAME TO b1;
-- Table renamed first, then the column made NOT NULL under its table's new name.
ALTER TABLE a2 RENAME TO b2;
ALTER TABLE b2 ALTER COLUMN x SET NOT NULL;
-- Table renamed, then the column renamed and made NOT NULL.
ALTER TABLE a3 RENAME TO b3;
ALTER TABLE b3 RENAME COLUMN x TO y;
ALTER TABLE b3 ALTER COLUMN y SET NOT NULL;
