//! Crypto-shredding: a case's data key is destroyed, so every sealed field of it
//! is unreadable for good, while its plain categories (and so the statistics)
//! stay. Its blind indexes go too: they would still confirm a guessed name.

use chrono::{Months, NaiveDateTime};
use diesel::Connection;
use uuid::Uuid;

use super::keys::{KeysError, Progress};
use crate::audit::{Actor, Event, Outcome};
use crate::crypto::{KeyOwner, OwnerKind};
use crate::store::DbConn;
use crate::store::cases as case_store;
use crate::store::keys as key_store;

/// Erases a case's personal data. Returns false if it was already erased.
pub fn erase_case(
    conn: &mut DbConn,
    actor: &Actor,
    case_id: Uuid,
    reason: &str,
    now: NaiveDateTime,
) -> Result<bool, KeysError> {
    let shredded = conn.transaction(|conn| {
        let shredded = key_store::shred(conn, &KeyOwner::new(OwnerKind::Case, case_id), now)?;
        case_store::set_indexes(conn, &case_id.to_string(), None, None, None)?;
        crate::store::case_work::set_name_year_index(conn, &case_id.to_string(), None)?;
        if shredded {
            crate::store::audit::append(
                conn,
                &Event::new(actor, "case.erase", Outcome::Success, now).on("case", case_id).because(reason),
            )?;
        }
        Ok::<_, KeysError>(shredded)
    })?;
    forget_old_pages(conn);
    Ok(shredded)
}

/// SQLite keeps the page with the old wrapped key in its write-ahead log until a
/// checkpoint; moving the log into the database (where `secure_delete` overwrites
/// freed content) and emptying it leaves the key nowhere in the files. A checkpoint
/// running at the same moment (the server's checkpointer, every 200 ms) or a
/// reader still using the log makes it fail: it is tried again for up to two
/// seconds, then left to a later checkpoint with a warning. PostgreSQL keeps dead
/// row versions until VACUUM: see docs/OPERATIONS.md.
pub(crate) fn forget_old_pages(conn: &mut DbConn) {
    use diesel::RunQueryDsl;
    use diesel::sql_types::Integer;
    #[derive(diesel::QueryableByName)]
    struct Checkpoint {
        #[diesel(sql_type = Integer)]
        busy: i32,
    }
    if conn.backend() != crate::store::Backend::Sqlite {
        return;
    }
    for _ in 0..200 {
        let done = diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").get_result::<Checkpoint>(conn);
        if done.is_ok_and(|c| c.busy == 0) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    tracing::warn!("the write-ahead log could not be emptied after an erasure; a later checkpoint will");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionReport {
    /// Cases closed longer ago than the retention period that still had data.
    pub due: usize,
    pub erased: usize,
}

/// The day before which closed cases are due for erasure.
pub fn retention_cutoff(now: NaiveDateTime, years: u32) -> NaiveDateTime {
    now.checked_sub_months(Months::new(years.saturating_mul(12))).unwrap_or(NaiveDateTime::MIN)
}

/// Erases every case closed more than `years` years before `now`, one transaction
/// each. `dry_run` only counts.
pub fn run_retention(
    conn: &mut DbConn,
    actor: &Actor,
    years: u32,
    now: NaiveDateTime,
    dry_run: bool,
    progress: &dyn Progress,
) -> Result<RetentionReport, KeysError> {
    let due = case_store::closed_before_with_live_key(conn, retention_cutoff(now, years))?;
    let mut report = RetentionReport { due: due.len(), erased: 0 };
    if dry_run {
        return Ok(report);
    }
    progress.start(due.len() as u64, "erasing expired cases");
    for id in due {
        let Ok(id) = id.parse() else { continue };
        if erase_case(conn, actor, id, "retention_expired", now)? {
            report.erased += 1;
        }
        progress.advance(report.erased as u64);
    }
    progress.finish();
    Ok(report)
}
