-- A column the release adds and renames is the release's own under its new name too:
-- dropping it takes nothing from stable.
ALTER TABLE users ADD COLUMN tmp_import text;
ALTER TABLE users RENAME COLUMN tmp_import TO import_note;
ALTER TABLE users DROP COLUMN import_note;
