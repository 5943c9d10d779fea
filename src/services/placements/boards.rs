//! What each reader sees of safe houses and placements: the availability board
//! (free beds by house, never an address), a house's own board (requests, holds,
//! residents — the minimum, and a name only during the stay), and a case's
//! placements for its worker. Every read that opens a name or an address is in
//! the audit log, in the same transaction.

use chrono::Duration;
use diesel::Connection;
use uuid::Uuid;

use super::access::{facts, may};
use super::{Identity, PlacementView, status_of};
use crate::audit::{Event, Outcome};
use crate::authz::{Action, Resource, SafeHouseFacts};
use crate::crypto::{FieldRef, KeyOwner, OwnerKind};
use crate::domain::deadlines::vietnam;
use crate::services::cases::access::{Caller, CaseError, read_case};
use crate::services::sealing::{OwnerKey, Revealed};
use crate::store::DbConn;
use crate::store::placements::{self as store, HouseRow, PlacementRow};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseAvailability {
    pub id: String,
    pub name: String,
    pub commune_code: String,
    pub kind: String,
    pub capacity: i32,
    pub free: i32,
    /// Requests waiting for the house's answer.
    pub waiting: usize,
    pub accepts_children: bool,
    pub accessible: bool,
}

fn house_resource(caller: &Caller, id: &str) -> Resource {
    Resource::SafeHouse(SafeHouseFacts { id: id.to_string(), province: caller.principal.province.clone() })
}

fn denied(conn: &mut DbConn, caller: &Caller, what: &'static str) -> Result<(), CaseError> {
    crate::store::audit::append(
        conn,
        &Event::new(&caller.actor, what, Outcome::Denied, caller.now_naive()).because("forbidden"),
    )?;
    Ok(())
}

/// Free beds in every active house the caller may see. Refused (403) to roles
/// that see no house at all.
pub fn availability(conn: &mut DbConn, caller: &Caller) -> Result<Vec<HouseAvailability>, CaseError> {
    let houses: Vec<HouseRow> = store::houses(conn)?
        .into_iter()
        .filter(|h| {
            caller.policies.is_allowed(
                &caller.principal,
                Action::SafeHouseReadAvailability,
                &house_resource(caller, &h.id),
            )
        })
        .collect();
    let may_see_any = caller.policies.is_allowed(
        &caller.principal,
        Action::SafeHouseReadAvailability,
        &house_resource(caller, caller.principal.safe_house.as_deref().unwrap_or("any")),
    );
    if houses.is_empty() && !may_see_any {
        denied(conn, caller, "safe_house.read_availability")?;
        return Err(CaseError::Forbidden);
    }
    let taken: std::collections::HashMap<String, i64> =
        store::beds_taken_by_house(conn, caller.now_naive())?.into_iter().collect();
    let mut board = Vec::new();
    for h in houses.into_iter().filter(|h| h.active) {
        let waiting =
            store::placements_of_house(conn, &h.id)?.iter().filter(|p| p.status == "requested").count();
        let used = i32::try_from(taken.get(&h.id).copied().unwrap_or(0)).unwrap_or(i32::MAX);
        board.push(HouseAvailability {
            free: (h.capacity - used).max(0),
            id: h.id,
            name: h.name,
            commune_code: h.commune_code,
            kind: h.kind,
            capacity: h.capacity,
            waiting,
            accepts_children: h.accepts_children,
            accessible: h.accessible,
        });
    }
    Ok(board)
}

#[derive(Debug, Clone)]
pub struct HouseBoard {
    pub house: HouseAvailability,
    /// The street address, for the house's own staff and supervisors.
    pub address: Option<String>,
    pub placements: Vec<PlacementView>,
}

/// The board of the caller's own house: safe-house staff only; anyone else is
/// refused, and the refusal audited.
pub fn own_board(conn: &mut DbConn, caller: &Caller) -> Result<HouseBoard, CaseError> {
    match (caller.principal.role, caller.principal.safe_house.clone()) {
        (crate::domain::role::Role::SafeHouseStaff, Some(house)) => house_board(conn, caller, &house),
        _ => {
            denied(conn, caller, "safe_house.board")?;
            Err(CaseError::Forbidden)
        }
    }
}

