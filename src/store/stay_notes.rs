//! Notes recorded during a stay, as stored: the body sealed with the case's data
//! key (so erasing the case shreds them), the author by id.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{stay_notes, users};
use crate::crypto::SealedBlob;

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = stay_notes)]
pub struct StayNoteRow {
    pub id: String,
    pub placement_id: String,
    pub author_id: Option<String>,
    pub body: SealedBlob,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &StayNoteRow) -> QueryResult<()> {
    diesel::insert_into(stay_notes::table).values(row).execute(conn).map(drop)
}

/// The notes of a placement, oldest first, each with its author's display name
/// (staff names are not survivors' data).
pub fn of_placement(
    conn: &mut DbConn,
    placement_id: &str,
) -> QueryResult<Vec<(StayNoteRow, Option<String>)>> {
    stay_notes::table
        .left_join(users::table.on(users::id.nullable().eq(stay_notes::author_id)))
        .filter(stay_notes::placement_id.eq(placement_id))
        .order_by((stay_notes::created_at, stay_notes::id))
        .select((StayNoteRow::as_select(), users::display_name.nullable()))
        .load(conn)
}
