//! Notes and follow-ups, sealed.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::super::access::{Caller, CaseError, change_case};
use crate::authz::Action;
use crate::crypto::FieldRef;
use crate::domain::intake::{FieldProblem, MAX_NOTE_CHARS, check_time};
use crate::domain::vocabulary::NoteKind;
use crate::store::DbConn;
use crate::store::case_work as store;

use super::*;

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
        let id = write_note(conn, caller, &case.row.id, &key, kind, request.body.trim(), request.due_at)?;
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

/// Writes a sealed note or follow-up of a case; shared with the comment of a
/// direct closure.
pub(in crate::services::cases) fn write_note(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: &str,
    key: &crate::services::sealing::OwnerKey,
    kind: NoteKind,
    body: &str,
    due_at: Option<DateTime<Utc>>,
) -> Result<Uuid, CaseError> {
    let id = Uuid::now_v7();
    store::insert_note(
        conn,
        &store::NoteRow {
            id: id.to_string(),
            case_id: case_id.to_string(),
            kind: kind.as_str().into(),
            body: key.seal(FieldRef::new("case_notes", "body", id), body)?,
            due_at: due_at.map(|d| d.naive_utc()),
            done_at: None,
            author_id: caller.user_id(),
            created_at: caller.now_naive(),
        },
    )?;
    Ok(id)
}
