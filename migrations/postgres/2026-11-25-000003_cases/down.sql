DROP TABLE case_counters;
DROP TABLE survivors;
DROP TABLE cases;
