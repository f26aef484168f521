-- Renamed and restated NOT NULL: the column stable knew was NOT NULL already.
ALTER TABLE version_owner_actions RENAME COLUMN owner_id TO user_id;
ALTER TABLE version_owner_actions ALTER COLUMN user_id SET NOT NULL;
