DROP TABLE survivors;
DROP TABLE cases;
