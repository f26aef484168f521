CREATE TABLE users (id bigint PRIMARY KEY, phone text, email text);
ALTER TABLE users ADD CONSTRAINT users_phone_not_null CHECK (phone IS NOT NULL);
