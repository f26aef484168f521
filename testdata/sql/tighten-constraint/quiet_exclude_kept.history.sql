CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE booking (id bigint PRIMARY KEY, room_id bigint NOT NULL, during tstzrange NOT NULL,
  CONSTRAINT booking_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&));
