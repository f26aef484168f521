CREATE TABLE users (id bigint PRIMARY KEY, age int, phone varchar(20));
