//! The per-account limit on case searches and duplicate checks (issue 17): each
//! one is an audit event, and an account may make at most `per_minute` of them in
//! any 60 seconds. A refusal is an audit event too (`denied`, `rate_limited`).
//!
//! The limit is counted from the audit log rather than kept in memory, so it holds
//! across instances (two `binhan serve` on one PostgreSQL) and restarts. The
//! lookup's own event is written first, which takes the audit chain's head row
//! (design §3: every append updates `audit_head` first); the count that follows
//! therefore sees every lookup another instance committed before, and two
//! lookups of one account cannot both pass as the 30th. Over the limit, the
//! transaction (with that event and the work) is rolled back and the refusal is
//! recorded on its own. The count is a range scan of the index
//! `audit_events_actor_action (actor_id, action, at)`.

use chrono::Duration;
use diesel::Connection;

use super::access::{Caller, CaseError};
use crate::audit::{Event, Outcome};
use crate::store::DbConn;

/// The actions the limit counts, together: a search and a duplicate check are
/// both ways to ask "does this person have a case?".
pub const LOOKUP_ACTIONS: [&str; 2] = ["case.search", "case.duplicate_check"];

/// The window of the limit.
pub const WINDOW_SECONDS: i64 = 60;

/// Runs a lookup (`action`, one of [`LOOKUP_ACTIONS`]) in one transaction with its
/// audit event, or refuses it with [`CaseError::RateLimited`] when the account
/// made `per_minute` already in the last minute (0: no limit). The work runs the
/// same queries whatever it finds.
pub fn limited<T>(
    conn: &mut DbConn,
    caller: &Caller,
    action: &'static str,
    per_minute: u32,
    work: impl FnOnce(&mut DbConn) -> Result<T, CaseError>,
) -> Result<T, CaseError> {
    let now = caller.now_naive();
    let result = conn.transaction(|conn| {
        crate::store::audit::append(conn, &Event::new(&caller.actor, action, Outcome::Success, now))?;
        if per_minute > 0
            && let Some(user) = caller.user_id()
        {
            let since = now - Duration::seconds(WINDOW_SECONDS);
            let recent = crate::store::duplicates::recent_events(conn, &user, &LOOKUP_ACTIONS, since)?;
            // `recent` includes this lookup's own event.
            if recent.len() > per_minute as usize {
                // The oldest lookup that still counts leaves the window first.
                let oldest = recent[recent.len() - per_minute as usize - 1];
                let wait = (oldest + Duration::seconds(WINDOW_SECONDS) - now).num_seconds() + 1;
                return Err(CaseError::RateLimited { retry_after_s: wait.clamp(1, WINDOW_SECONDS) as u64 });
            }
        }
        work(conn)
    });
    if matches!(result, Err(CaseError::RateLimited { .. })) {
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, action, Outcome::Denied, now).because("rate_limited"),
        )?;
    }
    result
}
