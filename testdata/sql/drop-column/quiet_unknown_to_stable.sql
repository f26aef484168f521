ALTER TABLE audit_tmp DROP COLUMN payload;
ALTER TABLE users DROP COLUMN nickname;
