CREATE TABLE invoices (id bigint PRIMARY KEY, ref text);
ALTER TABLE invoices RENAME COLUMN ref TO reference;
ALTER TABLE users ADD COLUMN nickname text;
ALTER TABLE public.users RENAME COLUMN nickname TO display_name;
