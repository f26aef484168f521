DROP INDEX orders_customer_idx, orders_created_idx;
