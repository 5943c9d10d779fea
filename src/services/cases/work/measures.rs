//! Protection measures of Article 22, with their dates and limits.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::super::access::{Caller, CaseError, change_case};
use crate::authz::Action;
use crate::domain::deadlines::{NoContactOrderBy, no_contact_limit};
use crate::domain::intake::{FieldProblem, MAX_NOTE_CHARS, check_time};
use crate::domain::vocabulary::{MeasureType, OrderedBy};
use crate::store::DbConn;
use crate::store::case_work as store;

use super::*;

#[derive(Debug, Clone)]
pub struct MeasureRequest {
    pub measure_type: String,
    pub ordered_by: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub details: Option<String>,
}

pub fn record_measure(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    request: &MeasureRequest,
) -> Result<Uuid, CaseError> {
    change_case(conn, caller, case_id, Action::CaseUpdate, |conn, case| {
        let (measure, ordered_by, starts_at) = check_measure(caller, request)?;
        require_open(case)?;
        let key = case_key(conn, caller, case)?;
        let id = Uuid::now_v7();
        store::insert_measure(
            conn,
            &store::MeasureRow {
                id: id.to_string(),
                case_id: case.row.id.clone(),
                measure_type: measure.as_str().into(),
                ordered_by: ordered_by.map(|o| o.as_str().to_string()),
                starts_at: starts_at.naive_utc(),
                ends_at: request.ends_at.map(|e| e.naive_utc()),
                details: seal_text(&key, "protection_measures", "details", id, request.details.as_deref())?,
                recorded_by: caller.user_id(),
                recorded_at: caller.now_naive(),
            },
        )?;
        Ok(id)
    })
}

/// A measure's rules: its codes, its dates, and the limits of a no-contact order.
fn check_measure(
    caller: &Caller,
    request: &MeasureRequest,
) -> Result<(MeasureType, Option<OrderedBy>, DateTime<Utc>), CaseError> {
    let measure: MeasureType = parse_code("measure_type", &request.measure_type)?;
    let ordered_by: Option<OrderedBy> = match request.ordered_by.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(parse_code("ordered_by", text)?),
    };
    let starts_at = request.starts_at.unwrap_or(caller.now);
    let mut problems = vec![text_problem("details", request.details.as_deref(), MAX_NOTE_CHARS, false)];
    problems.push(check_time("starts_at", starts_at, caller.now).err());
    if let Some(ends) = request.ends_at {
        problems.push(check_time("ends_at", ends, caller.now).err());
    }
    if problems.iter().any(Option::is_some) {
        return Err(CaseError::Invalid(problems.into_iter().flatten().collect()));
    }
    if let Some(ends) = request.ends_at
        && ends <= starts_at
    {
        problems.push(Some(FieldProblem { field: "ends_at", message: "must be after starts_at".into() }));
    }
    if measure == MeasureType::NoContactOrder {
        let by = match ordered_by {
            Some(OrderedBy::CommuneChair) => Some(NoContactOrderBy::CommuneChair),
            Some(OrderedBy::Court) => Some(NoContactOrderBy::Court),
            _ => {
                problems.push(Some(FieldProblem {
                    field: "ordered_by",
                    message: "a no-contact order is ordered by commune_chair or court".into(),
                }));
                None
            }
        };
        match (by, request.ends_at) {
            (_, None) => problems.push(Some(FieldProblem {
                field: "ends_at",
                message: "a no-contact order needs its end".into(),
            })),
            (Some(by), Some(ends)) if ends > no_contact_limit(starts_at, by) => {
                let limit = match by {
                    NoContactOrderBy::CommuneChair => "3 days when the commune chair orders it",
                    NoContactOrderBy::Court => "4 months when a court orders it",
                };
                problems.push(Some(FieldProblem {
                    field: "ends_at",
                    message: format!("a no-contact order lasts at most {limit}"),
                }));
            }
            _ => {}
        }
    }
    check(problems)?;
    Ok((measure, ordered_by, starts_at))
}
