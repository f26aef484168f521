CREATE TABLE devices (id bigint PRIMARY KEY, label text NOT NULL);
ALTER TABLE devices ALTER COLUMN label DROP NOT NULL;
