-- One overload dropped and re-created with its signature; the other untouched.
DROP FUNCTION user_score(bigint);
CREATE FUNCTION user_score(uid bigint) RETURNS integer LANGUAGE sql AS $$ SELECT 3 $$;