/// A house's own board: its requests, holds and residents, as its staff may see
/// them. Reading it is an audited read (names appear during stays).
pub fn house_board(conn: &mut DbConn, caller: &Caller, house_id: &str) -> Result<HouseBoard, CaseError> {
    let result = conn.transaction(|conn| {
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, "safe_house.board", Outcome::Success, caller.now_naive())
                .on("safe_house", house_id),
        )?;
        let house = store::house(conn, house_id)?.ok_or(CaseError::NotFound)?;
        let own = caller.principal.role == crate::domain::role::Role::SafeHouseStaff
            && caller.principal.safe_house.as_deref() == Some(house_id);
        if !own
            && !caller.policies.is_allowed(
                &caller.principal,
                Action::SafeHouseReadAddress,
                &house_resource(caller, house_id),
            )
        {
            return Err(CaseError::NotFound);
        }
        let address = open_address(conn, caller, &house)?;
        let availability = availability(conn, caller)?.into_iter().find(|h| h.id == house.id);
        let mut placements = Vec::new();
        for row in store::placements_of_house(conn, house_id)? {
            let facts = facts(conn, caller, &row)?;
            if !may(caller, Action::PlacementRead, &facts) {
                continue;
            }
            let identity = may(caller, Action::PlacementReadIdentity, &facts);
            let notes = may(caller, Action::PlacementReadNotes, &facts);
            placements.push(view(conn, caller, &row, &house, Seen { identity, address: false, notes })?);
        }
        Ok(HouseBoard {
            house: availability.unwrap_or(HouseAvailability {
                id: house.id.clone(),
                name: house.name.clone(),
                commune_code: house.commune_code.clone(),
                kind: house.kind.clone(),
                capacity: house.capacity,
                free: 0,
                waiting: 0,
                accepts_children: house.accepts_children,
                accessible: house.accessible,
            }),
            address,
            placements,
        })
    });
    if let Err(CaseError::NotFound) = &result {
        denied(conn, caller, "safe_house.board")?;
    }
    result
}

fn open_address(conn: &mut DbConn, caller: &Caller, house: &HouseRow) -> Result<Option<String>, CaseError> {
    if !caller.policies.is_allowed(
        &caller.principal,
        Action::SafeHouseReadAddress,
        &house_resource(caller, &house.id),
    ) {
        return Ok(None);
    }
    open_house_address(conn, caller, house)
}

fn open_house_address(
    conn: &mut DbConn,
    caller: &Caller,
    house: &HouseRow,
) -> Result<Option<String>, CaseError> {
    let Some(blob) = &house.address else { return Ok(None) };
    let id: Uuid = house.id.parse().map_err(|_| CaseError::NotFound)?;
    match OwnerKey::open(conn, &caller.keys, KeyOwner::new(OwnerKind::SafeHouse, id))? {
        Revealed::Value(key) => {
            Ok(Some(key.open_text(FieldRef::new("safe_houses", "address", id), blob)?.to_string()))
        }
        Revealed::Erased => Ok(None),
    }
}

/// The placements of a case, for its worker (with the house's address once the
/// house accepted).
pub fn case_placements(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
) -> Result<Vec<PlacementView>, CaseError> {
    read_case(conn, caller, case_id, Action::CaseRead, |conn, case| {
        let mut views = Vec::new();
        for row in store::placements_of_case(conn, &case.row.id)? {
            let facts = facts(conn, caller, &row)?;
            if !may(caller, Action::PlacementRead, &facts) {
                continue;
            }
            let house = store::house(conn, &row.safe_house_id)?.ok_or(CaseError::NotFound)?;
            let address = may(caller, Action::PlacementReadAddress, &facts);
            let notes = may(caller, Action::PlacementReadNotes, &facts);
            // The case's own page shows who she is already: no second opening here.
            views.push(view(conn, caller, &row, &house, Seen { identity: false, address, notes })?);
        }
        Ok(views)
    })
}

