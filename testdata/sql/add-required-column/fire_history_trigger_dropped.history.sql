CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE FUNCTION set_tenant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.tenant_id := current_setting('app.tenant')::bigint;
  RETURN NEW;
END
$$;
CREATE TRIGGER users_tenant BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION set_tenant();
