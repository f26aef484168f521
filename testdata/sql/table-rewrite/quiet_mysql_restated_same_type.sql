ALTER TABLE orders MODIFY amount int NOT NULL;
ALTER TABLE orders MODIFY note varchar(20);
ALTER TABLE orders ADD COLUMN total int AS (amount * 2);
