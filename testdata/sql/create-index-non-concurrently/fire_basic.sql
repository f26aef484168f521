SET lock_timeout = '2s';
CREATE INDEX idx_orders_customer ON orders (customer_id);
CREATE UNIQUE INDEX IF NOT EXISTS idx_users_email ON public.users USING btree (lower(email));
