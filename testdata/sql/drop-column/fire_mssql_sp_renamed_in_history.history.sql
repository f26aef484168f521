CREATE TABLE dbo.users (id int NOT NULL PRIMARY KEY, email nvarchar(200) NULL);
EXEC sp_rename 'dbo.users.email', 'email_address', 'COLUMN';
