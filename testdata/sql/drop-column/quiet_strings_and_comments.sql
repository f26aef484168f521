-- ALTER TABLE users DROP COLUMN email;
/* DROP COLUMN email; */
COMMENT ON TABLE users IS 'we will DROP COLUMN email later';
INSERT INTO audit (note) VALUES ('ALTER TABLE users DROP COLUMN email');
