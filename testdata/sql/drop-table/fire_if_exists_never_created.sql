DROP TABLE IF EXISTS sessions_bkp;
