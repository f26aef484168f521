ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS (qty * price) STORED;
