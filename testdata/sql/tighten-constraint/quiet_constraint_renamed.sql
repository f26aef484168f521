-- The constraint the history renamed is still there: the release restates it
-- under its old name after dropping it under the new one.
ALTER TABLE accounts DROP CONSTRAINT accounts_code_uniq;
ALTER TABLE accounts ADD CONSTRAINT accounts_code_key UNIQUE (code);
