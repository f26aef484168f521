CREATE TEMP TABLE import_batch (id bigint);
DROP TABLE import_batch;
CREATE TABLE new_things (id bigint);
DROP TABLE new_things;
