//! Possible duplicates across scopes and the links a supervisor made between two
//! cases (issue 17), as stored: ids and reason codes only; and the count of an
//! account's recent lookups for the per-account limit.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{audit_events, case_links, possible_duplicates};

#[derive(Insertable, Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = possible_duplicates)]
pub struct PossibleDuplicateRow {
    pub id: String,
    pub new_case_id: String,
    pub existing_case_id: String,
    /// Comma-separated codes: `name_birth`, `phone`, `id_number`.
    pub reasons: String,
    /// open, linked or dismissed
    pub status: String,
    pub created_at: NaiveDateTime,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = case_links)]
pub struct CaseLinkRow {
    pub id: String,
    pub case_id: String,
    pub other_id: String,
    pub duplicate_id: Option<String>,
    pub linked_by: Option<String>,
    pub linked_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &PossibleDuplicateRow) -> QueryResult<()> {
    diesel::insert_into(possible_duplicates::table).values(row).execute(conn).map(drop)
}

/// The items still waiting for a decision, oldest first.
pub fn open_items(conn: &mut DbConn) -> QueryResult<Vec<PossibleDuplicateRow>> {
    possible_duplicates::table
        .filter(possible_duplicates::status.eq("open"))
        .order_by((possible_duplicates::created_at, possible_duplicates::id))
        .select(PossibleDuplicateRow::as_select())
        .load(conn)
}

pub fn item(conn: &mut DbConn, id: &str) -> QueryResult<Option<PossibleDuplicateRow>> {
    possible_duplicates::table.find(id).select(PossibleDuplicateRow::as_select()).first(conn).optional()
}

/// Decides an open item; false when it was decided already (nothing written).
pub fn decide(
    conn: &mut DbConn,
    id: &str,
    status: &str,
    by: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        possible_duplicates::table
            .filter(possible_duplicates::id.eq(id))
            .filter(possible_duplicates::status.eq("open")),
    )
    .set((
        possible_duplicates::status.eq(status),
        possible_duplicates::decided_by.eq(by),
        possible_duplicates::decided_at.eq(Some(at)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn insert_link(conn: &mut DbConn, row: &CaseLinkRow) -> QueryResult<()> {
    diesel::insert_into(case_links::table).values(row).execute(conn).map(drop)
}

/// The cases linked to this one, whichever side of the link it is on.
pub fn linked_to(conn: &mut DbConn, case_id: &str) -> QueryResult<Vec<String>> {
    let mut ids: Vec<String> =
        case_links::table.filter(case_links::case_id.eq(case_id)).select(case_links::other_id).load(conn)?;
    ids.extend(
        case_links::table
            .filter(case_links::other_id.eq(case_id))
            .select(case_links::case_id)
            .load::<String>(conn)?,
    );
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// When this account's successful events of these actions since `since` were
/// recorded, oldest first (a range scan of `audit_events_actor_action`).
pub fn recent_events(
    conn: &mut DbConn,
    actor_id: &str,
    actions: &[&str],
    since: NaiveDateTime,
) -> QueryResult<Vec<NaiveDateTime>> {
    audit_events::table
        .filter(audit_events::actor_id.eq(actor_id))
        .filter(audit_events::action.eq_any(actions))
        .filter(audit_events::at.gt(since))
        .filter(audit_events::outcome.eq("success"))
        .order_by(audit_events::at)
        .select(audit_events::at)
        .load(conn)
}
