CREATE TABLE users (
    id bigint PRIMARY KEY,
    name varchar(100) NOT NULL,
    bio character varying(500),
    balance decimal(12, 2),
    age integer
);
