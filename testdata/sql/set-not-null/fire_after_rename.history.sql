CREATE TABLE version_owner_actions (id bigint PRIMARY KEY, owner_id integer, version_id integer);
