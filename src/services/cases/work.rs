//! The work on an open case (design §8): moving it through the lifecycle and
//! closing it, assessing risk, recording and withdrawing consent, protection
//! measures, notes and follow-ups, correcting its details, and erasing it. Each
//! function is one transaction through [`change_case`], with its audit event.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::super::sealing::{OwnerKey, Revealed};
use super::access::{Caller, CaseError, CaseInHand, change_case, change_case_because};
use crate::authz::Action;
use crate::crypto::{FieldRef, KeyOwner, OwnerKind, SealedBlob};
use crate::domain::closure::{ApprovalKind, closure_needs_approval, may_close};
use crate::domain::deadlines::{NoContactOrderBy, no_contact_limit};
use crate::domain::intake::{
    FieldProblem, MAX_NAME_CHARS, MAX_NOTE_CHARS, check_text, check_time, is_phone_number,
};
use crate::domain::lifecycle::{CaseStatus, transition};
use crate::domain::risk::{RiskFactor, RiskLevel, assess};
use crate::domain::role::Role;
use crate::domain::vocabulary::{
    ClosureReason, Code, ConsentGiver, ConsentPurpose, ErasureReason, MeasureType, NoteKind, OrderedBy,
};
use crate::store::DbConn;
use crate::store::case_work::{self as store, CaseChanges};

/// The case's data key, for sealing what the work adds. An erased case takes no
/// more personal data.
pub(crate) fn case_key(conn: &mut DbConn, caller: &Caller, case: &CaseInHand) -> Result<OwnerKey, CaseError> {
    match OwnerKey::open(conn, &caller.keys, KeyOwner::new(OwnerKind::Case, case.id))? {
        Revealed::Value(key) => Ok(key),
        Revealed::Erased => Err(CaseError::AlreadyDone),
    }
}

/// Seals a text that may be empty (then nothing is stored).
pub(crate) fn seal_text(
    key: &OwnerKey,
    table: &'static str,
    column: &'static str,
    row: Uuid,
    text: Option<&str>,
) -> Result<Option<SealedBlob>, CaseError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => Ok(Some(key.seal(FieldRef::new(table, column, row), text)?)),
        None => Ok(None),
    }
}

fn check(problems: Vec<Option<FieldProblem>>) -> Result<(), CaseError> {
    let problems: Vec<FieldProblem> = problems.into_iter().flatten().collect();
    if problems.is_empty() { Ok(()) } else { Err(CaseError::Invalid(problems)) }
}

fn text_problem(field: &'static str, text: Option<&str>, max: usize, required: bool) -> Option<FieldProblem> {
    check_text(field, text.unwrap_or(""), max, required, true).err()
}

fn parse_code<T: Code>(field: &'static str, text: &str) -> Result<T, CaseError> {
    T::from_code(text.trim())
        .ok_or_else(|| CaseError::invalid(field, format!("choose one of: {}", T::listed())))
}

fn expect_version(case: &CaseInHand, version: i32) -> Result<(), CaseError> {
    if case.row.version == version { Ok(()) } else { Err(CaseError::Stale { current: case.row.version }) }
}

fn require_open(case: &CaseInHand) -> Result<(), CaseError> {
    if case.status().is_open() { Ok(()) } else { Err(CaseError::CaseClosed) }
}

/// A request to move a case on; closing needs a reason.
#[derive(Debug, Clone)]
pub struct TransitionRequest {
    pub to: String,
    pub version: i32,
    pub closure_reason: Option<String>,
    /// Why, in the worker's words (sealed; shown to the supervisor who decides).
    pub comment: Option<String>,
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
        if to != CaseStatus::Closed {
            return apply_transition(conn, caller, case, to, None);
        }
        let reason: ClosureReason = match request.closure_reason.as_deref() {
            Some(text) if !text.trim().is_empty() => parse_code("closure_reason", text)?,
            _ => return Err(CaseError::invalid("closure_reason", "is required to close a case")),
        };
        check(vec![text_problem("comment", request.comment.as_deref(), MAX_NOTE_CHARS, false)])?;
        closure_allowed(conn, caller, case)?;
        // The highest risk ever assessed: a later, lower assessment does not take
        // the closure of a case once at high risk away from the supervisor.
        let risk = store::risks(conn, &case.row.id)?.iter().filter_map(|r| RiskLevel::parse(&r.level)).max();
        if closure_needs_approval(risk, case.profile.is_child) && caller.principal.role != Role::Supervisor {
            let approval_id = super::approvals::request(
                conn,
                caller,
                case,
                ApprovalKind::Closure,
                Some(reason.as_str()),
                request.comment.as_deref(),
            )?;
            return Ok(TransitionOutcome::ApprovalRequested { approval_id });
        }
        let moved = apply_transition(conn, caller, case, CaseStatus::Closed, Some(reason))?;
        if let Some(comment) = request.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            // Closed without a request, the comment is kept with the case's notes.
            let key = case_key(conn, caller, case)?;
            let id = Uuid::now_v7();
            store::insert_note(
                conn,
                &store::NoteRow {
                    id: id.to_string(),
                    case_id: case.row.id.clone(),
                    kind: NoteKind::Note.as_str().into(),
                    body: key.seal(FieldRef::new("case_notes", "body", id), comment)?,
                    due_at: None,
                    done_at: None,
                    author_id: caller.user_id(),
                    created_at: caller.now_naive(),
                },
            )?;
        }
        Ok(moved)
    })
}

