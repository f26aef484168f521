-- The table is renamed, then a column dropped under the new table name: stable
-- knows the column as user_.email.
ALTER TABLE user_ RENAME TO person;
ALTER TABLE person DROP COLUMN email;
