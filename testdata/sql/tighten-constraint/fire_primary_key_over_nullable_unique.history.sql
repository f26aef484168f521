CREATE TABLE codes (code text, label text);
CREATE UNIQUE INDEX codes_code_idx ON codes (code);
