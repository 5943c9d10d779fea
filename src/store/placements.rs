//! Safe houses and placements as stored. Every transaction that takes or frees
//! beds writes its house's row first ([`hold_house`]): on both backends that makes
//! the transactions of one house run one after another, so the count of beds
//! taken it then reads is the truth until it commits (design §3).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{cases, placements, safe_houses};
use crate::crypto::SealedBlob;

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = safe_houses)]
pub struct HouseRow {
    pub id: String,
    pub name: String,
    pub commune_code: String,
    pub kind: String,
    pub capacity: i32,
    pub accepts_children: bool,
    pub accessible: bool,
    pub active: bool,
    pub address: Option<SealedBlob>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = placements)]
pub struct PlacementRow {
    pub id: String,
    pub case_id: String,
    pub safe_house_id: String,
    pub status: String,
    pub beds: i32,
    pub children: String,
    pub alias: Option<SealedBlob>,
    pub needs: Option<SealedBlob>,
    pub near_perpetrator_reason: Option<SealedBlob>,
    pub override_id: Option<String>,
    pub expected_end_on: Option<NaiveDate>,
    pub requested_by: Option<String>,
    pub requested_at: NaiveDateTime,
    pub hold_expires_at: Option<NaiveDateTime>,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decline_reason: Option<String>,
    pub checked_in_at: Option<NaiveDateTime>,
    pub checked_out_at: Option<NaiveDateTime>,
    pub outcome: Option<String>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub version: i32,
}

pub fn insert_house(conn: &mut DbConn, house: &HouseRow) -> QueryResult<()> {
    diesel::insert_into(safe_houses::table).values(house).execute(conn).map(drop)
}

pub fn house(conn: &mut DbConn, id: &str) -> QueryResult<Option<HouseRow>> {
    safe_houses::table.find(id).select(HouseRow::as_select()).first(conn).optional()
}

pub fn houses(conn: &mut DbConn) -> QueryResult<Vec<HouseRow>> {
    safe_houses::table
        .order_by((safe_houses::commune_code, safe_houses::name))
        .select(HouseRow::as_select())
        .load(conn)
}

/// The first write of a transaction on a house's beds; false when there is no
/// such house. It leaves the version alone: that counts the administrator's
/// edits of the house, which beds taken and freed must not make stale.
pub fn hold_house(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    Ok(diesel::update(safe_houses::table.find(id)).set(safe_houses::updated_at.eq(now)).execute(conn)? == 1)
}

/// Beds taken in a house at `now`: residents, and holds that have not run out.
pub fn beds_taken(conn: &mut DbConn, house_id: &str, now: NaiveDateTime) -> QueryResult<i64> {
    let beds: Option<i64> = placements::table
        .filter(placements::safe_house_id.eq(house_id))
        .filter(
            placements::status
                .eq("checked_in")
                .or(placements::status.eq("accepted").and(placements::hold_expires_at.gt(now))),
        )
        .select(diesel::dsl::sum(placements::beds))
        .first(conn)?;
    Ok(beds.unwrap_or(0))
}

/// Beds taken per house at `now`, for the availability board.
pub fn beds_taken_by_house(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Vec<(String, i64)>> {
    let rows: Vec<(String, Option<i64>)> = placements::table
        .filter(
            placements::status
                .eq("checked_in")
                .or(placements::status.eq("accepted").and(placements::hold_expires_at.gt(now))),
        )
        .group_by(placements::safe_house_id)
        .select((placements::safe_house_id, diesel::dsl::sum(placements::beds)))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, beds)| (id, beds.unwrap_or(0))).collect())
}

pub fn insert_placement(conn: &mut DbConn, row: &PlacementRow) -> QueryResult<()> {
    diesel::insert_into(placements::table).values(row).execute(conn).map(drop)
}

pub fn placement(conn: &mut DbConn, id: &str) -> QueryResult<Option<PlacementRow>> {
    placements::table.find(id).select(PlacementRow::as_select()).first(conn).optional()
}

/// The house of a placement: it never changes, so it may be read before the
/// transaction that writes the house first.
pub fn house_of(conn: &mut DbConn, placement_id: &str) -> QueryResult<Option<String>> {
    placements::table.find(placement_id).select(placements::safe_house_id).first(conn).optional()
}

/// The case facts a placement decision needs: commune and holder of its case.
pub fn case_of(conn: &mut DbConn, case_id: &str) -> QueryResult<Option<(String, Option<String>, String)>> {
    cases::table
        .find(case_id)
        .select((cases::commune_code, cases::assigned_to, cases::status))
        .first(conn)
        .optional()
}

#[derive(AsChangeset, Debug, Default)]
#[diesel(table_name = placements)]
pub struct PlacementChanges<'a> {
    pub status: Option<&'a str>,
    pub hold_expires_at: Option<Option<NaiveDateTime>>,
    pub decided_by: Option<Option<&'a str>>,
    pub decided_at: Option<Option<NaiveDateTime>>,
    pub decline_reason: Option<Option<&'a str>>,
    pub checked_in_at: Option<Option<NaiveDateTime>>,
    pub checked_out_at: Option<Option<NaiveDateTime>>,
    pub outcome: Option<Option<&'a str>>,
    pub cancelled_at: Option<Option<NaiveDateTime>>,
}

