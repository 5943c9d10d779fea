//! Consent per purpose, given and withdrawn.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::super::access::{Caller, CaseError, change_case};
use crate::authz::Action;
use crate::domain::intake::check_time;
use crate::domain::vocabulary::{ConsentGiver, ConsentPurpose};
use crate::store::DbConn;
use crate::store::case_work as store;

use super::*;

#[derive(Debug, Clone)]
pub struct ConsentRequest {
    pub purpose: String,
    pub given_by: String,
    pub given_at: Option<DateTime<Utc>>,
}

pub fn record_consent(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    request: &ConsentRequest,
) -> Result<Uuid, CaseError> {
    change_case(conn, caller, case_id, Action::CaseRecordConsent, |conn, case| {
        let purpose: ConsentPurpose = parse_code("purpose", &request.purpose)?;
        let giver: ConsentGiver = parse_code("given_by", &request.given_by)?;
        let given_at = request.given_at.unwrap_or(caller.now);
        if given_at > caller.now + chrono::Duration::minutes(5) {
            return Err(CaseError::invalid("given_at", "is in the future"));
        }
        check_time("given_at", given_at, caller.now).map_err(|p| CaseError::Invalid(vec![p]))?;
        require_open(case)?;
        let subject = super::super::referrals::subject_of(conn, caller, case)?;
        if !crate::domain::consent::may_give(subject, giver) {
            let who = subject.needed_givers().iter().map(|g| g.as_str()).collect::<Vec<_>>().join(" and ");
            return Err(CaseError::invalid(
                "given_by",
                format!("for this survivor, consent is given by: {who}"),
            ));
        }
        write_consent(conn, caller, &case.row.id, purpose, giver, given_at)
    })
}

/// Records a consent already checked: shared by the case page's form and the
/// consents given at intake.
pub(in crate::services::cases) fn write_consent(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: &str,
    purpose: ConsentPurpose,
    giver: ConsentGiver,
    given_at: DateTime<Utc>,
) -> Result<Uuid, CaseError> {
    let id = Uuid::now_v7();
    store::insert_consent(
        conn,
        &store::ConsentRow {
            id: id.to_string(),
            case_id: case_id.to_string(),
            purpose: purpose.as_str().into(),
            given_by: giver.as_str().into(),
            given_at: given_at.naive_utc(),
            recorded_by: caller.user_id(),
            withdrawn_at: None,
            withdrawn_by: None,
        },
    )?;
    Ok(id)
}

pub fn withdraw_consent(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    consent_id: Uuid,
) -> Result<(), CaseError> {
    change_case(conn, caller, case_id, Action::CaseRecordConsent, |conn, case| {
        let by = caller.user_id().unwrap_or_default();
        let id = consent_id.to_string();
        if store::withdraw_consent(conn, &case.row.id, &id, &by, caller.now_naive())? {
            Ok(())
        } else if store::consents_of(conn, &case.row.id)?.iter().any(|c| c.id == id) {
            Err(CaseError::AlreadyDone)
        } else {
            Err(CaseError::NotFound)
        }
    })
}
