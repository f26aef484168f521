SET SESSION lock_wait_timeout = 2;
ALTER TABLE orders ADD COLUMN note TEXT;
