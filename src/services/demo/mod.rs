//! The demo's fictional world (`binhan demo`): the people of the journeys in
//! shared/JOURNEYS.md, and a province's worth of fictional cases over the last two
//! years, recorded through the same services as real work, with a simulated clock.
//! Every name, phone number and story is made up.

mod accounts;
mod cases;
mod communes;
mod houses;
mod names;
mod plan;
mod providers;
mod random;
mod reports;
mod stays;
mod stories;
mod world;

pub use accounts::{DEMO_SAFE_HOUSE, DemoAccount, create_accounts, create_house_staff};
pub use cases::{DemoError, DemoWorld, seed_cases};
pub use houses::create_safe_houses;
pub use stays::seed_stays;
