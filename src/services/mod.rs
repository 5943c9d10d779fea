//! Use cases. Each call authorizes, opens one transaction, does the work, records
//! what it did and commits: the only layer that composes the others.

pub mod units;
