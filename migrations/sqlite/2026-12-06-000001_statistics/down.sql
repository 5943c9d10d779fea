DROP TABLE stat_tallies;
DROP INDEX placements_checked_in;
DROP INDEX referrals_created;
DROP INDEX protection_measures_starts;
DROP INDEX cases_reported;
