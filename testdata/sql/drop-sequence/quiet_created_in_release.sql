CREATE SEQUENCE scratch_seq;
DROP SEQUENCE scratch_seq;
