CREATE TABLE users (id bigint primary key, email text, name text, email_address text);
