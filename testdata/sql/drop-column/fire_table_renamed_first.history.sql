CREATE TABLE user_ (id bigint PRIMARY KEY, email text);
