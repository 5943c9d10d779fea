//! Risk assessments: a checklist gives the level; the history stays.

use uuid::Uuid;

use super::super::access::{Caller, CaseError, change_case};
use crate::authz::Action;
use crate::domain::intake::MAX_NOTE_CHARS;
use crate::domain::risk::{RiskFactor, RiskLevel, assess};
use crate::store::DbConn;
use crate::store::case_work::{self as store, CaseChanges};

use super::*;

pub fn assess_risk(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    factors: &[String],
    note: Option<&str>,
) -> Result<RiskLevel, CaseError> {
    change_case(conn, caller, case_id, Action::CaseUpdate, |conn, case| {
        let mut parsed = Vec::new();
        for factor in factors {
            parsed.push(RiskFactor::parse(factor.trim()).ok_or_else(|| {
                let all = RiskFactor::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ");
                CaseError::invalid("factors", format!("choose from: {all}"))
            })?);
        }
        check(vec![text_problem("note", note, MAX_NOTE_CHARS, false)])?;
        require_open(case)?;
        // The danger flag and the factor are one fact, as at intake: while the
        // case is flagged in danger every assessment counts it (the worker clears
        // the flag to lower the level), and ticking it flags the case.
        if case.row.immediate_danger && !parsed.contains(&RiskFactor::ImmediateDanger) {
            parsed.push(RiskFactor::ImmediateDanger);
        } else if !case.row.immediate_danger && parsed.contains(&RiskFactor::ImmediateDanger) {
            let changes = CaseChanges { immediate_danger: Some(true), ..Default::default() };
            store::update_case(conn, &case.row.id, &changes)?;
        }
        let key = case_key(conn, caller, case)?;
        let level = write_assessment(conn, caller, &case.row.id, &key, &parsed, note)?;
        Ok(level)
    })
}

/// A case newly flagged in danger by a correction is reassessed at once: the last
/// checklist with the danger added, so the banner never stands beside a low level.
pub(super) fn reassess_in_danger(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: &str,
    key: &crate::services::sealing::OwnerKey,
) -> Result<RiskLevel, CaseError> {
    let mut factors = vec![RiskFactor::ImmediateDanger];
    if let Some(last) = store::risks(conn, case_id)?.pop() {
        let row: Uuid = last.id.parse().map_err(|_| CaseError::NotFound)?;
        if let Some(blob) = &last.factors {
            let codes =
                key.open_text(crate::crypto::FieldRef::new("risk_assessments", "factors", row), blob)?;
            for code in codes.split(',').filter(|c| !c.is_empty()) {
                let parse = RiskFactor::parse;
                factors.push(crate::store::closed::read(
                    parse,
                    "risk_assessments",
                    "factors",
                    &last.id,
                    code,
                )?);
            }
        }
    }
    write_assessment(conn, caller, case_id, key, &factors, None)
}

/// Records an assessment of `factors` (sealed) and makes its level the case's:
/// shared by a reassessment and the first one, made at intake.
pub(in crate::services::cases) fn write_assessment(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: &str,
    key: &crate::services::sealing::OwnerKey,
    factors: &[RiskFactor],
    note: Option<&str>,
) -> Result<RiskLevel, CaseError> {
    let level = assess(factors);
    let id = Uuid::now_v7();
    let mut codes: Vec<&str> = factors.iter().map(|f| f.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    store::insert_risk(
        conn,
        &store::RiskRow {
            id: id.to_string(),
            case_id: case_id.to_string(),
            level: level.as_str().into(),
            factors: seal_text(key, "risk_assessments", "factors", id, Some(&codes.join(",")))?,
            assessed_by: caller.user_id(),
            assessed_at: caller.now_naive(),
            note: seal_text(key, "risk_assessments", "note", id, note)?,
        },
    )?;
    let changes = CaseChanges { risk_level: Some(level.as_str()), ..Default::default() };
    store::update_case(conn, case_id, &changes)?;
    Ok(level)
}
