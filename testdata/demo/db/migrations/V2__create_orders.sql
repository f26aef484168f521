-- Release 1.1: orders, with a nullable note added the expand way.
CREATE TABLE orders (
    id       BIGSERIAL PRIMARY KEY,
    user_id  BIGINT NOT NULL REFERENCES users (id),
    total    NUMERIC(10, 2) NOT NULL
);

ALTER TABLE orders ADD COLUMN note TEXT;
