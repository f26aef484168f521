CREATE TABLE accounts (id bigint PRIMARY KEY, code text NOT NULL, CONSTRAINT accounts_code_key UNIQUE (code));
ALTER TABLE accounts RENAME CONSTRAINT accounts_code_key TO accounts_code_uniq;
