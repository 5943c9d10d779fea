//! Appending to the audit chain and reading it back for verification.

use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{audit_events, audit_head};
use crate::audit::{Broken, Event, GENESIS, StoredEvent, event_hash, verify_chain};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_events)]
struct Row {
    seq: i64,
    at: NaiveDateTime,
    actor_id: Option<String>,
    actor_role: Option<String>,
    action: String,
    resource_type: Option<String>,
    resource_id: Option<String>,
    outcome: String,
    request_id: Option<String>,
    reason: Option<String>,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
    client_addr: Option<String>,
}

impl From<Row> for StoredEvent {
    fn from(r: Row) -> Self {
        StoredEvent {
            seq: r.seq,
            at: r.at,
            actor_id: r.actor_id,
            actor_role: r.actor_role,
            action: r.action,
            resource_type: r.resource_type,
            resource_id: r.resource_id,
            outcome: r.outcome,
            request_id: r.request_id,
            reason: r.reason,
            client_addr: r.client_addr,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// Both databases keep timestamps to the microsecond; the hash covers what is kept.
fn to_micros(at: NaiveDateTime) -> NaiveDateTime {
    at.with_nanosecond(at.nanosecond() / 1_000 * 1_000).unwrap_or(at)
}

/// A write that changes nothing, made first in a transaction that would otherwise
/// read before writing: it takes the write lock (SQLite) or the head row
/// (PostgreSQL) up front (design §3).
pub fn hold_head(conn: &mut DbConn) -> QueryResult<()> {
    diesel::update(audit_head::table.find(1)).set(audit_head::seq.eq(audit_head::seq)).execute(conn).map(drop)
}

/// Appends an event. Within the caller's transaction (as a savepoint), so the event
/// commits or rolls back with the change it records. The head row is updated
/// first: concurrent appends queue on it, on SQLite and PostgreSQL alike.
pub fn append(conn: &mut DbConn, event: &Event) -> QueryResult<i64> {
    conn.transaction(|conn| {
        diesel::update(audit_head::table.find(1))
            .set(audit_head::seq.eq(audit_head::seq + 1))
            .execute(conn)?;
        let (seq, prev_hash): (i64, Vec<u8>) =
            audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).first(conn)?;
        let mut stored = StoredEvent {
            seq,
            at: to_micros(event.at),
            actor_id: event.actor.user_id.map(|id| id.to_string()),
            actor_role: event.actor.role.map(|r| r.as_str().to_string()),
            action: event.action.to_string(),
            resource_type: event.resource.as_ref().map(|(t, _)| t.to_string()),
            resource_id: event.resource.as_ref().map(|(_, id)| id.clone()),
            outcome: event.outcome.as_str().to_string(),
            request_id: event.actor.request_id.clone(),
            reason: event.reason.clone(),
            client_addr: event.actor.client_addr.clone(),
            prev_hash,
            hash: Vec::new(),
        };
        stored.hash = event_hash(&stored.prev_hash, &stored).to_vec();
        diesel::update(audit_head::table.find(1)).set(audit_head::hash.eq(&stored.hash)).execute(conn)?;
        let row = Row {
            seq: stored.seq,
            at: stored.at,
            actor_id: stored.actor_id,
            actor_role: stored.actor_role,
            action: stored.action,
            resource_type: stored.resource_type,
            resource_id: stored.resource_id,
            outcome: stored.outcome,
            request_id: stored.request_id,
            reason: stored.reason,
            prev_hash: stored.prev_hash,
            hash: stored.hash,
            client_addr: stored.client_addr,
        };
        diesel::insert_into(audit_events::table).values(&row).execute(conn)?;
        Ok(seq)
    })
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Broken(#[from] Broken),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
}

/// Walks the whole chain in order (in batches) and checks it against its head.
/// Returns the number of events.
pub fn verify(conn: &mut DbConn) -> Result<i64, VerifyError> {
    let (head_seq, head_hash): (i64, Vec<u8>) =
        audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).first(conn)?;
    let mut at = (0i64, GENESIS);
    loop {
        let rows: Vec<Row> = audit_events::table
            .filter(audit_events::seq.gt(at.0))
            .order_by(audit_events::seq)
            .limit(1000)
            .select(Row::as_select())
            .load(conn)?;
        if rows.is_empty() {
            break;
        }
        let events: Vec<StoredEvent> = rows.into_iter().map(StoredEvent::from).collect();
        at = verify_chain(&events, at)?;
    }
    if at.0 != head_seq || at.1.as_slice() != head_hash.as_slice() {
        return Err(Broken::Truncated { last: at.0, head: head_seq }.into());
    }
    Ok(at.0)
}

/// The events about one record, oldest first (for tests and investigations).
pub fn actions_on(
    conn: &mut DbConn,
    resource_type: &str,
    resource_id: &str,
) -> QueryResult<Vec<(String, String)>> {
    audit_events::table
        .filter(audit_events::resource_type.eq(resource_type))
        .filter(audit_events::resource_id.eq(resource_id))
        .order_by(audit_events::seq)
        .select((audit_events::action, audit_events::outcome))
        .load(conn)
}

/// The events about one record with their reasons, oldest first.
pub fn reasons_on(
    conn: &mut DbConn,
    resource_type: &str,
    resource_id: &str,
) -> QueryResult<Vec<(String, Option<String>)>> {
    audit_events::table
        .filter(audit_events::resource_type.eq(resource_type))
        .filter(audit_events::resource_id.eq(resource_id))
        .order_by(audit_events::seq)
        .select((audit_events::action, audit_events::reason))
        .load(conn)
}

/// The last `n` events' actions and outcomes, newest last.
pub fn last_actions(conn: &mut DbConn, n: i64) -> QueryResult<Vec<(String, String)>> {
    let mut rows: Vec<(String, String)> = audit_events::table
        .order_by(audit_events::seq.desc())
        .limit(n)
        .select((audit_events::action, audit_events::outcome))
        .load(conn)?;
    rows.reverse();
    Ok(rows)
}

/// One event about a record, as its access log shows it.
#[derive(Queryable, Debug, Clone)]
pub struct AccessRow {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub actor_role: Option<String>,
    pub action: String,
    pub outcome: String,
}

/// The last `limit` events about one record, newest first.
pub fn events_on(
    conn: &mut DbConn,
    resource_type: &str,
    resource_id: &str,
    limit: i64,
) -> QueryResult<Vec<AccessRow>> {
    audit_events::table
        .filter(audit_events::resource_type.eq(resource_type))
        .filter(audit_events::resource_id.eq(resource_id))
        .order_by(audit_events::seq.desc())
        .limit(limit)
        .select((
            audit_events::seq,
            audit_events::at,
            audit_events::actor_id,
            audit_events::actor_role,
            audit_events::action,
            audit_events::outcome,
        ))
        .load(conn)
}
