ALTER TYPE order_status RENAME TO order_state;
