CREATE TABLE staging_orders (id bigint);
ALTER TABLE staging_orders RENAME TO orders_v2;
ALTER TABLE orders_v2 RENAME TO orders_v3;
