-- The trigger that could have set the column is dropped in the release.
DROP TRIGGER users_tenant ON users;
ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;
