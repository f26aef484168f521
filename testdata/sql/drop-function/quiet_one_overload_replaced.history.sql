CREATE FUNCTION user_score(uid bigint) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION user_score(uid bigint, weight integer) RETURNS integer LANGUAGE sql AS $$ SELECT 2 $$;
