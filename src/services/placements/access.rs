//! Work on a placement: one transaction that writes the house's row first (so the
//! beds it counts stay true until it commits), asks the policies about this
//! placement, does the work and records it. A refusal is audited on its own.

use diesel::Connection;
use uuid::Uuid;

use crate::audit::{Event, Outcome};
use crate::authz::{Action, PlacementFacts, Principal, Resource};
use crate::services::cases::access::{Caller, CaseError};
use crate::store::DbConn;
use crate::store::placements::{self as store, PlacementRow};

/// A placement in hand, with the facts the policies were asked with.
pub struct PlacementInHand {
    pub id: Uuid,
    pub row: PlacementRow,
    pub facts: PlacementFacts,
}

pub fn facts(conn: &mut DbConn, caller: &Caller, row: &PlacementRow) -> Result<PlacementFacts, CaseError> {
    let (commune, assigned_to, _) = store::case_of(conn, &row.case_id)?.ok_or(CaseError::NotFound)?;
    Ok(PlacementFacts {
        id: row.id.clone(),
        safe_house: row.safe_house_id.clone(),
        case_commune: commune,
        case_assigned_to: assigned_to,
        province: caller.principal.province.clone(),
        status: super::status_of(row, caller.now)?.as_str().to_string(),
    })
}

pub fn may(caller: &Caller, action: Action, facts: &PlacementFacts) -> bool {
    allowed(&caller.principal, caller, action, facts)
}

fn allowed(principal: &Principal, caller: &Caller, action: Action, facts: &PlacementFacts) -> bool {
    caller.policies.is_allowed(principal, action, &Resource::Placement(facts.clone()))
}

/// Changes a placement as `action`, holding its house first.
pub fn change_placement<T>(
    conn: &mut DbConn,
    caller: &Caller,
    placement_id: Uuid,
    action: Action,
    work: impl FnOnce(&mut DbConn, &PlacementInHand) -> Result<T, CaseError>,
) -> Result<T, CaseError> {
    let id = placement_id.to_string();
    // The house never changes: read it before the transaction whose first write
    // holds it.
    let Some(house) = store::house_of(conn, &id)? else {
        return refused(conn, caller, placement_id, action, CaseError::NotFound);
    };
    let result = conn.transaction(|conn| {
        store::hold_house(conn, &house, caller.now_naive())?;
        let row = store::placement(conn, &id)?.ok_or(CaseError::NotFound)?;
        let facts = facts(conn, caller, &row)?;
        let resource = Resource::Placement(facts.clone());
        caller.policies.require(&caller.principal, action, &resource).map_err(|refusal| match refusal {
            crate::error::AppError::NotFound => CaseError::NotFound,
            _ => CaseError::Forbidden,
        })?;
        let case_id = row.case_id.clone();
        let done = work(conn, &PlacementInHand { id: placement_id, row, facts })?;
        // A placement's step can move its case's deadlines: the lists' sort key
        // follows in this transaction.
        crate::services::cases::clock::refresh(conn, &case_id, &caller.holidays)?;
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, action.as_str(), Outcome::Success, caller.now_naive())
                .on("placement", placement_id),
        )?;
        Ok(done)
    });
    match result {
        Err(e @ (CaseError::NotFound | CaseError::Forbidden)) => {
            refused(conn, caller, placement_id, action, e)
        }
        other => other,
    }
}

fn refused<T>(
    conn: &mut DbConn,
    caller: &Caller,
    placement_id: Uuid,
    action: Action,
    error: CaseError,
) -> Result<T, CaseError> {
    let code = if matches!(error, CaseError::NotFound) { "not_found" } else { "forbidden" };
    crate::store::audit::append(
        conn,
        &Event::new(&caller.actor, action.as_str(), Outcome::Denied, caller.now_naive())
            .on("placement", placement_id)
            .because(code),
    )?;
    Err(error)
}
