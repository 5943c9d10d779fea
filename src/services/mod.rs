//! Use cases. Each call authorizes, opens one transaction, does the work, records
//! what it did and commits: the only layer that composes the others.

pub mod cases;
pub mod erasure;
pub mod keys;
pub mod sealing;
pub mod units;
