//! Moving a case through the lifecycle, and closing it (with a supervisor's
//! approval where design §8 asks for one).

use crate::services::cases::access::Versioned;
use uuid::Uuid;

use super::super::access::{Caller, CaseError, CaseInHand, change_case};
use crate::authz::Action;
use crate::domain::closure::{ApprovalKind, closure_needs_approval, may_close};
use crate::domain::intake::MAX_NOTE_CHARS;
use crate::domain::lifecycle::{CaseStatus, transition};
use crate::domain::risk::RiskLevel;
use crate::domain::role::Role;
use crate::domain::vocabulary::{ClosureReason, NoteKind};
use crate::store::DbConn;
use crate::store::case_work::{self as store, CaseChanges};

use super::*;

/// A request to move a case on; closing needs a reason.
#[derive(Debug, Clone)]
pub struct TransitionRequest {
    pub to: String,
    pub version: i32,
    pub closure_reason: Option<String>,
    /// Why, in the worker's words (sealed; shown to the supervisor who decides).
    pub comment: Option<String>,
    /// Why a closed case is reopened, in the worker's words: required then
    /// (sealed; shown on the timeline to those who may read the case).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionOutcome {
    Moved {
        status: CaseStatus,
        version: i32,
    },
    /// The closure waits for a supervisor's approval.
    ApprovalRequested {
        approval_id: Uuid,
    },
}

pub fn move_case(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    request: &TransitionRequest,
) -> Result<TransitionOutcome, CaseError> {
    let wanted = CaseStatus::parse(request.to.trim());
    let action =
        if wanted == Some(CaseStatus::Closed) { Action::CaseRequestClosure } else { Action::CaseTransition };
    change_case(conn, caller, case_id, action, |conn, case| {
        let to = wanted.ok_or_else(|| {
            let all = CaseStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
            CaseError::invalid("to", format!("choose one of: {all}"))
        })?;
        expect_version(case, request.version)?;
        transition(case.status(), to)?;
        if case.status() == CaseStatus::Closed {
            return reopen(conn, caller, case, to, request.reason.as_deref());
        }
        if to != CaseStatus::Closed {
            return apply_transition(conn, caller, case, to, None, None);
        }
        let reason: ClosureReason = match request.closure_reason.as_deref() {
            Some(text) if !text.trim().is_empty() => parse_code("closure_reason", text)?,
            _ => return Err(CaseError::invalid("closure_reason", "is required to close a case")),
        };
        check(vec![text_problem("comment", request.comment.as_deref(), MAX_NOTE_CHARS, false)])?;
        closure_allowed(conn, caller, case)?;
        // The highest risk ever assessed: a later, lower assessment does not take
        // the closure of a case once at high risk away from the supervisor.
        let mut risk = None;
        for r in store::risks(conn, &case.row.id)? {
            let level =
                crate::store::closed::read(RiskLevel::parse, "risk_assessments", "level", &r.id, &r.level)?;
            risk = risk.max(Some(level));
        }
        if closure_needs_approval(risk, case.profile.is_child) && caller.principal.role != Role::Supervisor {
            let approval_id = super::super::approvals::request(
                conn,
                caller,
                case,
                ApprovalKind::Closure,
                Some(reason.as_str()),
                request.comment.as_deref(),
            )?;
            return Ok(TransitionOutcome::ApprovalRequested { approval_id });
        }
        let moved = apply_transition(conn, caller, case, CaseStatus::Closed, Some(reason), None)?;
        if let Some(comment) = request.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            // Closed without a request, the comment is kept with the case's notes.
            let key = case_key(conn, caller, case)?;
            super::notes::write_note(conn, caller, &case.row.id, &key, NoteKind::Note, comment, None)?;
        }
        Ok(moved)
    })
}

/// Reopening a closed case ("Mở lại hồ sơ"): the worker says why. The reason is
/// sealed with the timeline's row; the audit event names the step only.
fn reopen(
    conn: &mut DbConn,
    caller: &Caller,
    case: &CaseInHand,
    to: CaseStatus,
    reason: Option<&str>,
) -> Result<TransitionOutcome, CaseError> {
    check(vec![text_problem("reason", reason, MAX_NOTE_CHARS, true)])?;
    let moved = apply_transition(conn, caller, case, to, None, reason)?;
    crate::store::audit::append(
        conn,
        &crate::audit::Event::new(
            &caller.actor,
            "case.reopen",
            crate::audit::Outcome::Success,
            caller.now_naive(),
        )
        .on("case", case.id),
    )?;
    Ok(moved)
}

/// No open referral, no active placement.
pub(in crate::services::cases) fn closure_allowed(
    conn: &mut DbConn,
    caller: &Caller,
    case: &CaseInHand,
) -> Result<(), CaseError> {
    let open = store::open_referral_count(conn, &case.row.id)?;
    let active = crate::store::placements::active_placement_count(conn, &case.row.id, caller.now_naive())?;
    let count = |n: i64| usize::try_from(n).unwrap_or(usize::MAX);
    may_close(count(open), count(active))?;
    Ok(())
}

/// Writes a step that was checked: the status, its timestamps, the timeline row
/// (with `comment` sealed on it), and the next version.
pub(in crate::services::cases) fn apply_transition(
    conn: &mut DbConn,
    caller: &Caller,
    case: &CaseInHand,
    to: CaseStatus,
    closure_reason: Option<ClosureReason>,
    comment: Option<&str>,
) -> Result<TransitionOutcome, CaseError> {
    let now = caller.now_naive();
    let from = case.status();
    let mut changes = CaseChanges { status: Some(to.as_str()), ..Default::default() };
    if from == CaseStatus::Intake && case.row.first_action_at.is_none() {
        changes.first_action_at = Some(now);
    }
    if to == CaseStatus::Implementation && case.row.plan_at.is_none() {
        changes.plan_at = Some(now);
    }
    match to {
        CaseStatus::Closed => {
            changes.closed_at = Some(Some(now));
            changes.closure_reason = Some(closure_reason.map(ClosureReason::as_str));
        }
        _ if from == CaseStatus::Closed => {
            changes.closed_at = Some(None);
            changes.closure_reason = Some(None);
        }
        _ => {}
    }
    store::update_case(conn, &case.row.id, &changes)?;
    if to == CaseStatus::Closed || from == CaseStatus::Closed {
        // A closure request still waiting is moot once the case closed (or was
        // reopened): it leaves the supervisor's queue.
        store::withdraw_closure_requests(conn, &case.row.id, caller.user_id().as_deref(), now)?;
    }
    if !store::bump_version(conn, &case.row.id, case.row.version, now)? {
        return Err(CaseError::Stale { record: Versioned::Case, current: case.row.version });
    }
    let row_id = Uuid::now_v7();
    let comment = match comment.map(str::trim).filter(|c| !c.is_empty()) {
        Some(text) => {
            seal_text(&case_key(conn, caller, case)?, "case_transitions", "comment", row_id, Some(text))?
        }
        None => None,
    };
    store::insert_transition(
        conn,
        &store::TransitionRow {
            id: row_id.to_string(),
            case_id: case.row.id.clone(),
            from_status: from.as_str().into(),
            to_status: to.as_str().into(),
            at: now,
            actor_id: caller.user_id(),
            reason: closure_reason.map(|r| r.as_str().to_string()),
            comment,
        },
    )?;
    Ok(TransitionOutcome::Moved { status: to, version: case.row.version + 1 })
}
