CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric);
ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID;