/// No open referral, no active placement.
pub(super) fn closure_allowed(
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

/// Writes a step that was checked: the status, its timestamps, the timeline row,
/// and the next version.
pub(super) fn apply_transition(
    conn: &mut DbConn,
    caller: &Caller,
    case: &CaseInHand,
    to: CaseStatus,
    closure_reason: Option<ClosureReason>,
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
        return Err(CaseError::Stale { current: case.row.version });
    }
    store::insert_transition(
        conn,
        &store::TransitionRow {
            id: Uuid::now_v7().to_string(),
            case_id: case.row.id.clone(),
            from_status: from.as_str().into(),
            to_status: to.as_str().into(),
            at: now,
            actor_id: caller.user_id(),
            reason: closure_reason.map(|r| r.as_str().to_string()),
        },
    )?;
    Ok(TransitionOutcome::Moved { status: to, version: case.row.version + 1 })
}

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
        let level = assess(&parsed);
        let key = case_key(conn, caller, case)?;
        let id = Uuid::now_v7();
        let mut codes: Vec<&str> = parsed.iter().map(|f| f.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        store::insert_risk(
            conn,
            &store::RiskRow {
                id: id.to_string(),
                case_id: case.row.id.clone(),
                level: level.as_str().into(),
                factors: seal_text(&key, "risk_assessments", "factors", id, Some(&codes.join(",")))?,
                assessed_by: caller.user_id(),
                assessed_at: caller.now_naive(),
                note: seal_text(&key, "risk_assessments", "note", id, note)?,
            },
        )?;
        let changes = CaseChanges { risk_level: Some(level.as_str()), ..Default::default() };
        store::update_case(conn, &case.row.id, &changes)?;
        Ok(level)
    })
}

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
        let subject = super::referrals::subject_of(conn, caller, case)?;
        if !crate::domain::consent::may_give(subject, giver) {
            let who = subject.needed_givers().iter().map(|g| g.as_str()).collect::<Vec<_>>().join(" and ");
            return Err(CaseError::invalid(
                "given_by",
                format!("for this survivor, consent is given by: {who}"),
            ));
        }
        let id = Uuid::now_v7();
        store::insert_consent(
            conn,
            &store::ConsentRow {
                id: id.to_string(),
                case_id: case.row.id.clone(),
                purpose: purpose.as_str().into(),
                given_by: giver.as_str().into(),
                given_at: given_at.naive_utc(),
                recorded_by: caller.user_id(),
                withdrawn_at: None,
                withdrawn_by: None,
            },
        )?;
        Ok(id)
    })
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

#[derive(Debug, Clone)]
pub struct NoteRequest {
    pub kind: String,
    pub body: String,
    pub due_at: Option<DateTime<Utc>>,
}

pub fn add_note(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    request: &NoteRequest,
) -> Result<Uuid, CaseError> {
    change_case(conn, caller, case_id, Action::CaseRecordNote, |conn, case| {
        let kind: NoteKind =
            if request.kind.trim().is_empty() { NoteKind::Note } else { parse_code("kind", &request.kind)? };
        let mut problems = vec![text_problem("body", Some(&request.body), MAX_NOTE_CHARS * 5, true)];
        if let Some(due) = request.due_at {
            problems.push(check_time("due_at", due, caller.now).err());
        }
        match (kind, request.due_at) {
            (NoteKind::FollowUp, None) => problems
                .push(Some(FieldProblem { field: "due_at", message: "a follow-up needs its date".into() })),
            (NoteKind::Note, Some(_)) => problems
                .push(Some(FieldProblem { field: "due_at", message: "only a follow-up has a date".into() })),
            _ => {}
        }
        check(problems)?;
        let key = case_key(conn, caller, case)?;
        let id = Uuid::now_v7();
        let body = key.seal(FieldRef::new("case_notes", "body", id), request.body.trim())?;
        store::insert_note(
            conn,
            &store::NoteRow {
                id: id.to_string(),
                case_id: case.row.id.clone(),
                kind: kind.as_str().into(),
                body,
                due_at: request.due_at.map(|d| d.naive_utc()),
                done_at: None,
                author_id: caller.user_id(),
                created_at: caller.now_naive(),
            },
        )?;
        Ok(id)
    })
}

