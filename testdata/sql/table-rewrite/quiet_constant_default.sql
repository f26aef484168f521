ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';
ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT now();
CREATE TABLE tokens (id bigint);
ALTER TABLE tokens ADD COLUMN token uuid DEFAULT gen_random_uuid();
