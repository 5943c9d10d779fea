//! Safe houses and placements (design §9): requesting a bed from a case, the
//! house accepting, declining, checking in and out, the availability board, and
//! what a house's staff may know of the women and children they receive.

pub mod access;
pub mod boards;
pub mod glance;
pub mod handling;
pub mod houses;
pub mod notes;
pub mod request;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::placement::PlacementStatus;
use crate::store::placements::PlacementRow;

/// A placement as its reader may see it. Staff of the house see the minimum
/// (alias, sex, age group, children, needs, risk, dates); the name and phone only
/// while the policies allow it (from acceptance until check-out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementView {
    pub id: String,
    pub case_id: String,
    pub safe_house_id: String,
    pub safe_house_name: String,
    /// As of now: an accepted placement whose hold ran out is `hold_expired`.
    pub status: PlacementStatus,
    pub beds: i32,
    pub children: Vec<String>,
    pub alias: Option<String>,
    pub needs: Option<String>,
    pub sex: String,
    pub age_group: String,
    pub risk_level: Option<String>,
    pub expected_end_on: Option<NaiveDate>,
    pub requested_at: DateTime<Utc>,
    pub hold_expires_at: Option<DateTime<Utc>>,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub decline_reason: Option<String>,
    pub outcome: Option<String>,
    /// A stay past its expected end.
    pub overdue: bool,
    pub version: i32,
    /// The resident's name and phone, when the reader may see them now.
    pub identity: Option<Identity>,
    /// The house's street address, when the reader may see it now.
    pub address: Option<String>,
    /// The notes of the stay, oldest first, when the reader may read them now.
    pub notes: Vec<notes::StayNote>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub full_name: String,
    pub phone: Option<String>,
}

/// The placement's status as of `now`; a stored status the code does not know is
/// an error, never read as cancelled (which would free its beds).
pub(crate) fn status_of(
    row: &PlacementRow,
    now: DateTime<Utc>,
) -> Result<PlacementStatus, crate::store::closed::Unreadable> {
    let stored =
        crate::store::closed::read(PlacementStatus::parse, "placements", "status", &row.id, &row.status)?;
    Ok(PlacementStatus::as_of(stored, row.hold_expires_at.map(|t| t.and_utc()), now))
}
