CREATE TABLE post (id serial PRIMARY KEY, community_id int NOT NULL, published timestamp NOT NULL DEFAULT now());
CREATE TABLE post_aggregates (id serial PRIMARY KEY, post_id int NOT NULL REFERENCES post, score bigint NOT NULL DEFAULT 0);
CREATE FUNCTION post_aggregates_post() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP = 'INSERT') THEN
        INSERT INTO post_aggregates (post_id) VALUES (NEW.id);
    ELSIF (TG_OP = 'DELETE') THEN
        DELETE FROM post_aggregates WHERE post_id = OLD.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER post_aggregates_post AFTER INSERT OR DELETE ON post FOR EACH ROW EXECUTE PROCEDURE post_aggregates_post();
