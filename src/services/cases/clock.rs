//! The deadlines of many cases at once, and the lists' sort key kept with each case
//! (`cases.next_due_at`, issue 16): the soonest deadline still owed that can become
//! overdue ([`next_due`]). Every change that can move a deadline recomputes it in
//! its own transaction: case work through `access::change_case_because`, intake,
//! and placement work through `placements::access::change_placement`. The server
//! recomputes every case's at start-up ([`refresh_all`]): for the cases of a
//! database older than the column, and because the configured holidays may have
//! changed the working days since.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::Connection;

use crate::domain::case_clock::{CaseFactsForClock, next_due};
use crate::domain::deadlines::Holidays;
use crate::domain::lifecycle::CaseStatus;
use crate::store::DbConn;
use crate::store::case_lists;
use crate::store::case_work::{self as store, CaseRow, ProfileRow};

/// What the deadlines of these cases are computed from, by case id.
pub fn facts_of(
    conn: &mut DbConn,
    rows: &[(CaseRow, ProfileRow)],
) -> diesel::QueryResult<HashMap<String, CaseFactsForClock>> {
    let open: Vec<String> = rows
        .iter()
        .filter(|(c, _)| c.status != CaseStatus::Closed.as_str())
        .map(|(c, _)| c.id.clone())
        .collect();
    let clock = store::clock_rows(conn, &open)?;
    let mut facts: HashMap<String, CaseFactsForClock> = rows
        .iter()
        .map(|(case, profile)| {
            let facts = CaseFactsForClock {
                reported_at: case.reported_at.and_utc(),
                is_child: profile.is_child,
                is_open: case.status != CaseStatus::Closed.as_str(),
                first_action_at: case.first_action_at.map(|t| t.and_utc()),
                plan_at: case.plan_at.map(|t| t.and_utc()),
                ..Default::default()
            };
            (case.id.clone(), facts)
        })
        .collect();
    let utc = |t: &chrono::NaiveDateTime| -> DateTime<Utc> { t.and_utc() };
    for (id, at) in &clock.pending_requests {
        facts.entry(id.clone()).or_default().pending_requests.push(utc(at));
    }
    for (id, at) in &clock.no_contact_ends {
        facts.entry(id.clone()).or_default().no_contact_ends.push(utc(at));
    }
    for (id, due, done) in &clock.follow_ups {
        facts.entry(id.clone()).or_default().follow_ups.push((utc(due), done.as_ref().map(utc)));
    }
    Ok(facts)
}

/// Recomputes one case's sort key, in the caller's transaction.
pub fn refresh(conn: &mut DbConn, case_id: &str, holidays: &Holidays) -> diesel::QueryResult<()> {
    let Some(row) = store::case_with_profile(conn, case_id)? else { return Ok(()) };
    let facts = facts_of(conn, std::slice::from_ref(&row))?;
    let due = facts.get(case_id).and_then(|f| next_due(f, holidays)).map(|d| d.naive_utc());
    case_lists::set_next_due(conn, case_id, due)
}

/// Recomputes the sort key of every case that may have one, writing only those
/// that changed, in one transaction. Returns how many changed.
pub fn refresh_all(conn: &mut DbConn, holidays: &Holidays) -> diesel::QueryResult<usize> {
    conn.transaction(|conn| {
        let ids = case_lists::ids_with_a_clock(conn)?;
        let mut changed = 0;
        for chunk in ids.chunks(2_000) {
            let rows = store::cases_with_profiles(conn, chunk)?;
            let facts = facts_of(conn, &rows)?;
            let stored: HashMap<String, Option<chrono::NaiveDateTime>> =
                case_lists::next_due_of(conn, chunk)?.into_iter().collect();
            for (id, facts) in &facts {
                let due = next_due(facts, holidays).map(|d| d.naive_utc());
                if stored.get(id).copied().flatten() != due {
                    case_lists::set_next_due(conn, id, due)?;
                    changed += 1;
                }
            }
        }
        Ok(changed)
    })
}
