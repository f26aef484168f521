-- The trigger function that fills post_aggregates still inserts without the
-- new column: its inserts fail once the column is NOT NULL.
ALTER TABLE post_aggregates ADD COLUMN community_id integer;
UPDATE post_aggregates SET community_id = post.community_id FROM post WHERE post.id = post_aggregates.post_id;
ALTER TABLE post_aggregates ALTER COLUMN community_id SET NOT NULL;
