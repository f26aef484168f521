DROP INDEX CONCURRENTLY idx_orders_legacy;
CREATE INDEX CONCURRENTLY idx_tmp ON orders (created_at);
DROP INDEX idx_tmp;