pub fn complete_follow_up(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    note_id: Uuid,
) -> Result<(), CaseError> {
    change_case(conn, caller, case_id, Action::CaseRecordNote, |conn, case| {
        let id = note_id.to_string();
        if store::mark_follow_up_done(conn, &case.row.id, &id, caller.now_naive())? {
            Ok(())
        } else if store::notes(conn, &case.row.id)?.iter().any(|n| n.id == id && n.kind == "follow_up") {
            Err(CaseError::AlreadyDone)
        } else {
            Err(CaseError::NotFound)
        }
    })
}

/// Corrections to a case's details: only the fields given change. `version` is the
/// one the person saw; if someone saved since, nothing is written (409).
#[derive(Debug, Clone, Default)]
pub struct CaseEdit {
    pub version: i32,
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub guardian_name: Option<String>,
    pub guardian_phone: Option<String>,
    pub safe_contact: Option<String>,
    pub immediate_danger: Option<bool>,
}

pub fn edit_case(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    edit: &CaseEdit,
) -> Result<i32, CaseError> {
    change_case(conn, caller, case_id, Action::CaseUpdate, |conn, case| {
        check_edit(edit)?;
        expect_version(case, edit.version)?;
        let key = case_key(conn, caller, case)?;
        super::detail::apply_identity_edit(conn, caller, case, &key, edit)?;
        if let Some(danger) = edit.immediate_danger {
            let changes = CaseChanges { immediate_danger: Some(danger), ..Default::default() };
            store::update_case(conn, &case.row.id, &changes)?;
        }
        if !store::bump_version(conn, &case.row.id, edit.version, caller.now_naive())? {
            return Err(CaseError::Stale { current: case.row.version });
        }
        Ok(edit.version + 1)
    })
}

fn check_edit(edit: &CaseEdit) -> Result<(), CaseError> {
    let phone_problem = |field, text: &Option<String>| {
        text.as_deref().filter(|t| !t.trim().is_empty() && !is_phone_number(t)).map(|_| FieldProblem {
            field,
            message: "is not a phone number (digits, spaces, + - . ( ) only)".into(),
        })
    };
    check(vec![
        edit.full_name
            .as_deref()
            .and_then(|n| check_text("survivor.full_name", n, MAX_NAME_CHARS, true, false).err()),
        phone_problem("survivor.phone", &edit.phone),
        phone_problem("survivor.guardian_phone", &edit.guardian_phone),
        text_problem("survivor.address", edit.address.as_deref(), 500, false),
        text_problem("survivor.guardian_name", edit.guardian_name.as_deref(), MAX_NAME_CHARS, false),
        text_problem("survivor.safe_contact", edit.safe_contact.as_deref(), MAX_NOTE_CHARS, false),
    ])
}

/// Crypto-shredding by a supervisor (design §4): the case's data key and its
/// blind indexes go; the plain categories, and so the statistics, stay.
pub fn erase(conn: &mut DbConn, caller: &Caller, case_id: Uuid, reason: &str) -> Result<(), CaseError> {
    // Read before the work so the audit event can carry the code; an unknown code
    // is refused inside it, after the policies answered.
    let parsed = ErasureReason::parse(reason.trim());
    let code = parsed.map(ErasureReason::as_str);
    change_case_because(conn, caller, case_id, Action::CaseErase, code, |conn, case| {
        if parsed.is_none() {
            return Err(CaseError::invalid("reason", format!("choose one of: {}", ErasureReason::listed())));
        }
        let owner = KeyOwner::new(OwnerKind::Case, case.id);
        if !crate::store::keys::shred(conn, &owner, caller.now_naive())? {
            return Err(CaseError::AlreadyDone);
        }
        crate::store::cases::set_indexes(conn, &case.row.id, None, None, None)?;
        store::set_name_year_index(conn, &case.row.id, None)?;
        Ok(())
    })?;
    super::super::erasure::forget_old_pages(conn);
    Ok(())
}
