-- The primary key already kept (tenant, id) unique.
ALTER TABLE accounts ADD CONSTRAINT accounts_tenant_id_key UNIQUE (id, tenant);
CREATE UNIQUE INDEX CONCURRENTLY accounts_tenant_id_idx ON accounts (tenant, id);
