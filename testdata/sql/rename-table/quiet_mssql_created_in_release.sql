CREATE TABLE tmp_t (id int);
EXEC sp_rename 'tmp_t', 'tmp_u';
