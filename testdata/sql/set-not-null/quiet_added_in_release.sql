ALTER TABLE users ADD COLUMN locale text;
UPDATE users SET locale = 'en';
ALTER TABLE users ALTER COLUMN locale SET NOT NULL;
