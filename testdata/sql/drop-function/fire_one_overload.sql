-- Two overloads: the one with a weight is dropped, the other is only given a
-- new body. Stable's calls with a weight fail.
DROP FUNCTION user_score(bigint, integer);
CREATE OR REPLACE FUNCTION user_score(uid bigint) RETURNS integer LANGUAGE sql AS $$ SELECT 3 $$;
