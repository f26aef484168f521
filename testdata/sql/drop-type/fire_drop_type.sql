DROP TYPE legacy_flag;
