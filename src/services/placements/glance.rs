//! What a house's staff see first on their home page: how many requests wait,
//! how many places are held (and holds that ran out), how many women stay. Counts
//! only: no one's details, so nothing is opened and nothing needs auditing.

use super::boards::{HouseAvailability, availability};
use super::status_of;
use crate::domain::placement::PlacementStatus;
use crate::domain::role::Role;
use crate::services::cases::access::{Caller, CaseError};
use crate::store::DbConn;
use crate::store::placements as store;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseGlance {
    pub house: HouseAvailability,
    pub requests: usize,
    pub holds: usize,
    pub expired_holds: usize,
    pub residents: usize,
}

/// The caller's own house at a glance: safe-house staff only (anyone else, or
/// staff of a house no longer active, gets `None`).
pub fn own_house(conn: &mut DbConn, caller: &Caller) -> Result<Option<HouseGlance>, CaseError> {
    let (Role::SafeHouseStaff, Some(own)) = (caller.principal.role, caller.principal.safe_house.as_deref())
    else {
        return Ok(None);
    };
    let Some(house) = availability(conn, caller)?.into_iter().find(|h| h.id == own) else { return Ok(None) };
    let mut glance = HouseGlance { house, requests: 0, holds: 0, expired_holds: 0, residents: 0 };
    for row in store::placements_of_house(conn, own)? {
        match status_of(&row, caller.now)? {
            PlacementStatus::Requested => glance.requests += 1,
            PlacementStatus::Accepted => glance.holds += 1,
            PlacementStatus::HoldExpired => glance.expired_holds += 1,
            PlacementStatus::CheckedIn => glance.residents += 1,
            PlacementStatus::Declined | PlacementStatus::CheckedOut | PlacementStatus::Cancelled => {}
        }
    }
    Ok(Some(glance))
}
