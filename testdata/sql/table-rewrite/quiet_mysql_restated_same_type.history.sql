CREATE TABLE orders (id int PRIMARY KEY, amount int NULL);
