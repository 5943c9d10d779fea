//! Account changes waiting for a supervisor, and one-time enrolment codes, as stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{account_changes, enrolment_codes, user_communes, users};

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = account_changes)]
pub struct ChangeRow {
    pub id: String,
    pub user_id: String,
    pub kind: String,
    pub role: Option<String>,
    pub communes: Option<String>,
    pub safe_house_id: Option<String>,
    pub requested_by: String,
    pub requested_at: NaiveDateTime,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, change: &ChangeRow) -> QueryResult<()> {
    diesel::insert_into(account_changes::table).values(change).execute(conn).map(drop)
}

pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<ChangeRow>> {
    account_changes::table.find(id).select(ChangeRow::as_select()).first(conn).optional()
}

pub fn pending_of(conn: &mut DbConn, user_id: &str) -> QueryResult<Option<ChangeRow>> {
    account_changes::table
        .filter(account_changes::user_id.eq(user_id))
        .filter(account_changes::status.eq("pending"))
        .select(ChangeRow::as_select())
        .first(conn)
        .optional()
}

/// The changes still waiting, oldest first, then up to `recent` decided since
/// `since`, newest first.
pub fn waiting_and_recent(
    conn: &mut DbConn,
    since: NaiveDateTime,
    recent: i64,
) -> QueryResult<(Vec<ChangeRow>, Vec<ChangeRow>)> {
    let waiting = account_changes::table
        .filter(account_changes::status.eq("pending"))
        .order_by(account_changes::requested_at.asc())
        .select(ChangeRow::as_select())
        .load(conn)?;
    let decided = account_changes::table
        .filter(account_changes::status.ne("pending"))
        .filter(account_changes::decided_at.ge(since))
        .order_by(account_changes::decided_at.desc())
        .limit(recent)
        .select(ChangeRow::as_select())
        .load(conn)?;
    Ok((waiting, decided))
}

/// Decides a waiting change; false when it was no longer waiting (decided by
/// someone else in between).
pub fn decide(
    conn: &mut DbConn,
    id: &str,
    status: &str,
    decided_by: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed =
        diesel::update(account_changes::table.find(id).filter(account_changes::status.eq("pending")))
            .set((
                account_changes::status.eq(status),
                account_changes::decided_by.eq(Some(decided_by)),
                account_changes::decided_at.eq(Some(now)),
            ))
            .execute(conn)?;
    Ok(changed == 1)
}

/// Gives an account its role, communes and house.
pub fn set_access(
    conn: &mut DbConn,
    user_id: &str,
    role: &str,
    communes: &[String],
    safe_house_id: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::role.eq(role),
            users::safe_house_id.eq(safe_house_id),
            users::updated_at.eq(now),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)?;
    diesel::delete(user_communes::table.filter(user_communes::user_id.eq(user_id))).execute(conn)?;
    for code in communes {
        diesel::insert_into(user_communes::table)
            .values((user_communes::user_id.eq(user_id), user_communes::commune_code.eq(code)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn enable(conn: &mut DbConn, user_id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::disabled_at.eq(None::<NaiveDateTime>),
            users::updated_at.eq(now),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)
        .map(drop)
}

/// Replaces any earlier code of the account.
pub fn issue_code(
    conn: &mut DbConn,
    user_id: &str,
    code_hash: &[u8; 32],
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(enrolment_codes::table.find(user_id)).execute(conn)?;
    diesel::insert_into(enrolment_codes::table)
        .values((
            enrolment_codes::user_id.eq(user_id),
            enrolment_codes::code_hash.eq(code_hash.as_slice()),
            enrolment_codes::issued_at.eq(now),
            enrolment_codes::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

/// Uses up the account's code if it is this one and still valid: true once, for
/// one request, however many race.
pub fn use_code(
    conn: &mut DbConn,
    user_id: &str,
    code_hash: &[u8; 32],
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let used = diesel::delete(
        enrolment_codes::table
            .find(user_id)
            .filter(enrolment_codes::code_hash.eq(code_hash.as_slice()))
            .filter(enrolment_codes::expires_at.gt(now)),
    )
    .execute(conn)?;
    Ok(used == 1)
}

/// When the account's code expires, if it has one not yet used.
pub fn code_expiry(conn: &mut DbConn, user_id: &str) -> QueryResult<Option<NaiveDateTime>> {
    enrolment_codes::table.find(user_id).select(enrolment_codes::expires_at).first(conn).optional()
}

pub fn drop_code(conn: &mut DbConn, user_id: &str) -> QueryResult<()> {
    diesel::delete(enrolment_codes::table.find(user_id)).execute(conn).map(drop)
}
