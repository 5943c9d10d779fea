//! What the Committee's statistics are made of: the monthly tallies kept as cases
//! are recorded (migration `statistics`), and the dated events of a period. Plain
//! categories only; nothing here can be decrypted into a person.

use chrono::NaiveDateTime;
use diesel::dsl::sum;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{
    admin_unit_successions, cases, placements, protection_measures, referrals, safe_houses, stat_tallies,
};
pub use crate::domain::reporting::tables::TallyKey;

/// Counts a newly recorded case in its month's tallies, inside the intake's
/// transaction. The intake transaction writes its case counter first, so
/// intakes run one after another and the update-or-insert below cannot race.
pub fn count_case(conn: &mut DbConn, month: i32, commune: &str, keys: &[TallyKey]) -> QueryResult<()> {
    for key in keys {
        let row = stat_tallies::table
            .filter(stat_tallies::month.eq(month))
            .filter(stat_tallies::dimension.eq(key.dimension))
            .filter(stat_tallies::commune_code.eq(commune))
            .filter(stat_tallies::row_key.eq(&key.row))
            .filter(stat_tallies::col_key.eq(&key.column));
        let updated =
            diesel::update(row).set(stat_tallies::cases.eq(stat_tallies::cases + 1)).execute(conn)?;
        if updated == 0 {
            diesel::insert_into(stat_tallies::table)
                .values((
                    stat_tallies::month.eq(month),
                    stat_tallies::commune_code.eq(commune),
                    stat_tallies::dimension.eq(key.dimension),
                    stat_tallies::row_key.eq(&key.row),
                    stat_tallies::col_key.eq(&key.column),
                    stat_tallies::cases.eq(1),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Takes a case out of its month's tallies (a correction moved it elsewhere),
/// inside the correction's transaction; a tally that reaches nought goes, as a
/// recount would not have it.
pub fn uncount_case(conn: &mut DbConn, month: i32, commune: &str, keys: &[TallyKey]) -> QueryResult<()> {
    for key in keys {
        let row = stat_tallies::table
            .filter(stat_tallies::month.eq(month))
            .filter(stat_tallies::dimension.eq(key.dimension))
            .filter(stat_tallies::commune_code.eq(commune))
            .filter(stat_tallies::row_key.eq(&key.row))
            .filter(stat_tallies::col_key.eq(&key.column));
        diesel::update(row).set(stat_tallies::cases.eq(stat_tallies::cases - 1)).execute(conn)?;
        diesel::delete(row.filter(stat_tallies::cases.le(0))).execute(conn)?;
    }
    Ok(())
}

/// Replaces every tally (`binhan stats rebuild`, and generated test data).
pub fn replace_all(conn: &mut DbConn, rows: &[(i32, String, TallyKey, i32)]) -> QueryResult<()> {
    diesel::delete(stat_tallies::table).execute(conn)?;
    for (month, commune, key, cases) in rows {
        diesel::insert_into(stat_tallies::table)
            .values((
                stat_tallies::month.eq(*month),
                stat_tallies::commune_code.eq(commune.as_str()),
                stat_tallies::dimension.eq(key.dimension),
                stat_tallies::row_key.eq(key.row.as_str()),
                stat_tallies::col_key.eq(key.column.as_str()),
                stat_tallies::cases.eq(*cases),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A sum of tallies: cases of one month in one category pair, of one commune as
/// recorded (only for the `commune` dimension; empty for the others).
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Tally {
    pub dimension: String,
    pub month: i32,
    pub commune_code: String,
    pub row: String,
    pub column: String,
    pub cases: i64,
}

/// The tallies of months `first..=last` (as numbers, 202607), of the given
/// communes as recorded (`None`: all), summed over communes except in the
/// `commune` dimension.
pub fn tallies(
    conn: &mut DbConn,
    first: i32,
    last: i32,
    dimensions: &[&str],
    communes: Option<&[String]>,
) -> QueryResult<Vec<Tally>> {
    let in_period = stat_tallies::month.ge(first).and(stat_tallies::month.le(last));
    let mut by_commune = stat_tallies::table
        .filter(in_period)
        .filter(stat_tallies::dimension.eq("commune"))
        .select((
            stat_tallies::dimension,
            stat_tallies::month,
            stat_tallies::commune_code,
            stat_tallies::row_key,
            stat_tallies::col_key,
            stat_tallies::cases,
        ))
        .into_boxed();
    if let Some(communes) = communes {
        by_commune = by_commune.filter(stat_tallies::commune_code.eq_any(communes));
    }
    let mut out: Vec<Tally> = Vec::new();
    if dimensions.contains(&"commune") {
        let rows: Vec<(String, i32, String, String, String, i32)> = by_commune.load(conn)?;
        out.extend(rows.into_iter().map(|(dimension, month, commune_code, row, column, cases)| Tally {
            dimension,
            month,
            commune_code,
            row,
            column,
            cases: i64::from(cases),
        }));
    }
    let others: Vec<&str> = dimensions.iter().copied().filter(|d| *d != "commune").collect();
    if others.is_empty() {
        return Ok(out);
    }
    let mut grouped = stat_tallies::table
        .filter(stat_tallies::month.ge(first).and(stat_tallies::month.le(last)))
        .filter(stat_tallies::dimension.eq_any(others))
        .group_by((
            stat_tallies::dimension,
            stat_tallies::month,
            stat_tallies::row_key,
            stat_tallies::col_key,
        ))
        .select((
            stat_tallies::dimension,
            stat_tallies::month,
            stat_tallies::row_key,
            stat_tallies::col_key,
            sum(stat_tallies::cases),
        ))
        .into_boxed();
    if let Some(communes) = communes {
        grouped = grouped.filter(stat_tallies::commune_code.eq_any(communes));
    }
    let rows: Vec<(String, i32, String, String, Option<i64>)> = grouped.load(conn)?;
    out.extend(rows.into_iter().map(|(dimension, month, row, column, cases)| Tally {
        dimension,
        month,
        commune_code: String::new(),
        row,
        column,
        cases: cases.unwrap_or(0),
    }));
    Ok(out)
}

/// Where each pre-reform unit went: (old code, new code, `full` or `partial`).
pub fn successions(conn: &mut DbConn) -> QueryResult<Vec<(String, String, String)>> {
    admin_unit_successions::table
        .select((
            admin_unit_successions::old_code,
            admin_unit_successions::new_code,
            admin_unit_successions::share,
        ))
        .order_by((admin_unit_successions::old_code, admin_unit_successions::new_code))
        .load(conn)
}

/// A period as instants (UTC), start included, end excluded.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub from: NaiveDateTime,
    pub until: NaiveDateTime,
}

/// Cases reported in the span: when, and when first acted on.
pub fn reports(
    conn: &mut DbConn,
    span: Span,
    communes: Option<&[String]>,
) -> QueryResult<Vec<(NaiveDateTime, Option<NaiveDateTime>)>> {
    let mut query = cases::table
        .filter(cases::reported_at.ge(span.from).and(cases::reported_at.lt(span.until)))
        .select((cases::reported_at, cases::first_action_at))
        .into_boxed();
    if let Some(communes) = communes {
        query = query.filter(cases::commune_code.eq_any(communes));
    }
    query.load(conn)
}

/// Cases closed in the span: when, and why.
pub fn closures(
    conn: &mut DbConn,
    span: Span,
    communes: Option<&[String]>,
) -> QueryResult<Vec<(NaiveDateTime, Option<String>)>> {
    let mut query = cases::table
        .filter(cases::closed_at.ge(span.from).and(cases::closed_at.lt(span.until)))
        .select((cases::closed_at.assume_not_null(), cases::closure_reason))
        .into_boxed();
    if let Some(communes) = communes {
        query = query.filter(cases::commune_code.eq_any(communes));
    }
    query.load(conn)
}

/// Protection measures that started in the span: when, and which.
pub fn measures(
    conn: &mut DbConn,
    span: Span,
    communes: Option<&[String]>,
) -> QueryResult<Vec<(NaiveDateTime, String)>> {
    let mut query = protection_measures::table
        .inner_join(cases::table.on(cases::id.eq(protection_measures::case_id)))
        .filter(
            protection_measures::starts_at.ge(span.from).and(protection_measures::starts_at.lt(span.until)),
        )
        .select((protection_measures::starts_at, protection_measures::measure_type))
        .into_boxed();
    if let Some(communes) = communes {
        query = query.filter(cases::commune_code.eq_any(communes));
    }
    query.load(conn)
}

/// Referrals made in the span: when, to which service, where they stand.
pub fn referrals(
    conn: &mut DbConn,
    span: Span,
    communes: Option<&[String]>,
) -> QueryResult<Vec<(NaiveDateTime, String, String)>> {
    let mut query = referrals::table
        .inner_join(cases::table.on(cases::id.eq(referrals::case_id)))
        .filter(referrals::created_at.ge(span.from).and(referrals::created_at.lt(span.until)))
        .select((referrals::created_at, referrals::service_type, referrals::status))
        .into_boxed();
    if let Some(communes) = communes {
        query = query.filter(cases::commune_code.eq_any(communes));
    }
    query.load(conn)
}

/// A stay in a safe house that overlaps a span.
#[derive(Debug, Clone, Queryable)]
pub struct Stay {
    pub house_kind: String,
    pub beds: i32,
    pub checked_in_at: NaiveDateTime,
    pub checked_out_at: Option<NaiveDateTime>,
}

/// Stays that overlap the span, with the kind of house.
pub fn stays(conn: &mut DbConn, span: Span, communes: Option<&[String]>) -> QueryResult<Vec<Stay>> {
    let mut query = placements::table
        .inner_join(safe_houses::table)
        .inner_join(cases::table.on(cases::id.eq(placements::case_id)))
        .filter(placements::checked_in_at.lt(span.until))
        .filter(placements::checked_out_at.is_null().or(placements::checked_out_at.ge(span.from)))
        .select((
            safe_houses::kind,
            placements::beds,
            placements::checked_in_at.assume_not_null(),
            placements::checked_out_at,
        ))
        .into_boxed();
    if let Some(communes) = communes {
        query = query.filter(cases::commune_code.eq_any(communes));
    }
    query.load(conn)
}

/// Active safe houses: commune, kind, beds.
pub fn houses(conn: &mut DbConn) -> QueryResult<Vec<(String, String, i32)>> {
    safe_houses::table
        .filter(safe_houses::active.eq(true))
        .select((safe_houses::commune_code, safe_houses::kind, safe_houses::capacity))
        .load(conn)
}
