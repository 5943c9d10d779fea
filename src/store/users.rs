//! User accounts, their communes and recovery codes, as stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{recovery_codes, sessions, user_communes, users};
use crate::crypto::SealedBlob;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub safe_house_id: Option<String>,
    pub password_hash: String,
    pub password_changed_at: NaiveDateTime,
    pub totp_secret: Option<SealedBlob>,
    pub totp_last_step: Option<i64>,
    pub failed_logins: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub disabled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub version: i32,
    /// The password was given by an administrator: its owner chooses her own first.
    pub must_change_password: bool,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub safe_house_id: Option<&'a str>,
    pub password_hash: &'a str,
    pub password_changed_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, user: &NewUser<'_>, communes: &[String]) -> QueryResult<()> {
    diesel::insert_into(users::table).values(user).execute(conn)?;
    for code in communes {
        diesel::insert_into(user_communes::table)
            .values((user_communes::user_id.eq(user.id), user_communes::commune_code.eq(code)))
            .execute(conn)?;
    }
    Ok(())
}

/// A write that changes nothing visible, made first in a transaction so that it
/// holds the account row (PostgreSQL) or the database's write lock (SQLite) before
/// anything is read (design §3).
pub fn touch(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(id)).set(users::updated_at.eq(now)).execute(conn).map(drop)
}

/// Removes the second factor (lost phone): the next sign-in sets up a new one.
pub fn clear_second_factor(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::totp_secret.eq(None::<SealedBlob>),
            users::totp_last_step.eq(None::<i64>),
            users::updated_at.eq(now),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(id))).execute(conn)?;
    end_sessions(conn, id)
}

pub fn by_username(conn: &mut DbConn, username: &str) -> QueryResult<Option<UserRow>> {
    users::table.filter(users::username.eq(username)).select(UserRow::as_select()).first(conn).optional()
}

pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<UserRow>> {
    users::table.find(id).select(UserRow::as_select()).first(conn).optional()
}

pub fn communes_of(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<String>> {
    user_communes::table
        .filter(user_communes::user_id.eq(user_id))
        .select(user_communes::commune_code)
        .order_by(user_communes::commune_code)
        .load(conn)
}

pub fn all(conn: &mut DbConn) -> QueryResult<Vec<UserRow>> {
    users::table.order_by((users::role, users::username)).select(UserRow::as_select()).load(conn)
}

/// Counts a failed sign-in; locks the account until `lock_until` when it reaches
/// `max_failures`. Returns true if this failure locked it.
pub fn record_failure(
    conn: &mut DbConn,
    id: &str,
    max_failures: i32,
    lock_until: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(users::table.find(id))
        .set((users::failed_logins.eq(users::failed_logins + 1), users::updated_at.eq(now)))
        .execute(conn)?;
    let failures: i32 = users::table.find(id).select(users::failed_logins).first(conn)?;
    if failures >= max_failures {
        diesel::update(users::table.find(id))
            .set((users::locked_until.eq(Some(lock_until)), users::failed_logins.eq(0)))
            .execute(conn)?;
        return Ok(true);
    }
    Ok(false)
}

pub fn record_success(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::failed_logins.eq(0),
            users::locked_until.eq(None::<NaiveDateTime>),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Replaces the password and ends every session of the user.
pub fn set_password(conn: &mut DbConn, id: &str, hash: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::password_changed_at.eq(now),
            users::failed_logins.eq(0),
            users::locked_until.eq(None::<NaiveDateTime>),
            users::updated_at.eq(now),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)?;
    end_sessions(conn, id)
}

/// Whether the account's owner must choose a new password at her next sign-in.
pub fn set_must_change_password(conn: &mut DbConn, id: &str, must: bool) -> QueryResult<()> {
    diesel::update(users::table.find(id)).set(users::must_change_password.eq(must)).execute(conn).map(drop)
}

/// Disables the account and ends every session of the user.
pub fn disable(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::disabled_at.eq(Some(now)),
            users::updated_at.eq(now),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)?;
    end_sessions(conn, id)
}

pub fn end_sessions(conn: &mut DbConn, user_id: &str) -> QueryResult<()> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn).map(drop)
}

/// Stores a second-factor secret waiting for its first code (`totp_last_step` NULL).
pub fn set_pending_totp(
    conn: &mut DbConn,
    id: &str,
    secret: &SealedBlob,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::totp_secret.eq(Some(secret)),
            users::totp_last_step.eq(None::<i64>),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Records the time step of an accepted code, only if it is later than the last
/// one: a code is never accepted twice, even by two requests racing.
pub fn advance_totp_step(conn: &mut DbConn, id: &str, step: i64) -> QueryResult<bool> {
    let changed = diesel::update(
        users::table
            .find(id)
            .filter(users::totp_last_step.is_null().or(users::totp_last_step.lt(step)))
            .filter(users::totp_secret.is_not_null()),
    )
    .set(users::totp_last_step.eq(Some(step)))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn replace_recovery_codes(conn: &mut DbConn, user_id: &str, hashes: &[[u8; 32]]) -> QueryResult<()> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(conn)?;
    for hash in hashes {
        diesel::insert_into(recovery_codes::table)
            .values((recovery_codes::user_id.eq(user_id), recovery_codes::code_hash.eq(hash.as_slice())))
            .execute(conn)?;
    }
    Ok(())
}

/// Uses up a recovery code; false if it is unknown or already used.
pub fn consume_recovery_code(
    conn: &mut DbConn,
    user_id: &str,
    hash: &[u8; 32],
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        recovery_codes::table.find((user_id, hash.as_slice())).filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn unused_recovery_codes(conn: &mut DbConn, user_id: &str) -> QueryResult<i64> {
    recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
}
