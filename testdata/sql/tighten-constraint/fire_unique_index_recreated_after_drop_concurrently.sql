-- The index is dropped, then its name is taken by a unique index on phone:
-- stable's writes of duplicate phones now fail.
DROP INDEX CONCURRENTLY users_contact_idx;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_contact_idx ON users (phone);
