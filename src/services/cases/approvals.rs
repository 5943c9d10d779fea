//! A supervisor's decisions (design §8): closing a high-risk or child case, and
//! best-interest overrides of a missing consent. `requested → approved |
//! rejected`, decided once, with a comment (sealed).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{Caller, CaseError, CaseInHand, change_case};
use super::work::{TransitionOutcome, apply_transition, case_key, closure_allowed, seal_text};
use crate::authz::Action;
use crate::domain::closure::{ApprovalKind, ApprovalStatus};
use crate::domain::intake::MAX_NOTE_CHARS;
use crate::domain::lifecycle::{CaseStatus, transition};
use crate::domain::vocabulary::ClosureReason;
use crate::store::DbConn;
use crate::store::case_work as store;

/// Records a request in the caller's transaction. A second closure request while
/// one waits is refused: the supervisor decides the first.
pub(super) fn request(
    conn: &mut DbConn,
    caller: &Caller,
    case: &CaseInHand,
    kind: ApprovalKind,
    code: Option<&str>,
    reason: Option<&str>,
) -> Result<Uuid, CaseError> {
    let waiting = store::approvals_of(conn, &case.row.id)?.into_iter().any(|a| {
        a.kind == kind.as_str()
            && a.status == ApprovalStatus::Requested.as_str()
            && (kind == ApprovalKind::Closure || a.purpose.as_deref() == code)
    });
    if waiting {
        return Err(CaseError::AlreadyRequested);
    }
    let key = case_key(conn, caller, case)?;
    let id = Uuid::now_v7();
    let (purpose, closure_reason) = match kind {
        ApprovalKind::Closure => (None, code.map(str::to_string)),
        ApprovalKind::ConsentOverride => (code.map(str::to_string), None),
    };
    store::insert_approval(
        conn,
        &store::ApprovalRow {
            id: id.to_string(),
            case_id: case.row.id.clone(),
            kind: kind.as_str().into(),
            status: ApprovalStatus::Requested.as_str().into(),
            purpose,
            closure_reason,
            reason: seal_text(&key, "approvals", "reason", id, reason)?,
            requested_by: caller.user_id(),
            requested_at: caller.now_naive(),
            decided_by: None,
            decided_at: None,
            comment: None,
        },
    )?;
    Ok(id)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub status: ApprovalStatus,
    /// Where an approved closure left the case.
    pub case_status: Option<CaseStatus>,
}

/// Decides a request. An approved closure closes the case at once, if nothing
/// (an open referral, an active placement) came up since it was asked.
pub fn decide(
    conn: &mut DbConn,
    caller: &Caller,
    approval_id: Uuid,
    approve: bool,
    comment: Option<&str>,
) -> Result<Decision, CaseError> {
    decide_on(conn, caller, None, approval_id, approve, comment)
}

/// [`decide`] from a case's page: a request of another case is not found there.
pub fn decide_for_case(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    approval_id: Uuid,
    approve: bool,
    comment: Option<&str>,
) -> Result<Decision, CaseError> {
    decide_on(conn, caller, Some(case_id), approval_id, approve, comment)
}

fn decide_on(
    conn: &mut DbConn,
    caller: &Caller,
    on_case: Option<Uuid>,
    approval_id: Uuid,
    approve: bool,
    comment: Option<&str>,
) -> Result<Decision, CaseError> {
    let found = store::approval(conn, &approval_id.to_string())?
        .filter(|row| on_case.is_none_or(|case| row.case_id == case.to_string()));
    let Some(row) = found else {
        return Err(super::access::not_found(conn, caller, Action::CaseApprove, "approval", approval_id));
    };
    let case_id: Uuid = row.case_id.parse().map_err(|_| CaseError::NotFound)?;
    change_case(conn, caller, case_id, Action::CaseApprove, |conn, case| {
        if let Err(problem) =
            crate::domain::intake::check_text("comment", comment.unwrap_or(""), MAX_NOTE_CHARS, false, true)
        {
            return Err(CaseError::Invalid(vec![problem]));
        }
        let row = store::approval(conn, &approval_id.to_string())?.ok_or(CaseError::NotFound)?;
        let status =
            crate::store::closed::read(ApprovalStatus::parse, "approvals", "status", &row.id, &row.status)?
                .decide(approve)
                .ok_or(CaseError::AlreadyDecided)?;
        // The decision first: closing the case then withdraws the other requests
        // still waiting, never this one.
        let key = case_key(conn, caller, case)?;
        let comment = seal_text(&key, "approvals", "comment", approval_id, comment)?;
        let by = caller.user_id().unwrap_or_default();
        if !store::decide_approval(conn, &row.id, status.as_str(), &by, caller.now_naive(), comment.as_ref())?
        {
            return Err(CaseError::AlreadyDecided);
        }
        let mut case_status = None;
        if status == ApprovalStatus::Approved && row.kind == ApprovalKind::Closure.as_str() {
            transition(case.status(), CaseStatus::Closed)?;
            closure_allowed(conn, caller, case)?;
            let reason = row.closure_reason.as_deref().and_then(ClosureReason::parse);
            if let TransitionOutcome::Moved { status, .. } =
                apply_transition(conn, caller, case, CaseStatus::Closed, reason, None)?
            {
                case_status = Some(status);
            }
        }
        Ok(Decision { status, case_status })
    })
}

