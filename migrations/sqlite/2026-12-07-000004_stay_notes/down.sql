DROP TABLE stay_notes;
