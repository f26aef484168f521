REINDEX (CONCURRENTLY false) INDEX orders_customer_idx;
