-- `age` is renamed away and a text column takes its name: stable reads and
-- writes `age` as an integer.
ALTER TABLE users RENAME COLUMN age TO age_old;
ALTER TABLE users ADD COLUMN age text;
ALTER TABLE users RENAME COLUMN phone TO phone_old;
ALTER TABLE users ADD COLUMN phone varchar(20);
