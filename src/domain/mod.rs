//! Pure types and rules of the work: no I/O here, so every rule can be tested and
//! property-tested in isolation.

pub mod access;
pub mod admin_units;
pub mod age;
pub mod case_clock;
pub mod closure;
pub mod consent;
pub mod deadlines;
pub mod disclosure;
pub mod intake;
pub mod lifecycle;
pub mod password;
pub mod placement;
pub mod referral;
pub mod reporting;
pub mod risk;
pub mod role;
pub mod vocabulary;
