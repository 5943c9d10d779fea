DROP TABLE placements;
DROP TABLE safe_houses;