/// A request waiting in a supervisor's queue: plain categories, and the worker's
/// reason only from [`queue_with_reasons`] (an audited read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingApproval {
    pub id: String,
    pub kind: ApprovalKind,
    pub case_id: String,
    pub case_number: String,
    pub commune_code: String,
    pub risk_level: Option<String>,
    pub age_group: String,
    /// Why the worker asks, as typed (sealed); `None` when not opened or not given.
    pub reason: Option<String>,
    pub purpose: Option<String>,
    pub closure_reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub due: DateTime<Utc>,
}

/// The requests the caller may decide, oldest first.
pub fn queue(conn: &mut DbConn, caller: &Caller) -> Result<Vec<PendingApproval>, CaseError> {
    if caller.principal.role != crate::domain::role::Role::Supervisor {
        crate::store::audit::append(
            conn,
            &crate::audit::Event::new(
                &caller.actor,
                "approval.list",
                crate::audit::Outcome::Denied,
                caller.now_naive(),
            )
            .because("forbidden"),
        )?;
        return Err(CaseError::Forbidden);
    }
    let mut pending = Vec::new();
    for (approval, case) in store::pending_approvals(conn)? {
        let Some((row, profile)) = store::case_with_profile(conn, &case.id)? else { continue };
        if !caller.may(Action::CaseApprove, &row, &profile) {
            continue;
        }
        let requested_at = approval.requested_at.and_utc();
        let kind = crate::store::closed::read(
            ApprovalKind::parse,
            "approvals",
            "kind",
            &approval.id,
            &approval.kind,
        )?;
        pending.push(PendingApproval {
            id: approval.id,
            kind,
            case_id: case.id,
            case_number: case.case_number,
            commune_code: case.commune_code,
            risk_level: case.risk_level,
            age_group: profile.age_group,
            reason: None,
            purpose: approval.purpose,
            closure_reason: approval.closure_reason,
            requested_at,
            due: crate::domain::deadlines::after_working_days(requested_at, 2, &caller.holidays),
        });
    }
    Ok(pending)
}

/// The queue with each worker's reason opened, so the supervisor decides from the
/// list: one transaction, one audited read per request whose reason was opened.
pub fn queue_with_reasons(conn: &mut DbConn, caller: &Caller) -> Result<Vec<PendingApproval>, CaseError> {
    use crate::crypto::{FieldRef, KeyOwner, OwnerKind};
    use crate::services::sealing::{OwnerKey, Revealed};
    use diesel::Connection;
    let mut pending = queue(conn, caller)?;
    conn.transaction(|conn| {
        for p in &mut pending {
            let (Ok(case_id), Ok(approval_id)) = (p.case_id.parse::<Uuid>(), p.id.parse::<Uuid>()) else {
                continue;
            };
            let Some(blob) = store::approval(conn, &p.id)?.and_then(|row| row.reason) else { continue };
            let Revealed::Value(key) =
                OwnerKey::open(conn, &caller.keys, KeyOwner::new(OwnerKind::Case, case_id))?
            else {
                continue;
            };
            // The read is recorded before the reason is opened (the audit comes first).
            crate::store::audit::append(
                conn,
                &crate::audit::Event::new(
                    &caller.actor,
                    "approval.read",
                    crate::audit::Outcome::Success,
                    caller.now_naive(),
                )
                .on("approval", approval_id),
            )?;
            let text = key.open_text(FieldRef::new("approvals", "reason", approval_id), &blob)?;
            p.reason = Some(text.to_string());
        }
        Ok(pending)
    })
}
