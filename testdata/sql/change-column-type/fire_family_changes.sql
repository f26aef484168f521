ALTER TABLE accounts ALTER COLUMN balance TYPE numeric(12, 2);
ALTER TABLE accounts ALTER COLUMN score TYPE double precision;
ALTER TABLE accounts ALTER COLUMN created TYPE timestamptz;
ALTER TABLE accounts ALTER COLUMN doc TYPE jsonb;
