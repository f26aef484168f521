ALTER TABLE orders ADD COLUMN code text DEFAULT make_order_code();
