CREATE TABLE a1 (id bigint PRIMARY KEY, x text);
CREATE TABLE a2 (id bigint PRIMARY KEY, x text);
CREATE TABLE a3 (id bigint PRIMARY KEY, x text);
