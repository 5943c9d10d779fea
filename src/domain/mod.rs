//! Pure types and rules of the work: no I/O here, so every rule can be tested and
//! property-tested in isolation.

pub mod admin_units;
pub mod role;
