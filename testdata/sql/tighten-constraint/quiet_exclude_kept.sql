-- The table is swapped under its name with the EXCLUDE constraint it had.
CREATE TABLE booking_new (id bigint PRIMARY KEY, room_id bigint NOT NULL, during tstzrange NOT NULL,
  CONSTRAINT booking_no_overlap_new EXCLUDE USING gist (room_id WITH =, during WITH &&));
INSERT INTO booking_new SELECT * FROM booking;
DROP TABLE booking;
ALTER TABLE booking_new RENAME TO booking;
