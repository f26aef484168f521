CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    owner_id bigint NOT NULL,
    CONSTRAINT orders_owner_user_fk FOREIGN KEY (owner_id) REFERENCES users (id)
);
