CREATE FUNCTION user_score(uid bigint) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
