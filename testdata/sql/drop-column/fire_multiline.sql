ALTER TABLE users
    ADD COLUMN email_verified boolean DEFAULT false,
    DROP COLUMN legacy_flags,
    ALTER COLUMN name SET DEFAULT '';
