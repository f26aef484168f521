-- A routine body is scanned for DDL: this function drops the column when called.
CREATE FUNCTION purge_email() RETURNS void AS $$
BEGIN
  ALTER TABLE users DROP COLUMN email;
END;
$$ LANGUAGE plpgsql;
