CREATE TABLE memberships (user_id bigint);
ALTER TABLE memberships ADD COLUMN org_id bigint NOT NULL;
