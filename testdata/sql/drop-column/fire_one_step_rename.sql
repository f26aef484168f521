-- A rename squeezed into one release: add the new column, copy, drop the old one.
ALTER TABLE users ADD COLUMN email_address text;
UPDATE users SET email_address = email;
ALTER TABLE users DROP COLUMN email;
