EXEC sp_rename 'dbo.customers', 'accounts';
