//! The work on an open case (design §8), one kind per file: the lifecycle and
//! closing, risk, consent, protection measures, notes and follow-ups, corrections
//! and erasure. Each function is one transaction through [`change_case`], with
//! its audit event; the small rules they share are here.

mod as_recorded;
mod consent;
mod corrections;
mod lifecycle;
mod measures;
mod notes;
mod risk;

pub(in crate::services::cases) use consent::write_consent;
pub use consent::{ConsentRequest, record_consent, withdraw_consent};
pub(in crate::services::cases) use corrections::IdentityEdit;
pub use corrections::{CaseEdit, edit_case, erase};
pub use lifecycle::{TransitionOutcome, TransitionRequest, move_case};
pub(in crate::services::cases) use lifecycle::{apply_transition, closure_allowed};
pub use measures::{MeasureRequest, record_measure};
pub use notes::{NoteRequest, add_note, complete_follow_up};
pub use risk::assess_risk;
pub(in crate::services::cases) use risk::write_assessment;

use crate::services::cases::access::Versioned;
use uuid::Uuid;

use super::super::sealing::{OwnerKey, Revealed};
use super::access::{Caller, CaseError, CaseInHand};
use crate::crypto::{FieldRef, KeyOwner, OwnerKind, SealedBlob};
use crate::domain::intake::{FieldProblem, check_text};
use crate::domain::vocabulary::Code;
use crate::store::DbConn;

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

pub(super) fn check(problems: Vec<Option<FieldProblem>>) -> Result<(), CaseError> {
    let problems: Vec<FieldProblem> = problems.into_iter().flatten().collect();
    if problems.is_empty() { Ok(()) } else { Err(CaseError::Invalid(problems)) }
}

pub(super) fn text_problem(
    field: &'static str,
    text: Option<&str>,
    max: usize,
    required: bool,
) -> Option<FieldProblem> {
    check_text(field, text.unwrap_or(""), max, required, true).err()
}

pub(super) fn parse_code<T: Code>(field: &'static str, text: &str) -> Result<T, CaseError> {
    T::from_code(text.trim())
        .ok_or_else(|| CaseError::invalid(field, format!("choose one of: {}", T::listed())))
}

pub(super) fn expect_version(case: &CaseInHand, version: i32) -> Result<(), CaseError> {
    if case.row.version == version {
        Ok(())
    } else {
        Err(CaseError::Stale { record: Versioned::Case, current: case.row.version })
    }
}

pub(super) fn require_open(case: &CaseInHand) -> Result<(), CaseError> {
    if case.status().is_open() { Ok(()) } else { Err(CaseError::CaseClosed) }
}
