-- The same check and foreign key under new names (the old ones are dropped in
-- a later release): stable's writes already passed them.
ALTER TABLE orders ADD CONSTRAINT orders_price_check CHECK (price > 0);
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users;
