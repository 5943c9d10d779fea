//! Server-side sessions, found by the SHA-256 of their cookie token.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::sessions;

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub token_hash: Vec<u8>,
    pub user_id: String,
    pub csrf_token: String,
    pub stage: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub locked_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, session: &SessionRow) -> QueryResult<()> {
    diesel::insert_into(sessions::table).values(session).execute(conn).map(drop)
}

pub fn find(conn: &mut DbConn, token_hash: &[u8]) -> QueryResult<Option<SessionRow>> {
    sessions::table.find(token_hash).select(SessionRow::as_select()).first(conn).optional()
}

pub fn touch(conn: &mut DbConn, token_hash: &[u8], now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(sessions::table.find(token_hash))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)
        .map(drop)
}

pub fn set_stage(conn: &mut DbConn, token_hash: &[u8], stage: &str) -> QueryResult<()> {
    diesel::update(sessions::table.find(token_hash)).set(sessions::stage.eq(stage)).execute(conn).map(drop)
}

pub fn delete(conn: &mut DbConn, token_hash: &[u8]) -> QueryResult<bool> {
    Ok(diesel::delete(sessions::table.find(token_hash)).execute(conn)? == 1)
}

/// Removes sessions past their absolute lifetime or idle limit.
pub fn delete_expired(
    conn: &mut DbConn,
    now: NaiveDateTime,
    idle_since: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(sessions::expires_at.le(now).or(sessions::last_seen_at.lt(idle_since))),
    )
    .execute(conn)
}

/// Locks (`Some`) or unlocks (`None`) a session's screen.
pub fn set_locked(conn: &mut DbConn, token_hash: &[u8], at: Option<NaiveDateTime>) -> QueryResult<()> {
    diesel::update(sessions::table.find(token_hash)).set(sessions::locked_at.eq(at)).execute(conn).map(drop)
}

/// Ends every session of every user; returns how many there were.
pub fn delete_all(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(sessions::table).execute(conn)
}
