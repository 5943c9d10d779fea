//! Asking a safe house for beds, from a case: the case must be open, the house
//! active and big enough, the placement consented to (or overridden by a
//! supervisor), and a house in the perpetrator's own commune confirmed with a
//! reason (design §9).

use chrono::NaiveDate;
use uuid::Uuid;

use crate::authz::Action;
use crate::domain::age::AgeGroup;
use crate::domain::intake::{FieldProblem, MAX_NOTE_CHARS, check_text};
use crate::domain::placement::{BedsRefused, PlacementStatus, beds_for};
use crate::domain::vocabulary::ConsentPurpose;
use crate::services::cases::access::{Caller, CaseError, change_case};
use crate::services::cases::referrals::consent_or_override;
use crate::services::cases::work::{case_key, seal_text};
use crate::store::DbConn;
use crate::store::placements::{self as store, PlacementRow};

#[derive(Debug, Clone, Default)]
pub struct PlacementRequest {
    pub safe_house_id: String,
    /// What the house calls her: never her name.
    pub alias: String,
    /// The age groups of the children who come with her.
    pub children: Vec<String>,
    pub needs: Option<String>,
    pub expected_end_on: Option<NaiveDate>,
    /// Required when the house is in the commune where the perpetrator lives.
    pub near_perpetrator_reason: Option<String>,
}

pub const MAX_ALIAS_CHARS: usize = 60;

pub fn request_placement(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    request: &PlacementRequest,
) -> Result<Uuid, CaseError> {
    change_case(conn, caller, case_id, Action::CaseRequestPlacement, |conn, case| {
        let children = check_request(caller, request)?;
        if !case.status().is_open() {
            return Err(CaseError::CaseClosed);
        }
        // change_case wrote the case's row first: a second request for this case
        // waits here until this one commits, then finds it (design §3).
        if let Some(open) = store::open_placement_of_case(conn, &case.row.id)? {
            let house = store::house(conn, &open.safe_house_id)?.ok_or(CaseError::NotFound)?.name;
            return Err(CaseError::PlacementOpen {
                status: super::status_of(&open, caller.now)?,
                id: open.id,
                house,
            });
        }
        let house = store::house(conn, request.safe_house_id.trim())?
            .ok_or_else(|| CaseError::invalid("safe_house_id", "is not a safe house"))?;
        if !house.active {
            return Err(CaseError::HouseUnavailable("inactive"));
        }
        if !children.is_empty() && !house.accepts_children {
            return Err(CaseError::HouseUnavailable("no_children"));
        }
        let beds = beds_for(children.len());
        if beds > house.capacity {
            return Err(BedsRefused::MoreThanCapacity { capacity: house.capacity, needed: beds }.into());
        }
        let perpetrator = crate::store::case_work::perpetrator(conn, &case.row.id)?;
        let near = perpetrator.and_then(|p| p.commune_code).is_some_and(|c| c == house.commune_code);
        let reason = request.near_perpetrator_reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        if near && reason.is_none() {
            return Err(CaseError::invalid(
                "near_perpetrator_reason",
                "the perpetrator lives in this commune: confirm with a reason, or choose another house",
            ));
        }
        let override_id = consent_or_override(conn, caller, case, ConsentPurpose::Placement)?;
        let key = case_key(conn, caller, case)?;
        let id = Uuid::now_v7();
        store::insert_placement(
            conn,
            &PlacementRow {
                id: id.to_string(),
                case_id: case.row.id.clone(),
                safe_house_id: house.id,
                status: PlacementStatus::Requested.as_str().into(),
                beds,
                children: children.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(","),
                alias: seal_text(&key, "placements", "alias", id, Some(&request.alias))?,
                needs: seal_text(&key, "placements", "needs", id, request.needs.as_deref())?,
                near_perpetrator_reason: seal_text(
                    &key,
                    "placements",
                    "near_perpetrator_reason",
                    id,
                    reason,
                )?,
                override_id,
                expected_end_on: request.expected_end_on,
                requested_by: caller.user_id(),
                requested_at: caller.now_naive(),
                hold_expires_at: None,
                decided_by: None,
                decided_at: None,
                decline_reason: None,
                checked_in_at: None,
                checked_out_at: None,
                outcome: None,
                cancelled_at: None,
                version: 1,
            },
        )?;
        Ok(id)
    })
}

/// Every rule of the request's own fields; the children's age groups, parsed.
fn check_request(caller: &Caller, request: &PlacementRequest) -> Result<Vec<AgeGroup>, CaseError> {
    let mut problems: Vec<FieldProblem> = Vec::new();
    problems.extend(check_text("alias", &request.alias, MAX_ALIAS_CHARS, true, false).err());
    problems.extend(
        check_text("needs", request.needs.as_deref().unwrap_or(""), MAX_NOTE_CHARS, false, true).err(),
    );
    problems.extend(
        check_text(
            "near_perpetrator_reason",
            request.near_perpetrator_reason.as_deref().unwrap_or(""),
            MAX_NOTE_CHARS,
            false,
            true,
        )
        .err(),
    );
    let mut children = Vec::new();
    for code in &request.children {
        match AgeGroup::parse(code.trim()) {
            Some(group) if group.is_under_18() => children.push(group),
            _ => problems.push(FieldProblem {
                field: "children",
                message: "give each child's age group: 0-5, 6-11, 12-15 or 16-17".into(),
            }),
        }
    }
    if children.len() > 12 {
        problems
            .push(FieldProblem { field: "children", message: "at most 12 children in one request".into() });
    }
    let today = caller.now.with_timezone(&crate::domain::deadlines::vietnam()).date_naive();
    if request.expected_end_on.is_some_and(|end| end < today) {
        problems.push(FieldProblem { field: "expected_end_on", message: "is in the past".into() });
    } else if request
        .expected_end_on
        .is_some_and(|end| end > (caller.now + crate::domain::intake::PLANNING_HORIZON).date_naive())
    {
        problems
            .push(FieldProblem { field: "expected_end_on", message: "is more than two years ahead".into() });
    }
    if problems.is_empty() { Ok(children) } else { Err(CaseError::Invalid(problems)) }
}
