//! Communes by the names people use now. Cases keep the commune they were
//! recorded in; since 1 July 2025 most of those units no longer exist. An old
//! commune that went wholly into a 2025 commune is shown, listed and counted as
//! that commune (the statistics' rows and every page that names a commune share
//! this mapping). The two old communes split between several new ones (Đại Nài,
//! Kỳ Lợi) have no single successor: they keep their own name, marked as former.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::store::DbConn;
use crate::store::admin_units::{CommuneEntry, commune_on, communes_of_province, unit_name};

/// Where an old commune went in the 2025 reform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Successor {
    /// Wholly part of this commune.
    One(String),
    /// Split between several communes: no single successor.
    Split,
}

/// Every old commune with where it went.
pub fn successors(conn: &mut DbConn) -> diesel::QueryResult<BTreeMap<String, Successor>> {
    let mut went: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (old, new, _share) in crate::store::stats::successions(conn)? {
        went.entry(old).or_default().push(new);
    }
    Ok(went
        .into_iter()
        .filter_map(|(old, new)| match new.as_slice() {
            [one] => Some((old, Successor::One(one.clone()))),
            [_, _, ..] => Some((old, Successor::Split)),
            [] => None,
        })
        .collect())
}

/// An old commune's name as it was on its last day, with its "Xã"/"Phường".
pub fn former_name(conn: &mut DbConn, old: &str) -> diesel::QueryResult<String> {
    let last_day = crate::domain::admin_units::PRE_REFORM_LIST_TO;
    Ok(match commune_on(conn, old, last_day)? {
        Some((name, kind)) => CommuneEntry { code: old.to_string(), name, kind }.full_name(),
        None => unit_name(conn, old)?.unwrap_or_else(|| old.to_string()),
    })
}

/// The name a recorded commune is shown by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommuneName {
    /// A commune in force, or the one an old commune became part of.
    Current(String),
    /// A split old commune, named as it was: the page marks it as former.
    Former(String),
}

/// The name of every commune a case of `province` may be recorded in: those in
/// force on `day`, and the old ones by their successor (or as former).
pub fn names_of_province(
    conn: &mut DbConn,
    province: &str,
    day: NaiveDate,
) -> diesel::QueryResult<BTreeMap<String, CommuneName>> {
    let mut names: BTreeMap<String, CommuneName> = communes_of_province(conn, province, day)?
        .into_iter()
        .map(|c| (c.code.clone(), CommuneName::Current(c.full_name())))
        .collect();
    for (old, successor) in successors(conn)? {
        if names.contains_key(&old) {
            continue;
        }
        let name = match successor {
            Successor::One(new) => match names.get(&new) {
                Some(CommuneName::Current(name)) => CommuneName::Current(name.clone()),
                _ => continue,
            },
            Successor::Split => {
                if crate::store::admin_units::province_of(conn, &old)?.as_deref() != Some(province) {
                    continue;
                }
                CommuneName::Former(former_name(conn, &old)?)
            }
        };
        names.insert(old, name);
    }
    Ok(names)
}

/// The commune a case recorded in `code` is counted and listed under: its
/// single successor, or itself (in force, or split).
pub fn row_of(successors: &BTreeMap<String, Successor>, code: &str) -> String {
    match successors.get(code) {
        Some(Successor::One(new)) => new.clone(),
        _ => code.to_string(),
    }
}
