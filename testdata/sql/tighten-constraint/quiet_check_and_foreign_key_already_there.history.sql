CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    price numeric NOT NULL,
    CONSTRAINT orders_price_positive CHECK (price > 0),
    CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
);
