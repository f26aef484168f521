ALTER TABLE users CHANGE name full_name varchar(10);
