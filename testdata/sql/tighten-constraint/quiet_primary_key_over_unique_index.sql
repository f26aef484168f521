-- code was NOT NULL and unique already: the primary key rejects nothing new.
ALTER TABLE codes ADD PRIMARY KEY USING INDEX codes_code_idx;
