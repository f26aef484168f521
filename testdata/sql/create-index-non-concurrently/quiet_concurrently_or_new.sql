CREATE INDEX CONCURRENTLY idx_orders_customer ON orders (customer_id);
CREATE TABLE shipments (id bigint, order_id bigint);
CREATE INDEX idx_shipments_order ON shipments (order_id);
