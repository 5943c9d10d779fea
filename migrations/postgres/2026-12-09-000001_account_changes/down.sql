DROP TABLE enrolment_codes;
DROP TABLE account_changes;
