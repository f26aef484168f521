CREATE TYPE mood AS ENUM ('happy', 'sad');
ALTER TYPE mood ADD VALUE 'calm';
