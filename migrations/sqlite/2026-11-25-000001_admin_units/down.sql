DROP TABLE admin_unit_successions;
DROP TABLE admin_units;
