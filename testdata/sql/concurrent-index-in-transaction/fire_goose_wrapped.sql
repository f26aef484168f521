-- +goose Up
CREATE INDEX CONCURRENTLY idx_orders_customer ON orders (customer_id);

-- +goose Down
DROP INDEX CONCURRENTLY idx_orders_customer;
