-- Stable may still book overlapping stays in one room; those inserts now fail.
ALTER TABLE booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);
