VACUUM ANALYZE orders;
VACUUM (ANALYZE) events;
ALTER TABLE orders ADD COLUMN created_on date DEFAULT current_date;
ALTER TABLE orders ADD COLUMN tags text[] DEFAULT '{}'::text[];
ALTER TABLE orders ADD COLUMN ratio numeric DEFAULT '0'::numeric(10, 2);
