-- Only the trigger function writes post_aggregates, and the release makes it
-- write the new column (lemmy's post_aggregates_community_id migration).
ALTER TABLE post_aggregates ADD COLUMN community_id integer REFERENCES community ON UPDATE CASCADE ON DELETE CASCADE;
CREATE OR REPLACE FUNCTION post_aggregates_post() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP = 'INSERT') THEN
        INSERT INTO post_aggregates (post_id, community_id) VALUES (NEW.id, NEW.community_id);
    ELSIF (TG_OP = 'DELETE') THEN
        DELETE FROM post_aggregates WHERE post_id = OLD.id;
    END IF;
    RETURN NULL;
END
$$;
UPDATE post_aggregates SET community_id = post.community_id FROM post WHERE post.id = post_aggregates.post_id;
ALTER TABLE post_aggregates ALTER COLUMN community_id SET NOT NULL;
