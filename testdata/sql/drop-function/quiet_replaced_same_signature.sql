DROP FUNCTION user_score(bigint);
CREATE FUNCTION user_score(uid bigint) RETURNS integer LANGUAGE sql AS $$ SELECT 2 $$;
