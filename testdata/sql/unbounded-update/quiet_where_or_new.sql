UPDATE users SET plan = 'free' WHERE plan IS NULL;
UPDATE users SET plan = (SELECT 'free' WHERE true) WHERE id < 1000;
ALTER TABLE users ADD COLUMN locale text;
CREATE TABLE plans (name text);
UPDATE plans SET name = lower(name);
