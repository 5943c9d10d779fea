//! Short notes during a stay in a safe house (issue 15 item 12): the house's
//! staff and the case's worker write them while she stays; the worker reads them
//! on the case page, the house's staff on their board while she stays (never
//! after check-out: the hard lines). Each note is sealed with the case's data key,
//! so erasing the case shreds them; each write and each read is audited in the
//! transaction that does it.

use chrono::{DateTime, Utc};
use diesel::Connection;
use uuid::Uuid;

use super::access::facts;
use crate::audit::{Event, Outcome};
use crate::authz::{Action, Resource};
use crate::crypto::{FieldRef, KeyOwner, OwnerKind};
use crate::domain::intake::check_text;
use crate::domain::placement::MAX_STAY_NOTE_CHARS;
use crate::services::cases::access::{Caller, CaseError};
use crate::services::sealing::{OwnerKey, Revealed};
use crate::store::DbConn;
use crate::store::placements as placements_store;
use crate::store::stay_notes::{self as store, StayNoteRow};

/// A note as its reader sees it: who wrote it (a staff member's display name is
/// not a survivor's data), when, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StayNote {
    pub id: String,
    pub author: Option<String>,
    pub created_at: DateTime<Utc>,
    pub text: String,
}

/// Writes a note on placement `placement_id`; its id.
pub fn write_note(
    conn: &mut DbConn,
    caller: &Caller,
    placement_id: Uuid,
    text: &str,
) -> Result<Uuid, CaseError> {
    let id = placement_id.to_string();
    let result = conn.transaction(|conn| {
        // The audit event is the first write: it holds the write lock from the start
        // and is kept only if the note is.
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, Action::PlacementNote.as_str(), Outcome::Success, caller.now_naive())
                .on("placement", placement_id),
        )?;
        let row = placements_store::placement(conn, &id)?.ok_or(CaseError::NotFound)?;
        let facts = facts(conn, caller, &row)?;
        caller
            .policies
            .require(&caller.principal, Action::PlacementNote, &Resource::Placement(facts))
            .map_err(|refusal| match refusal {
                crate::error::AppError::NotFound => CaseError::NotFound,
                _ => CaseError::Forbidden,
            })?;
        check_text("text", text, MAX_STAY_NOTE_CHARS, true, true).map_err(|p| CaseError::Invalid(vec![p]))?;
        let case_id: Uuid = row.case_id.parse().map_err(|_| CaseError::NotFound)?;
        let Revealed::Value(key) =
            OwnerKey::open(conn, &caller.keys, KeyOwner::new(OwnerKind::Case, case_id))?
        else {
            return Err(CaseError::AlreadyDone);
        };
        let note = Uuid::now_v7();
        store::insert(
            conn,
            &StayNoteRow {
                id: note.to_string(),
                placement_id: id.clone(),
                author_id: caller.user_id(),
                body: key.seal(FieldRef::new("stay_notes", "body", note), text.trim())?,
                created_at: caller.now_naive(),
            },
        )?;
        Ok(note)
    });
    if let Err(e @ (CaseError::NotFound | CaseError::Forbidden)) = &result {
        let code = if matches!(e, CaseError::NotFound) { "not_found" } else { "forbidden" };
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, Action::PlacementNote.as_str(), Outcome::Denied, caller.now_naive())
                .on("placement", placement_id)
                .because(code),
        )?;
    }
    result
}

/// The notes of a placement, opened with its case's `key`, inside the caller's
/// transaction; the read is audited there when there is any note to read. The
/// caller has asked the policies (`placement.read_notes`).
pub(crate) fn read_notes(
    conn: &mut DbConn,
    caller: &Caller,
    placement_id: Uuid,
    key: &OwnerKey,
) -> Result<Vec<StayNote>, CaseError> {
    let rows = store::of_placement(conn, &placement_id.to_string())?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    crate::store::audit::append(
        conn,
        &Event::new(&caller.actor, Action::PlacementReadNotes.as_str(), Outcome::Success, caller.now_naive())
            .on("placement", placement_id),
    )?;
    let mut notes = Vec::with_capacity(rows.len());
    for (row, author) in rows {
        let id: Uuid = row.id.parse().map_err(|_| CaseError::NotFound)?;
        notes.push(StayNote {
            text: key.open_text(FieldRef::new("stay_notes", "body", id), &row.body)?.to_string(),
            id: row.id,
            author,
            created_at: row.created_at.and_utc(),
        });
    }
    Ok(notes)
}
