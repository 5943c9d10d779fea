//! Every piece of work on a case goes through here: one transaction that writes
//! first (the audit event of a read, or the case row of a change, design §3), asks
//! the policies about this case, does the work and records it in the audit log.
//! A refusal rolls the work back and is itself recorded as a `denied` event.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::Connection;
use uuid::Uuid;

use super::super::keys::{Keys, KeysError};
use crate::audit::{Actor, Event, Outcome};
use crate::authz::{Action, CaseFacts, Policies, Principal, Resource};
use crate::domain::age::AgeGroup;
use crate::domain::closure::ClosureBlocked;
use crate::domain::deadlines::Holidays;
use crate::domain::intake::FieldProblem;
use crate::domain::lifecycle::{CaseStatus, TransitionRefused};
use crate::domain::referral::ReferralStepRefused;
use crate::domain::vocabulary::{ConsentGiver, ConsentPurpose, Sex};
use crate::store::DbConn;
use crate::store::case_work::{self as store, CaseRow, ProfileRow};
use crate::store::closed::{self, Unreadable};

/// Who is asking, and what the answer needs: the policies, the keys, the holidays
/// of the working-day deadlines, the clock.
#[derive(Clone)]
pub struct Caller {
    pub principal: Principal,
    pub actor: Actor,
    pub now: DateTime<Utc>,
    pub policies: Arc<Policies>,
    pub keys: Arc<Keys>,
    pub holidays: Arc<Holidays>,
}

impl Caller {
    pub fn now_naive(&self) -> NaiveDateTime {
        self.now.naive_utc()
    }

    pub fn user_id(&self) -> Option<String> {
        self.actor.user_id.map(|id| id.to_string())
    }

    pub fn may(&self, action: Action, case: &CaseRow, profile: &ProfileRow) -> bool {
        self.policies.is_allowed(&self.principal, action, &resource(&self.principal.province, case, profile))
    }
}

/// Why work on a case did not happen. Each says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// No such case, or one the caller may not see: the same answer for both.
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid input")]
    Invalid(Vec<FieldProblem>),
    /// Someone saved first; nothing was written.
    #[error("the {} was changed by someone else (now at version {current})", .record.as_str())]
    Stale { record: Versioned, current: i32 },
    #[error(transparent)]
    Transition(#[from] TransitionRefused),
    #[error(transparent)]
    ReferralStep(#[from] ReferralStepRefused),
    #[error("consent for {} is missing from: {}", .purpose.as_str(), givers(.missing))]
    ConsentMissing { purpose: ConsentPurpose, missing: Vec<ConsentGiver> },
    #[error(transparent)]
    ClosureBlocked(#[from] ClosureBlocked),
    #[error("this request was decided already")]
    AlreadyDecided,
    #[error("this was done already")]
    AlreadyDone,
    #[error("a request of this kind already waits for a supervisor")]
    AlreadyRequested,
    #[error(transparent)]
    PlacementStep(#[from] crate::domain::placement::PlacementStepRefused),
    #[error(transparent)]
    Beds(#[from] crate::domain::placement::BedsRefused),
    /// A best-interest override is for a child's case only.
    #[error("a best-interest override is only for a child's case")]
    OverrideOnlyForChildren,
    /// Closed cases take no new work of this kind; reopen first.
    #[error("the case is closed")]
    CaseClosed,
    /// The house takes no placement now (inactive), or not this one (children).
    #[error("the safe house cannot take this placement: {0}")]
    HouseUnavailable(&'static str),
    /// The case already holds an open placement (requested, accepted or checked
    /// in): one at a time; a move is a check-out ("transferred"), then a request.
    /// The house's name is for the page that asked, never for a log or the API.
    #[error("the case already has an open placement {id} ({status})")]
    PlacementOpen { id: String, status: crate::domain::placement::PlacementStatus, house: String },
    /// Too many searches or duplicate checks this minute (issue 17): try again
    /// after this many seconds.
    #[error("too many lookups: try again in {retry_after_s} s")]
    RateLimited { retry_after_s: u64 },
    #[error(transparent)]
    Keys(#[from] KeysError),
}

/// What a stale version was the version of: each reads differently to the person
/// who saved (a placement's staff never read "the case").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versioned {
    Case,
    Referral,
    Placement,
}

impl Versioned {
    pub fn as_str(self) -> &'static str {
        match self {
            Versioned::Case => "case",
            Versioned::Referral => "referral",
            Versioned::Placement => "placement",
        }
    }
}

fn givers(missing: &[ConsentGiver]) -> String {
    missing.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(", ")
}

impl From<diesel::result::Error> for CaseError {
    fn from(e: diesel::result::Error) -> Self {
        CaseError::Keys(e.into())
    }
}

/// A closed list read back with a value the code does not know: the system
/// fails (500, logged with table, column and row) rather than guess.
impl From<Unreadable> for CaseError {
    fn from(e: Unreadable) -> Self {
        CaseError::Keys(KeysError::Store(e.into()))
    }
}

impl CaseError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        CaseError::Invalid(vec![FieldProblem { field, message: message.into() }])
    }
}

pub fn resource(province: &str, case: &CaseRow, profile: &ProfileRow) -> Resource {
    Resource::Case(CaseFacts {
        id: case.id.clone(),
        commune: case.commune_code.clone(),
        province: province.to_string(),
        assigned_to: case.assigned_to.clone(),
        child: profile.is_child,
        status: case.status.clone(),
    })
}

/// A case as the work sees it: its plain row and profile, with the closed lists
/// the rules depend on read once, failing closed.
pub struct CaseInHand {
    pub id: Uuid,
    pub row: CaseRow,
    pub profile: ProfileRow,
    status: CaseStatus,
    age_group: AgeGroup,
}

impl CaseInHand {
    /// Refuses a case whose status, age group or sex is not one the code knows:
    /// the work would otherwise guess (an unknown age group read as an adult
    /// changes whose consent is needed).
    pub fn new(id: Uuid, row: CaseRow, profile: ProfileRow) -> Result<Self, Unreadable> {
        let status = closed::read(CaseStatus::parse, "cases", "status", &row.id, &row.status)?;
        let age_group = closed::read(AgeGroup::parse, "survivors", "age_group", &row.id, &profile.age_group)?;
        closed::read(Sex::parse, "survivors", "sex", &row.id, &profile.sex)?;
        Ok(CaseInHand { id, row, profile, status, age_group })
    }

    pub fn status(&self) -> CaseStatus {
        self.status
    }

    pub fn age_group(&self) -> AgeGroup {
        self.age_group
    }

    pub fn key_id(&self) -> String {
        self.row.id.clone()
    }
}

/// Reads a case as `action` (a read of personal data): the audit event is the
/// transaction's first write, and it is kept only if the read was allowed.
pub fn read_case<T>(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    action: Action,
    work: impl FnOnce(&mut DbConn, &CaseInHand) -> Result<T, CaseError>,
) -> Result<T, CaseError> {
    let result = conn.transaction(|conn| {
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, action.as_str(), Outcome::Success, caller.now_naive())
                .on("case", case_id),
        )?;
        let case = load_allowed(conn, caller, case_id, action)?;
        work(conn, &case)
    });
    record_refusal(conn, caller, case_id, action, result)
}

