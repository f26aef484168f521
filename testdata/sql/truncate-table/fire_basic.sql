TRUNCATE TABLE carts, cart_items;
