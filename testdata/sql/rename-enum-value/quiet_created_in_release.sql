CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';
ALTER TYPE order_status ADD VALUE 'returned';
