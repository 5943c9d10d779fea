//! Who read or changed a case: its audit events, newest first, with who (name and
//! role), when and what (action names only: the log never held personal data). For
//! the province's supervisors and the case's own social workers
//! (`case.read_access_log`); reading it is itself a read, recorded like any other.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use uuid::Uuid;

use super::access::{Caller, CaseError, read_case};
use crate::authz::Action;
use crate::domain::role::Role;
use crate::store::DbConn;

/// How many events the log shows: the newest.
pub const LIMIT: i64 = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    pub at: NaiveDateTime,
    /// The account's username and name; None for the server's own commands.
    pub who: Option<(String, String)>,
    pub role: Option<Role>,
    /// The action's name, e.g. `case.read`, `case.update`.
    pub action: String,
    /// success, denied or failure
    pub outcome: String,
}

pub fn access_log(conn: &mut DbConn, caller: &Caller, case_id: Uuid) -> Result<Vec<AccessEntry>, CaseError> {
    read_case(conn, caller, case_id, Action::CaseReadAccessLog, |conn, _| {
        let rows = crate::store::audit::events_on(conn, "case", &case_id.to_string(), LIMIT)?;
        let mut names: HashMap<String, Option<(String, String)>> = HashMap::new();
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let who = match &row.actor_id {
                Some(id) => {
                    if !names.contains_key(id) {
                        let found =
                            crate::store::users::by_id(conn, id)?.map(|u| (u.username, u.display_name));
                        names.insert(id.clone(), found);
                    }
                    names.get(id).cloned().flatten()
                }
                None => None,
            };
            entries.push(AccessEntry {
                at: row.at,
                who,
                role: row.actor_role.as_deref().and_then(|r| r.parse().ok()),
                action: row.action,
                outcome: row.outcome,
            });
        }
        Ok(entries)
    })
}