/// Applies `changes` if the placement is still at `version`: false when someone
/// changed it first.
pub fn change_placement(
    conn: &mut DbConn,
    id: &str,
    version: i32,
    changes: &PlacementChanges<'_>,
) -> QueryResult<bool> {
    let target = placements::table.filter(placements::id.eq(id)).filter(placements::version.eq(version));
    let done = diesel::update(target)
        .set((changes, placements::version.eq(placements::version + 1)))
        .execute(conn)?;
    Ok(done == 1)
}

/// The placements of a house (its board), newest first.
pub fn placements_of_house(conn: &mut DbConn, house_id: &str) -> QueryResult<Vec<PlacementRow>> {
    placements::table
        .filter(placements::safe_house_id.eq(house_id))
        .order_by((placements::requested_at.desc(), placements::id))
        .select(PlacementRow::as_select())
        .load(conn)
}

pub fn placements_of_case(conn: &mut DbConn, case_id: &str) -> QueryResult<Vec<PlacementRow>> {
    placements::table
        .filter(placements::case_id.eq(case_id))
        .order_by((placements::requested_at, placements::id))
        .select(PlacementRow::as_select())
        .load(conn)
}

/// The case's open placement (requested, accepted — its hold run out or not — or
/// checked in), if any: a case holds at most one. Read after the caller wrote the
/// case's row, so a concurrent request waits and then sees this one.
pub fn open_placement_of_case(conn: &mut DbConn, case_id: &str) -> QueryResult<Option<PlacementRow>> {
    placements::table
        .filter(placements::case_id.eq(case_id))
        .filter(placements::status.eq_any(["requested", "accepted", "checked_in"]))
        .order_by((placements::requested_at.desc(), placements::id))
        .select(PlacementRow::as_select())
        .first(conn)
        .optional()
}

/// Placements of a case that keep it from closing at `now`: requested, holding
/// beds, or with a resident.
pub fn active_placement_count(conn: &mut DbConn, case_id: &str, now: NaiveDateTime) -> QueryResult<i64> {
    placements::table
        .filter(placements::case_id.eq(case_id))
        .filter(
            placements::status
                .eq_any(["requested", "checked_in"])
                .or(placements::status.eq("accepted").and(placements::hold_expires_at.gt(now))),
        )
        .count()
        .get_result(conn)
}

/// The houses of exactly this name (an administrator names a house in
/// `binhan user add --safe-house`).
pub fn houses_named(conn: &mut DbConn, name: &str) -> QueryResult<Vec<HouseRow>> {
    safe_houses::table.filter(safe_houses::name.eq(name)).select(HouseRow::as_select()).load(conn)
}

/// What an administrator changes of a house; the sealed address and phone are
/// written only when given.
pub struct HouseChanges<'a> {
    pub name: &'a str,
    pub commune_code: &'a str,
    pub kind: &'a str,
    pub capacity: i32,
    pub accepts_children: bool,
    pub accessible: bool,
}

/// Applies an edit made from `version`; false when the house is at another
/// version (someone saved first) and nothing was written.
pub fn update_house(
    conn: &mut DbConn,
    id: &str,
    version: i32,
    changes: &HouseChanges<'_>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    Ok(diesel::update(safe_houses::table.find(id).filter(safe_houses::version.eq(version)))
        .set((
            safe_houses::name.eq(changes.name),
            safe_houses::commune_code.eq(changes.commune_code),
            safe_houses::kind.eq(changes.kind),
            safe_houses::capacity.eq(changes.capacity),
            safe_houses::accepts_children.eq(changes.accepts_children),
            safe_houses::accessible.eq(changes.accessible),
            safe_houses::version.eq(safe_houses::version + 1),
            safe_houses::updated_at.eq(now),
        ))
        .execute(conn)?
        == 1)
}

pub fn set_house_address(conn: &mut DbConn, id: &str, address: &SealedBlob) -> QueryResult<()> {
    diesel::update(safe_houses::table.find(id))
        .set(safe_houses::address.eq(Some(address)))
        .execute(conn)
        .map(drop)
}

pub fn set_house_phone(conn: &mut DbConn, id: &str, phone: &SealedBlob) -> QueryResult<()> {
    diesel::update(safe_houses::table.find(id))
        .set(safe_houses::phone.eq(Some(phone)))
        .execute(conn)
        .map(drop)
}

/// Whether a phone number is registered for a house (never the number).
pub fn house_has_phone(conn: &mut DbConn, id: &str) -> QueryResult<bool> {
    let found: Option<Option<SealedBlob>> =
        safe_houses::table.find(id).select(safe_houses::phone).first(conn).optional()?;
    Ok(found.flatten().is_some())
}

/// Deactivates a house at `version`; false when it is at another version.
pub fn deactivate_house(conn: &mut DbConn, id: &str, version: i32, now: NaiveDateTime) -> QueryResult<bool> {
    Ok(diesel::update(safe_houses::table.find(id).filter(safe_houses::version.eq(version)))
        .set((
            safe_houses::active.eq(false),
            safe_houses::version.eq(safe_houses::version + 1),
            safe_houses::updated_at.eq(now),
        ))
        .execute(conn)?
        == 1)
}

/// Placements of a house still open: requested, accepted (a hold, expired or not:
/// staff still answer it) or checked in.
pub fn open_placements_of_house(conn: &mut DbConn, house_id: &str) -> QueryResult<i64> {
    placements::table
        .filter(placements::safe_house_id.eq(house_id))
        .filter(placements::status.eq_any(["requested", "accepted", "checked_in"]))
        .count()
        .get_result(conn)
}
