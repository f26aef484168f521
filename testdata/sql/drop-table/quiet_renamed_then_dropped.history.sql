CREATE TABLE u2f_devices (id integer PRIMARY KEY, key_handle text);
