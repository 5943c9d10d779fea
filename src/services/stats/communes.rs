//! Communes as the statistics count them. Cases keep the commune they were
//! recorded in; since 1 July 2025 most of those units no longer exist, so the
//! tables count an old commune in the 2025 commune it became part of, through
//! the merger mapping of `services::communes` (which the pages name them by). Two old communes were split between several new ones
//! (Đại Nài, Kỳ Lợi in Hà Tĩnh); which part a case happened in is not recorded
//! as a category, so their cases stay on a row of their own, named after the
//! old commune, and count in the province's totals.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;

use crate::services::communes::{Successor, former_name, successors};
use crate::store::DbConn;
use crate::store::admin_units::{CommuneEntry, communes_of_province};

/// The row a split old commune's cases are counted in: `split:` and its code.
pub const SPLIT_PREFIX: &str = "split:";
/// The row of communes no list shipped with Bình An knows (only ever there if an
/// older list was imported and used): they still count in the province.
pub const OTHER: &str = "other";

/// The rows of the commune table, and where each recorded commune goes.
#[derive(Debug, Clone)]
pub struct CommuneRows {
    /// Row codes in display order: the 2025 communes of the scope, then the split
    /// old communes (province scope only).
    pub rows: Vec<String>,
    /// Row code → the name people use.
    pub names: BTreeMap<String, String>,
    /// Recorded commune code → row code.
    row_of: BTreeMap<String, String>,
}

impl CommuneRows {
    /// The communes of the province on `day`, or only `assigned` ones (a local
    /// committee member's), with the old communes that became wholly part of them.
    pub fn load(
        conn: &mut DbConn,
        province: &str,
        assigned: Option<&[String]>,
        day: NaiveDate,
        recorded: &[&str],
    ) -> diesel::QueryResult<CommuneRows> {
        let current: Vec<CommuneEntry> = communes_of_province(conn, province, day)?;
        let current_codes: HashSet<&str> = current.iter().map(|c| c.code.as_str()).collect();
        let in_scope = |code: &str| assigned.is_none_or(|a| a.iter().any(|c| c == code));
        let mut rows: Vec<String> = Vec::new();
        let mut names = BTreeMap::new();
        let mut row_of = BTreeMap::new();
        for commune in current.iter().filter(|c| in_scope(&c.code)) {
            rows.push(commune.code.clone());
            names.insert(commune.code.clone(), commune.full_name());
            row_of.insert(commune.code.clone(), commune.code.clone());
        }
        for (old, successor) in successors(conn)? {
            match successor {
                Successor::One(one) if current_codes.contains(one.as_str()) && in_scope(&one) => {
                    row_of.entry(old).or_insert(one);
                }
                Successor::Split if assigned.is_none() => {
                    let row = format!("{SPLIT_PREFIX}{old}");
                    rows.push(row.clone());
                    names.insert(row.clone(), former_name(conn, &old)?);
                    row_of.insert(old, row);
                }
                _ => {}
            }
        }
        if assigned.is_none() {
            let unknown: Vec<&str> = recorded.iter().copied().filter(|c| !row_of.contains_key(*c)).collect();
            if !unknown.is_empty() {
                rows.push(OTHER.to_string());
                row_of.extend(unknown.into_iter().map(|c| (c.to_string(), OTHER.to_string())));
            }
        }
        Ok(CommuneRows { rows, names, row_of })
    }

    /// The row a case recorded in `code` counts in; None outside the scope.
    pub fn row_of(&self, code: &str) -> Option<&str> {
        self.row_of.get(code).map(String::as_str)
    }

    /// Every recorded commune code whose cases count in this scope.
    pub fn recorded_codes(&self) -> Vec<String> {
        self.row_of.keys().cloned().collect()
    }
}
