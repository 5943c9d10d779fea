//! Cases and their survivors: rows as stored (sealed blobs, blind indexes, plain
//! categories). Sealing and opening happen in `services`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{case_counters, cases, data_keys, survivors};
use crate::crypto::SealedBlob;

#[derive(Insertable)]
#[diesel(table_name = cases)]
pub struct NewCase<'a> {
    pub id: &'a str,
    pub case_number: &'a str,
    pub commune_code: &'a str,
    pub status: &'a str,
    pub reported_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub report_source: &'a str,
    pub report_channel: &'a str,
    pub immediate_danger: bool,
    pub assigned_to: Option<&'a str>,
    pub created_by: Option<&'a str>,
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = survivors)]
pub struct SurvivorRow {
    pub case_id: String,
    pub full_name: SealedBlob,
    pub other_names: Option<SealedBlob>,
    pub birth_date: Option<SealedBlob>,
    pub phone: Option<SealedBlob>,
    pub address: Option<SealedBlob>,
    pub id_number: Option<SealedBlob>,
    pub guardian_name: Option<SealedBlob>,
    pub guardian_phone: Option<SealedBlob>,
    pub name_index: Option<Vec<u8>>,
    pub phone_index: Option<Vec<u8>>,
    pub id_number_index: Option<Vec<u8>>,
    pub sex: String,
    pub age_group: String,
    pub is_child: bool,
    pub has_disability: bool,
}

pub fn insert(conn: &mut DbConn, case: &NewCase<'_>, survivor: &SurvivorRow) -> QueryResult<()> {
    diesel::insert_into(cases::table).values(case).execute(conn)?;
    diesel::insert_into(survivors::table).values(survivor).execute(conn)?;
    Ok(())
}

/// Makes sure a counter row exists, outside the intake transaction: when two first
/// intakes of a year race, one insert fails on the primary key and that is fine.
pub fn ensure_counter(conn: &mut DbConn, scope: &str) -> QueryResult<()> {
    let inserted = diesel::insert_into(case_counters::table)
        .values((case_counters::scope.eq(scope), case_counters::last_number.eq(0)))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(()),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// The next number of a counter. It writes first, so the transaction holds the
/// counter until it commits (design §3).
pub fn next_number(conn: &mut DbConn, scope: &str) -> QueryResult<i32> {
    diesel::update(case_counters::table.find(scope))
        .set(case_counters::last_number.eq(case_counters::last_number + 1))
        .execute(conn)?;
    case_counters::table.find(scope).select(case_counters::last_number).first(conn)
}

pub fn survivor(conn: &mut DbConn, case_id: &str) -> QueryResult<Option<SurvivorRow>> {
    survivors::table.find(case_id).select(SurvivorRow::as_select()).first(conn).optional()
}

/// Cases per commune: the kind of aggregate statistics are made of.
pub fn count_by_commune(conn: &mut DbConn) -> QueryResult<Vec<(String, i64)>> {
    cases::table
        .group_by(cases::commune_code)
        .select((cases::commune_code, diesel::dsl::count_star()))
        .order_by(cases::commune_code)
        .load(conn)
}

#[derive(Debug, Clone, Copy)]
pub enum IndexColumn {
    Name,
    Phone,
    IdNumber,
}

/// Cases whose survivor's blind index in `column` equals `index`.
pub fn find_by_index(conn: &mut DbConn, column: IndexColumn, index: &[u8]) -> QueryResult<Vec<String>> {
    let query = survivors::table.select(survivors::case_id).order_by(survivors::case_id).into_boxed();
    match column {
        IndexColumn::Name => query.filter(survivors::name_index.eq(index)),
        IndexColumn::Phone => query.filter(survivors::phone_index.eq(index)),
        IndexColumn::IdNumber => query.filter(survivors::id_number_index.eq(index)),
    }
    .load(conn)
}

pub fn set_indexes(
    conn: &mut DbConn,
    case_id: &str,
    name: Option<&[u8]>,
    phone: Option<&[u8]>,
    id_number: Option<&[u8]>,
) -> QueryResult<()> {
    diesel::update(survivors::table.find(case_id))
        .set((
            survivors::name_index.eq(name),
            survivors::phone_index.eq(phone),
            survivors::id_number_index.eq(id_number),
        ))
        .execute(conn)
        .map(drop)
}

/// Survivors after `after` (by case id), for work done in batches.
pub fn survivors_after(conn: &mut DbConn, after: &str, limit: i64) -> QueryResult<Vec<SurvivorRow>> {
    survivors::table
        .filter(survivors::case_id.gt(after))
        .order_by(survivors::case_id)
        .limit(limit)
        .select(SurvivorRow::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    cases::table.count().get_result(conn)
}

/// Cases closed before `cutoff` whose data key is still live.
pub fn closed_before_with_live_key(conn: &mut DbConn, cutoff: NaiveDateTime) -> QueryResult<Vec<String>> {
    cases::table
        .inner_join(
            data_keys::table.on(data_keys::owner_kind.eq("case").and(data_keys::owner_id.eq(cases::id))),
        )
        .filter(cases::closed_at.lt(cutoff))
        .filter(data_keys::shredded_at.is_null())
        .select(cases::id)
        .order_by(cases::id)
        .load(conn)
}

pub fn exists(conn: &mut DbConn, case_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(cases::table.find(case_id))).get_result(conn)
}

pub fn set_closed(conn: &mut DbConn, case_id: &str, closed_at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(cases::table.find(case_id))
        .set((cases::closed_at.eq(Some(closed_at)), cases::status.eq("closed")))
        .execute(conn)
        .map(drop)
}

/// The ids of the cases a scope covers, in id order: the SQL half of a list's
/// access check (each row is also checked against the policies).
pub fn ids_in_scope(conn: &mut DbConn, scope: &crate::authz::scope::CaseScope) -> QueryResult<Vec<String>> {
    use crate::authz::scope::CaseScope;
    let query = cases::table.select(cases::id).order_by(cases::id).into_boxed();
    match scope {
        // One deployment serves one province: every case row is of it.
        CaseScope::Province(_) => query.load(conn),
        CaseScope::CommunesOrAssigned { communes, user_id } => {
            query.filter(cases::commune_code.eq_any(communes).or(cases::assigned_to.eq(user_id))).load(conn)
        }
        CaseScope::Nothing => Ok(Vec::new()),
    }
}

/// What the access policies need to know about a case.
pub fn facts(conn: &mut DbConn, case_id: &str) -> QueryResult<Option<(String, Option<String>, String)>> {
    cases::table
        .find(case_id)
        .select((cases::commune_code, cases::assigned_to, cases::status))
        .first(conn)
        .optional()
}
