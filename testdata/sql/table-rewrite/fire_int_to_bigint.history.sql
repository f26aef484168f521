CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer, qty integer, price numeric(10,2), note varchar(50), amount numeric(10,2));
