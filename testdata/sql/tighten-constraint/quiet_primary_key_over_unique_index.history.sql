CREATE TABLE codes (code text NOT NULL, label text);
CREATE UNIQUE INDEX codes_code_idx ON codes (code);
