ALTER TABLE audit_tmp DROP COLUMN payload;
