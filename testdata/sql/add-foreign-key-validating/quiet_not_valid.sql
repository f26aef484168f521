ALTER TABLE orders
    ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
CREATE TABLE refunds (id bigint, order_id bigint);
ALTER TABLE refunds ADD FOREIGN KEY (order_id) REFERENCES orders (id);
