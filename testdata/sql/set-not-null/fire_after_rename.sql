-- The column is renamed, then made NOT NULL under its new name: stable knows it
-- as owner_id, nullable, and its INSERTs that leave it out now fail.
ALTER TABLE version_owner_actions RENAME COLUMN owner_id TO user_id;
ALTER TABLE version_owner_actions ALTER COLUMN user_id SET NOT NULL;