/// Changes a case as `action`: the case row is written first, the policies asked,
/// the work done and recorded, in one transaction.
pub fn change_case<T>(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    action: Action,
    work: impl FnOnce(&mut DbConn, &CaseInHand) -> Result<T, CaseError>,
) -> Result<T, CaseError> {
    change_case_because(conn, caller, case_id, action, None, work)
}

/// [`change_case`], with the reason code the audit event carries (a code from a
/// closed list, never typed text).
pub fn change_case_because<T>(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    action: Action,
    reason: Option<&'static str>,
    work: impl FnOnce(&mut DbConn, &CaseInHand) -> Result<T, CaseError>,
) -> Result<T, CaseError> {
    let result = conn.transaction(|conn| {
        if !store::touch(conn, &case_id.to_string(), caller.now_naive())? {
            return Err(CaseError::NotFound);
        }
        let case = load_allowed(conn, caller, case_id, action)?;
        let done = work(conn, &case)?;
        // Whatever the work changed, the lists' sort key follows in this transaction.
        super::clock::refresh(conn, &case.row.id, &caller.holidays)?;
        let mut event = Event::new(&caller.actor, action.as_str(), Outcome::Success, caller.now_naive())
            .on("case", case_id);
        if let Some(reason) = reason {
            event = event.because(reason);
        }
        crate::store::audit::append(conn, &event)?;
        Ok(done)
    });
    record_refusal(conn, caller, case_id, action, result)
}

fn load_allowed(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    action: Action,
) -> Result<CaseInHand, CaseError> {
    let (row, profile) = store::case_with_profile(conn, &case_id.to_string())?.ok_or(CaseError::NotFound)?;
    let resource = resource(&caller.principal.province, &row, &profile);
    caller.policies.require(&caller.principal, action, &resource).map_err(|refusal| match refusal {
        crate::error::AppError::NotFound => CaseError::NotFound,
        _ => CaseError::Forbidden,
    })?;
    Ok(CaseInHand::new(case_id, row, profile).map_err(diesel::result::Error::from)?)
}

/// A refusal by the policies (or of a case that is not there) is an audit event
/// of its own, written after the refused work was rolled back.
fn record_refusal<T>(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    action: Action,
    result: Result<T, CaseError>,
) -> Result<T, CaseError> {
    let code = match &result {
        Err(CaseError::NotFound) => "not_found",
        Err(CaseError::Forbidden) => "forbidden",
        _ => return result,
    };
    crate::store::audit::append(
        conn,
        &Event::new(&caller.actor, action.as_str(), Outcome::Denied, caller.now_naive())
            .on("case", case_id)
            .because(code),
    )?;
    result
}

/// A record asked for by id that is not there (or not the caller's to know of):
/// "not found", recorded as a denied request like any refusal.
pub fn not_found(
    conn: &mut DbConn,
    caller: &Caller,
    action: Action,
    resource: &'static str,
    id: Uuid,
) -> CaseError {
    let event = Event::new(&caller.actor, action.as_str(), Outcome::Denied, caller.now_naive())
        .on(resource, id)
        .because("not_found");
    match crate::store::audit::append(conn, &event) {
        Ok(_) => CaseError::NotFound,
        Err(e) => e.into(),
    }
}
