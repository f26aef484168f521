CREATE TABLE orders (id bigint PRIMARY KEY, currency char(3) NOT NULL DEFAULT 'EUR');