/// What a reader may see of a placement beyond the minimum: the name and phone
/// (an audited read), the house's street address, the notes of the stay (an
/// audited read).
struct Seen {
    identity: bool,
    address: bool,
    notes: bool,
}

/// A placement as the caller may see it.
fn view(
    conn: &mut DbConn,
    caller: &Caller,
    row: &PlacementRow,
    house: &HouseRow,
    seen: Seen,
) -> Result<PlacementView, CaseError> {
    let Seen { identity, address, notes } = seen;
    let case_id: Uuid = row.case_id.parse().map_err(|_| CaseError::NotFound)?;
    let placement_id: Uuid = row.id.parse().map_err(|_| CaseError::NotFound)?;
    let key = match OwnerKey::open(conn, &caller.keys, KeyOwner::new(OwnerKind::Case, case_id))? {
        Revealed::Value(key) => Some(key),
        Revealed::Erased => None,
    };
    let open = |column, blob: &Option<crate::crypto::SealedBlob>| -> Result<Option<String>, CaseError> {
        match (&key, blob) {
            (Some(key), Some(blob)) => {
                Ok(Some(key.open_text(FieldRef::new("placements", column, placement_id), blob)?.to_string()))
            }
            _ => Ok(None),
        }
    };
    let notes = match (notes, &key) {
        (true, Some(key)) => super::notes::read_notes(conn, caller, placement_id, key)?,
        _ => Vec::new(),
    };
    let (case, profile) =
        crate::store::case_work::case_with_profile(conn, &row.case_id)?.ok_or(CaseError::NotFound)?;
    let status = status_of(row, caller.now)?;
    let today = caller.now.with_timezone(&vietnam()).date_naive();
    let who = match (identity, &key) {
        (true, Some(key)) => {
            crate::store::audit::append(
                conn,
                &Event::new(&caller.actor, "placement.read_identity", Outcome::Success, caller.now_naive())
                    .on("placement", placement_id),
            )?;
            let survivor = crate::store::cases::survivor(conn, &row.case_id)?.ok_or(CaseError::NotFound)?;
            let field = |column| FieldRef::new("survivors", column, case_id);
            Some(Identity {
                full_name: key.open_text(field("full_name"), &survivor.full_name)?.to_string(),
                phone: match &survivor.phone {
                    Some(blob) => Some(key.open_text(field("phone"), blob)?.to_string()),
                    None => None,
                },
            })
        }
        _ => None,
    };
    Ok(PlacementView {
        id: row.id.clone(),
        case_id: row.case_id.clone(),
        safe_house_id: house.id.clone(),
        safe_house_name: house.name.clone(),
        status,
        beds: row.beds,
        children: row.children.split(',').filter(|c| !c.is_empty()).map(str::to_string).collect(),
        alias: open("alias", &row.alias)?,
        needs: open("needs", &row.needs)?,
        sex: profile.sex,
        age_group: profile.age_group,
        risk_level: case.risk_level,
        expected_end_on: row.expected_end_on,
        requested_at: row.requested_at.and_utc(),
        hold_expires_at: row.hold_expires_at.map(|t| t.and_utc()),
        checked_in_at: row.checked_in_at.map(|t| t.and_utc()),
        checked_out_at: row.checked_out_at.map(|t| t.and_utc()),
        decline_reason: row.decline_reason.clone(),
        outcome: row.outcome.clone(),
        overdue: status == crate::domain::placement::PlacementStatus::CheckedIn
            && row.expected_end_on.is_some_and(|end| end < today),
        version: row.version,
        identity: who,
        address: if address { open_house_address(conn, caller, house)? } else { None },
        notes,
    })
}

/// How long an accepted placement holds its beds, from the configuration.
pub fn hold_of(hours: u32) -> Duration {
    Duration::hours(i64::from(hours))
}
