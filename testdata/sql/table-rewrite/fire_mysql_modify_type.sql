ALTER TABLE orders MODIFY amount bigint NOT NULL;
