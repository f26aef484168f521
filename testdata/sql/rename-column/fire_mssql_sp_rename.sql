EXEC sp_rename 'dbo.users.email', 'email_address', 'COLUMN';
