use chrono::NaiveDate;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{admin_unit_successions, admin_units};
use crate::domain::admin_units::{AdminUnit, Succession, UnitKind};

/// How a row of an imported list compared with what was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Added,
    Updated,
    Unchanged,
}

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = admin_units)]
struct StoredUnit {
    id: i32,
    name: String,
    kind: String,
    parent_code: Option<String>,
    valid_to: Option<NaiveDate>,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = admin_units, treat_none_as_null = true)]
struct UnitValues<'a> {
    code: &'a str,
    name: &'a str,
    kind: &'a str,
    parent_code: Option<&'a str>,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
}

/// Inserts the unit, or brings the stored unit of the same code and period up to
/// date. `on_conflict` is not available across both backends, hence read-then-write;
/// imports run in one transaction.
pub fn upsert_unit(conn: &mut DbConn, unit: &AdminUnit) -> QueryResult<Upserted> {
    let mut query = admin_units::table
        .filter(admin_units::code.eq(unit.code.as_str()))
        .select(StoredUnit::as_select())
        .into_boxed();
    query = match unit.valid_from {
        Some(day) => query.filter(admin_units::valid_from.eq(day)),
        None => query.filter(admin_units::valid_from.is_null()),
    };
    let stored = query.first(conn).optional()?;
    let values = UnitValues {
        code: unit.code.as_str(),
        name: &unit.name,
        kind: unit.kind.as_str(),
        parent_code: unit.parent_code.as_ref().map(|c| c.as_str()),
        valid_from: unit.valid_from,
        valid_to: unit.valid_to,
    };
    match stored {
        None => {
            diesel::insert_into(admin_units::table).values(&values).execute(conn)?;
            Ok(Upserted::Added)
        }
        Some(s)
            if s.name == unit.name
                && s.kind == unit.kind.as_str()
                && s.parent_code.as_deref() == values.parent_code
                && s.valid_to == unit.valid_to =>
        {
            Ok(Upserted::Unchanged)
        }
        Some(s) => {
            diesel::update(admin_units::table.find(s.id)).set(&values).execute(conn)?;
            Ok(Upserted::Updated)
        }
    }
}

pub fn upsert_succession(conn: &mut DbConn, succession: &Succession) -> QueryResult<Upserted> {
    let key = (succession.old_code.as_str(), succession.new_code.as_str(), succession.effective);
    let stored: Option<String> = admin_unit_successions::table
        .find(key)
        .select(admin_unit_successions::share)
        .first(conn)
        .optional()?;
    match stored {
        None => {
            diesel::insert_into(admin_unit_successions::table)
                .values((
                    admin_unit_successions::old_code.eq(key.0),
                    admin_unit_successions::new_code.eq(key.1),
                    admin_unit_successions::effective.eq(key.2),
                    admin_unit_successions::share.eq(succession.share.as_str()),
                ))
                .execute(conn)?;
            Ok(Upserted::Added)
        }
        Some(share) if share == succession.share.as_str() => Ok(Upserted::Unchanged),
        Some(_) => {
            diesel::update(admin_unit_successions::table.find(key))
                .set(admin_unit_successions::share.eq(succession.share.as_str()))
                .execute(conn)?;
            Ok(Upserted::Updated)
        }
    }
}

/// Whether a unit with this code exists in any period.
pub fn code_exists(conn: &mut DbConn, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(admin_units::table.filter(admin_units::code.eq(code))))
        .get_result(conn)
}

/// A commune in force on `day`, with its name, or None.
pub fn commune_on(conn: &mut DbConn, code: &str, day: NaiveDate) -> QueryResult<Option<(String, UnitKind)>> {
    let communes = [UnitKind::Xa, UnitKind::Phuong, UnitKind::ThiTran].map(UnitKind::as_str);
    let found: Option<(String, String)> = admin_units::table
        .filter(admin_units::code.eq(code))
        .filter(admin_units::kind.eq_any(communes))
        .filter(admin_units::valid_from.is_null().or(admin_units::valid_from.le(day)))
        .filter(admin_units::valid_to.is_null().or(admin_units::valid_to.ge(day)))
        .select((admin_units::name, admin_units::kind))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(name, kind)| UnitKind::parse(&kind).map(|k| (name, k))))
}

/// How many units of each kind are in force on `day`.
pub fn count_in_force(conn: &mut DbConn, day: NaiveDate) -> QueryResult<Vec<(String, i64)>> {
    admin_units::table
        .filter(admin_units::valid_from.is_null().or(admin_units::valid_from.le(day)))
        .filter(admin_units::valid_to.is_null().or(admin_units::valid_to.ge(day)))
        .group_by(admin_units::kind)
        .select((admin_units::kind, diesel::dsl::count_star()))
        .order_by(admin_units::kind)
        .load(conn)
}

/// Where an old unit went: its successors with their share.
pub fn successors_of(conn: &mut DbConn, old_code: &str) -> QueryResult<Vec<(String, String)>> {
    admin_unit_successions::table
        .filter(admin_unit_successions::old_code.eq(old_code))
        .select((admin_unit_successions::new_code, admin_unit_successions::share))
        .order_by(admin_unit_successions::new_code)
        .load(conn)
}

/// A commune (xã, phường) of a province, as a list to choose from shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneEntry {
    pub code: String,
    /// The name without its "Xã"/"Phường" prefix.
    pub name: String,
    pub kind: UnitKind,
}

impl CommuneEntry {
    /// The name as people write it: "Phường Thành Sen", "Xã Cẩm Xuyên".
    pub fn full_name(&self) -> String {
        match self.kind.prefix() {
            Some(prefix) => format!("{prefix} {}", self.name),
            None => self.name.clone(),
        }
    }
}

/// The communes of `province` in force on `day`, by code.
pub fn communes_of_province(
    conn: &mut DbConn,
    province: &str,
    day: NaiveDate,
) -> QueryResult<Vec<CommuneEntry>> {
    let communes = [UnitKind::Xa, UnitKind::Phuong, UnitKind::ThiTran].map(UnitKind::as_str);
    let rows: Vec<(String, String, String)> = admin_units::table
        .filter(admin_units::parent_code.eq(province))
        .filter(admin_units::kind.eq_any(communes))
        .filter(admin_units::valid_from.is_null().or(admin_units::valid_from.le(day)))
        .filter(admin_units::valid_to.is_null().or(admin_units::valid_to.ge(day)))
        .select((admin_units::code, admin_units::name, admin_units::kind))
        .order_by(admin_units::code)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(code, name, kind)| UnitKind::parse(&kind).map(|kind| CommuneEntry { code, name, kind }))
        .collect())
}

/// The name of a unit by its code (the latest period, if it had several).
pub fn unit_name(conn: &mut DbConn, code: &str) -> QueryResult<Option<String>> {
    admin_units::table
        .filter(admin_units::code.eq(code))
        .order_by(admin_units::valid_from.desc())
        .select(admin_units::name)
        .first(conn)
        .optional()
}

/// The province a unit belongs to (its 2-digit ancestor), following parents.
pub fn province_of(conn: &mut DbConn, code: &str) -> QueryResult<Option<String>> {
    let mut current = code.to_string();
    for _ in 0..4 {
        if current.len() == 2 {
            return Ok(Some(current));
        }
        let parent: Option<Option<String>> = admin_units::table
            .filter(admin_units::code.eq(&current))
            .select(admin_units::parent_code)
            .first(conn)
            .optional()?;
        match parent.flatten() {
            Some(p) => current = p,
            None => return Ok(None),
        }
    }
    Ok(None)
}
