//! Corrections to a case's details with the version the person saw, and erasure.

use crate::services::cases::access::Versioned;
use uuid::Uuid;

use super::super::access::{Caller, CaseError, change_case, change_case_because};
use crate::authz::Action;
use crate::crypto::{KeyOwner, OwnerKind};
use crate::domain::intake::{FieldProblem, MAX_NAME_CHARS, MAX_NOTE_CHARS, check_text, is_phone_number};
use crate::domain::vocabulary::{Code, ErasureReason};
use crate::store::DbConn;
use crate::store::case_work::{self as store, CaseChanges};

use super::*;

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
        super::super::detail::apply_identity_edit(conn, caller, case, &key, edit)?;
        if let Some(danger) = edit.immediate_danger {
            let changes = CaseChanges { immediate_danger: Some(danger), ..Default::default() };
            store::update_case(conn, &case.row.id, &changes)?;
        }
        if !store::bump_version(conn, &case.row.id, edit.version, caller.now_naive())? {
            return Err(CaseError::Stale { record: Versioned::Case, current: case.row.version });
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
    crate::services::erasure::forget_old_pages(conn);
    Ok(())
}
