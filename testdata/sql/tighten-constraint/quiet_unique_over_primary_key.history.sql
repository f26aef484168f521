CREATE TABLE accounts (tenant bigint NOT NULL, id bigint NOT NULL, PRIMARY KEY (tenant, id));
