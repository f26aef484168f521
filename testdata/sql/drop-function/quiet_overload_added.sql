-- A new overload beside the old one: stable's calls of user_score(bigint) still work.
CREATE OR REPLACE FUNCTION user_score(uid bigint, weight integer) RETURNS integer LANGUAGE sql AS $$ SELECT 2 $$;
