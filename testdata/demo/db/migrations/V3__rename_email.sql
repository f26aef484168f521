-- Release 1.2 (the canary): rename users.email.
-- Fine for the canary alone; stable still inserts into "email".
SET lock_timeout = '2s';

ALTER TABLE users
    RENAME COLUMN email TO email_address;
