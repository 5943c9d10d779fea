//! What a safe house does with a placement: accept (holding the beds), decline,
//! check in, check out; and what the case's worker may do: cancel. Taking beds
//! is checked inside the transaction that holds the house (never before it).

use crate::services::cases::access::Versioned;
use chrono::Duration;
use uuid::Uuid;

use super::access::{PlacementInHand, change_placement};
use super::status_of;
use crate::authz::Action;
use crate::domain::placement::{PlacementStatus, check_beds, step};
use crate::domain::vocabulary::{CheckOutOutcome, Code, ConsentPurpose, DeclineReason};
use crate::services::cases::access::{Caller, CaseError};
use crate::store::DbConn;
use crate::store::placements::{self as store, PlacementChanges};

/// Where a placement is now, after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stepped {
    pub status: PlacementStatus,
    pub version: i32,
}

fn parse_code<T: Code>(field: &'static str, text: &str) -> Result<T, CaseError> {
    T::from_code(text.trim())
        .ok_or_else(|| CaseError::invalid(field, format!("choose one of: {}", T::listed())))
}

/// The step from where the placement is now, with the version the person saw.
fn checked_step(
    caller: &Caller,
    p: &PlacementInHand,
    version: i32,
    to: PlacementStatus,
) -> Result<PlacementStatus, CaseError> {
    let from = status_of(&p.row, caller.now)?;
    step(from, to)?;
    if p.row.version != version {
        return Err(CaseError::Stale { record: Versioned::Placement, current: p.row.version });
    }
    Ok(from)
}

/// The beds `p` needs are free now in its house, not counting its own hold when
/// it is still counted. Asked at acceptance and again at check-in: two servers'
/// clocks may disagree on whether a hold has just run out, and the count inside
/// the transaction that holds the house is the only truth.
fn beds_are_free(conn: &mut DbConn, caller: &Caller, p: &PlacementInHand) -> Result<(), CaseError> {
    let house = store::house(conn, &p.row.safe_house_id)?.ok_or(CaseError::NotFound)?;
    if !house.active {
        return Err(CaseError::HouseUnavailable("inactive"));
    }
    let taken = store::beds_taken(conn, &house.id, caller.now_naive())?;
    let own = if status_of(&p.row, caller.now)?.takes_beds() { i64::from(p.row.beds) } else { 0 };
    check_beds(house.capacity, i32::try_from(taken - own).unwrap_or(i32::MAX), p.row.beds)?;
    Ok(())
}

/// The case still takes the placement: open, and the survivor's consent to it
/// still stands (or a supervisor's override allowed it).
fn case_allows(conn: &mut DbConn, caller: &Caller, p: &PlacementInHand) -> Result<(), CaseError> {
    let (row, profile) =
        crate::store::case_work::case_with_profile(conn, &p.row.case_id)?.ok_or(CaseError::NotFound)?;
    let id = row.id.parse().map_err(|_| CaseError::NotFound)?;
    let case = crate::services::cases::access::CaseInHand::new(id, row, profile)?;
    if !case.status().is_open() {
        return Err(CaseError::CaseClosed);
    }
    if p.row.override_id.is_some() {
        return Ok(());
    }
    crate::services::cases::referrals::consent_or_override(conn, caller, &case, ConsentPurpose::Placement)
        .map(drop)
}

fn write(
    conn: &mut DbConn,
    p: &PlacementInHand,
    version: i32,
    status: PlacementStatus,
    changes: PlacementChanges<'_>,
) -> Result<Stepped, CaseError> {
    let changes = PlacementChanges { status: Some(status.as_str()), ..changes };
    if !store::change_placement(conn, &p.row.id, version, &changes)? {
        return Err(CaseError::Stale { record: Versioned::Placement, current: p.row.version });
    }
    Ok(Stepped { status, version: version + 1 })
}

/// The house accepts: the beds are held for `hold`, if they are free.
pub fn accept(
    conn: &mut DbConn,
    caller: &Caller,
    id: Uuid,
    version: i32,
    hold: Duration,
) -> Result<Stepped, CaseError> {
    change_placement(conn, caller, id, Action::PlacementAccept, |conn, p| {
        checked_step(caller, p, version, PlacementStatus::Accepted)?;
        case_allows(conn, caller, p)?;
        beds_are_free(conn, caller, p)?;
        let now = caller.now_naive();
        let by = caller.user_id();
        let changes = PlacementChanges {
            hold_expires_at: Some(Some(now + hold)),
            decided_by: Some(by.as_deref()),
            decided_at: Some(Some(now)),
            ..Default::default()
        };
        write(conn, p, version, PlacementStatus::Accepted, changes)
    })
}

pub fn decline(
    conn: &mut DbConn,
    caller: &Caller,
    id: Uuid,
    version: i32,
    reason: &str,
) -> Result<Stepped, CaseError> {
    change_placement(conn, caller, id, Action::PlacementDecline, |conn, p| {
        let reason: DeclineReason = parse_code("reason", reason)?;
        checked_step(caller, p, version, PlacementStatus::Declined)?;
        let now = caller.now_naive();
        let by = caller.user_id();
        let changes = PlacementChanges {
            decided_by: Some(by.as_deref()),
            decided_at: Some(Some(now)),
            decline_reason: Some(Some(reason.as_str())),
            ..Default::default()
        };
        write(conn, p, version, PlacementStatus::Declined, changes)
    })
}

/// She arrived. After an expired hold the beds must be free again now.
pub fn check_in(conn: &mut DbConn, caller: &Caller, id: Uuid, version: i32) -> Result<Stepped, CaseError> {
    change_placement(conn, caller, id, Action::PlacementCheckIn, |conn, p| {
        checked_step(caller, p, version, PlacementStatus::CheckedIn)?;
        case_allows(conn, caller, p)?;
        beds_are_free(conn, caller, p)?;
        let changes = PlacementChanges {
            checked_in_at: Some(Some(caller.now_naive())),
            hold_expires_at: Some(None),
            ..Default::default()
        };
        write(conn, p, version, PlacementStatus::CheckedIn, changes)
    })
}

pub fn check_out(
    conn: &mut DbConn,
    caller: &Caller,
    id: Uuid,
    version: i32,
    outcome: &str,
) -> Result<Stepped, CaseError> {
    change_placement(conn, caller, id, Action::PlacementCheckOut, |conn, p| {
        let outcome: CheckOutOutcome = parse_code("outcome", outcome)?;
        checked_step(caller, p, version, PlacementStatus::CheckedOut)?;
        let changes = PlacementChanges {
            checked_out_at: Some(Some(caller.now_naive())),
            outcome: Some(Some(outcome.as_str())),
            ..Default::default()
        };
        write(conn, p, version, PlacementStatus::CheckedOut, changes)
    })
}

/// The case's worker withdraws a request or a hold.
pub fn cancel(conn: &mut DbConn, caller: &Caller, id: Uuid, version: i32) -> Result<Stepped, CaseError> {
    change_placement(conn, caller, id, Action::PlacementCancel, |conn, p| {
        checked_step(caller, p, version, PlacementStatus::Cancelled)?;
        let changes = PlacementChanges {
            cancelled_at: Some(Some(caller.now_naive())),
            hold_expires_at: Some(None),
            ..Default::default()
        };
        write(conn, p, version, PlacementStatus::Cancelled, changes)
    })
}
