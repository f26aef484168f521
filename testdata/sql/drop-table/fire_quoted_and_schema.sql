CREATE TABLE tmp_a (x int);
DROP TABLE public."Users", audit.log, tmp_a CASCADE;
