CREATE TYPE scratch AS ENUM ('x');
DROP TYPE scratch;
