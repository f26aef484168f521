DROP TABLE down_marker;
