CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL, score smallint, created timestamp, doc json);
