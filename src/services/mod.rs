//! Use cases. Each call authorizes, opens one transaction, does the work, records
//! what it did and commits: the only layer that composes the others.

pub mod account_changes;
pub mod accounts;
pub mod auth;
pub mod backup;
pub mod cases;
pub mod communes;
pub mod demo;
pub mod enrolment;
pub mod erasure;
pub mod keys;
pub mod placements;
pub mod sealing;
pub mod stats;
pub mod units;
