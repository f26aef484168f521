CREATE TABLE orders (id int PRIMARY KEY, amount int NOT NULL);
