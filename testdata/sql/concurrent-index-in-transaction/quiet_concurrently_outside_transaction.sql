CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);
DROP INDEX CONCURRENTLY IF EXISTS orders_old_idx;
