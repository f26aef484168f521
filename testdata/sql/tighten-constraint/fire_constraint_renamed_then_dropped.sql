-- The history renamed the unique constraint and then dropped it under its new
-- name: stable may write duplicate codes.
ALTER TABLE accounts ADD CONSTRAINT accounts_code_key UNIQUE (code);
