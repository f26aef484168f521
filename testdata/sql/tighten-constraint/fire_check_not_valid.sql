ALTER TABLE users ADD CONSTRAINT phone_len CHECK (length(phone) > 5) NOT VALID;
