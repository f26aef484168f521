CREATE TABLE a1 (id bigint PRIMARY KEY, x text NOT NULL);
