-- The table is renamed away, its rows copied, and then dropped under the new
-- name: the rename is what stable sees (rename-table), not a second drop.
ALTER TABLE u2f_devices RENAME TO _bkp_u2f_devices;
CREATE TABLE webauthn_devices (id integer PRIMARY KEY, kid text);
INSERT INTO webauthn_devices (id, kid) SELECT id, key_handle FROM _bkp_u2f_devices;
DROP TABLE IF EXISTS _bkp_u2f_devices;
