//! The monthly tallies the statistics are summed from: counted in the intake's
//! transaction, and rebuilt from the cases when that is ever needed.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::super::cases::NewCaseInput;
use crate::domain::intake::ValidIntake;
use crate::domain::reporting::{CaseCategories, Month};
use crate::store::DbConn;
use crate::store::schema::{cases, incident_codes, incidents, perpetrators, survivors};
use crate::store::stats::{self as store, TallyKey};

/// The month of a report as Vietnam's calendar has it, as stored (202607).
pub fn month_of(at: NaiveDateTime) -> i32 {
    Month::of((at + Duration::hours(7)).date()).number()
}

/// Counts a new case in its tallies (called inside the intake's transaction).
pub fn count_intake(conn: &mut DbConn, input: &NewCaseInput, valid: &ValidIntake) -> QueryResult<()> {
    let categories = CaseCategories {
        age_group: &input.profile.age_group,
        sex: &input.profile.sex,
        forms: valid.forms.iter().map(|f| f.as_str()).collect(),
        gbv_type: valid.gbv_type.map(|t| t.as_str()),
        relationship: valid.relationship.as_str(),
        perpetrator_sex: valid.perpetrator_sex.as_str(),
    };
    store::count_case(conn, month_of(input.reported_at), &input.commune_code, &categories.tally_keys())
}

/// What a case is counted by: its month, its commune as recorded, its categories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub month: i32,
    pub commune: String,
    pub keys: Vec<TallyKey>,
}

impl Counted {
    pub fn of(reported_at: NaiveDateTime, commune: &str, categories: &CaseCategories<'_>) -> Counted {
        Counted { month: month_of(reported_at), commune: commune.to_string(), keys: categories.tally_keys() }
    }
}

/// A correction of a counted category moves the case in the tallies, in the
/// correction's transaction: out of what it was counted as, into what it is.
pub fn move_counted(conn: &mut DbConn, before: &Counted, after: &Counted) -> QueryResult<()> {
    if before == after {
        return Ok(());
    }
    // Tally rows are updated-or-inserted: corrections and intakes take turns.
    crate::store::audit::hold_head(conn)?;
    store::uncount_case(conn, before.month, &before.commune, &before.keys)?;
    store::count_case(conn, after.month, &after.commune, &after.keys)
}

/// Recounts every tally from the cases, in one transaction; returns the number of
/// cases counted. For `binhan stats rebuild` and for data loaded without intake
/// (the benchmark's generated cases).
pub fn rebuild(conn: &mut DbConn, actor: &crate::audit::Actor, now: NaiveDateTime) -> QueryResult<usize> {
    conn.transaction(|conn| {
        // Write first (design §3): a server recording a case meanwhile waits for
        // the recount instead of failing it.
        crate::store::audit::hold_head(conn)?;
        type CaseLine = (String, NaiveDateTime, String, String, String, Option<String>, String, String);
        let lines: Vec<CaseLine> = cases::table
            .inner_join(survivors::table.on(survivors::case_id.eq(cases::id)))
            .inner_join(incidents::table.on(incidents::case_id.eq(cases::id)))
            .inner_join(perpetrators::table.on(perpetrators::case_id.eq(cases::id)))
            .select((
                cases::id,
                cases::reported_at,
                cases::commune_code,
                survivors::age_group,
                survivors::sex,
                incidents::gbv_type,
                perpetrators::relationship,
                perpetrators::sex,
            ))
            .load(conn)?;
        let forms: Vec<(String, String)> = incident_codes::table
            .filter(incident_codes::list.eq("form"))
            .select((incident_codes::case_id, incident_codes::code))
            .load(conn)?;
        let mut forms_of: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        for (case_id, code) in forms {
            forms_of.entry(case_id).or_default().push(code);
        }
        let mut sums: std::collections::BTreeMap<(i32, String, &'static str, String, String), i32> =
            std::collections::BTreeMap::new();
        let none: Vec<String> = Vec::new();
        for (id, reported_at, commune, age_group, sex, gbv_type, relationship, perpetrator_sex) in &lines {
            let categories = CaseCategories {
                age_group,
                sex,
                forms: forms_of.get(id).unwrap_or(&none).iter().map(String::as_str).collect(),
                gbv_type: gbv_type.as_deref(),
                relationship,
                perpetrator_sex,
            };
            for key in categories.tally_keys() {
                *sums
                    .entry((month_of(*reported_at), commune.clone(), key.dimension, key.row, key.column))
                    .or_default() += 1;
            }
        }
        let rows: Vec<(i32, String, TallyKey, i32)> = sums
            .into_iter()
            .map(|((month, commune, dimension, row, column), n)| {
                (month, commune, TallyKey { dimension, row, column }, n)
            })
            .collect();
        store::replace_all(conn, &rows)?;
        let event = crate::audit::Event::new(actor, "stats.rebuild", crate::audit::Outcome::Success, now)
            .because(format!("{} cases", lines.len()));
        crate::store::audit::append(conn, &event)?;
        Ok(lines.len())
    })
}
