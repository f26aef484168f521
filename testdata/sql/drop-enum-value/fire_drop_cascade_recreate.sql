DROP TYPE order_status CASCADE;
CREATE TYPE order_status AS ENUM ('pending', 'shipped');
