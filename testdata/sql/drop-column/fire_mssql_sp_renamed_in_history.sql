-- Stable knows the column by the name sp_rename gave it in the history.
ALTER TABLE dbo.users DROP COLUMN email_address;
