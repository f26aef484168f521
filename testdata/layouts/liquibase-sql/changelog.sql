--liquibase formatted sql

--changeset team:1
CREATE TABLE accounts (id bigint PRIMARY KEY, plan text, legacy_flag boolean);
--rollback DROP TABLE down_marker;

--changeset team:2
ALTER TABLE accounts DROP COLUMN legacy_flag;
--rollback ALTER TABLE down_marker ADD COLUMN legacy_flag boolean;

--changeset team:3 runInTransaction:false
CREATE INDEX CONCURRENTLY accounts_plan ON accounts (plan);

--changeset team:4
CREATE INDEX CONCURRENTLY accounts_id_plan ON accounts (id, plan);
