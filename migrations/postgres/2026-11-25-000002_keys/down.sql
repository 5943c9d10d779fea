DROP TABLE data_keys;
DROP TABLE key_canaries;
