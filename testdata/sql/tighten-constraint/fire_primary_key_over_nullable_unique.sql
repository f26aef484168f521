-- Unique but nullable: the primary key now rejects stable's NULL codes.
ALTER TABLE codes ADD PRIMARY KEY USING INDEX codes_code_idx;
