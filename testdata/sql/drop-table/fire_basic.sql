DROP TABLE IF EXISTS legacy_sessions;
