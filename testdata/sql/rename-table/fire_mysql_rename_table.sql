RENAME TABLE orders TO orders_old, orders_new TO orders;
