ALTER TABLE orders
    ALTER COLUMN amount TYPE integer USING amount::integer;
