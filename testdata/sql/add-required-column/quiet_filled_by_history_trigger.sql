-- The BEFORE INSERT trigger of the history sets the new column.
ALTER TABLE users ADD COLUMN tenant_id bigint;
UPDATE users SET tenant_id = 1 WHERE tenant_id IS NULL;
ALTER TABLE users ALTER COLUMN tenant_id SET NOT NULL;
