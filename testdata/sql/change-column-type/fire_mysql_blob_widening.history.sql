CREATE TABLE tasks (id bigint PRIMARY KEY, data BLOB NOT NULL);
