//! Loading administrative unit lists.

use diesel::Connection;

use crate::domain::admin_units::{ListError, ListOptions, UnitList, parse_unit_list};
use crate::store::admin_units::{self as store, Upserted};
use crate::store::{DbConn, StoreError};

/// What an import did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl ImportReport {
    fn count(&mut self, outcome: Upserted) {
        match outcome {
            Upserted::Added => self.added += 1,
            Upserted::Updated => self.updated += 1,
            Upserted::Unchanged => self.unchanged += 1,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    List(#[from] ListError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Store(StoreError::Query(e))
    }
}

/// Imports a unit list or merger mapping in one transaction: the whole file, or
/// nothing of it. Importing the same file twice changes nothing.
pub fn import(conn: &mut DbConn, bytes: &[u8], options: &ListOptions) -> Result<ImportReport, ImportError> {
    let list = parse_unit_list(bytes, options)?;
    conn.transaction(|conn| {
        let mut report = ImportReport::default();
        match &list {
            UnitList::Units(units) => {
                for unit in units {
                    report.count(store::upsert_unit(conn, &unit.item)?);
                }
                for unit in units {
                    if let Some(parent) = &unit.item.parent_code
                        && !store::code_exists(conn, parent.as_str())?
                    {
                        return Err(ListError {
                            line: unit.line,
                            reason: format!(
                                "parent_code {parent} is not a known unit (import the parent list first)"
                            ),
                        }
                        .into());
                    }
                }
            }
            UnitList::Successions(rows) => {
                for row in rows {
                    let s = &row.item;
                    for code in [&s.old_code, &s.new_code] {
                        if !store::code_exists(conn, code.as_str())? {
                            return Err(ListError {
                                line: row.line,
                                reason: format!("{code} is not a known unit (import the unit lists first)"),
                            }
                            .into());
                        }
                    }
                    report.count(store::upsert_succession(conn, s)?);
                }
            }
        }
        let event = crate::audit::Event::new(
            &crate::audit::Actor::command("units import"),
            "units.import",
            crate::audit::Outcome::Success,
            chrono::Utc::now().naive_utc(),
        )
        .because(format!(
            "{} added, {} updated, {} unchanged",
            report.added, report.updated, report.unchanged
        ));
        crate::store::audit::append(conn, &event)?;
        Ok(report)
    })
}

/// Hà Tĩnh's lists, shipped with Bình An, in the order they must be loaded.
pub const HA_TINH: [(&str, &str); 4] = [
    ("hatinh_province.csv", include_str!("../../reference/ha-tinh/hatinh_province.csv")),
    ("hatinh_units_pre2025.csv", include_str!("../../reference/ha-tinh/hatinh_units_pre2025.csv")),
    ("hatinh_communes_2025.csv", include_str!("../../reference/ha-tinh/hatinh_communes_2025.csv")),
    ("hatinh_merge_2025.csv", include_str!("../../reference/ha-tinh/hatinh_merge_2025.csv")),
];

/// Loads the shipped Hà Tĩnh lists; returns what each file did.
pub fn import_ha_tinh(conn: &mut DbConn) -> Result<Vec<(&'static str, ImportReport)>, ImportError> {
    let options = ListOptions {
        province: crate::domain::admin_units::UnitCode::parse("42")
            .map_err(|reason| ListError { line: 0, reason })?,
        valid_from: None,
        valid_to: None,
        effective: None,
    };
    HA_TINH.iter().map(|(name, text)| import(conn, text.as_bytes(), &options).map(|r| (*name, r))).collect()
}
