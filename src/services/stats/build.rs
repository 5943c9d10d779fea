//! Counting a report's tables for one piece of its period (a set of months):
//! from the monthly tallies for the tables about cases, from the dated events for
//! measures, referrals, stays and closures.

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};

use super::communes::CommuneRows;
use crate::domain::age::AgeGroup;
use crate::domain::referral::ReferralStatus;
use crate::domain::reporting::{AgeBand, CountTable, Month, SexColumn, TableId, Timeliness};
use crate::domain::vocabulary::{
    ClosureReason, Code, FormOfViolence, GbvType, MeasureType, Relationship, SafeHouseKind, ServiceType,
};
use crate::store::stats::{Stay, Tally};

/// The single column of a list.
pub const CASES: &str = "cases";

/// What the event tables are counted from, for the whole report period.
#[derive(Debug, Default)]
pub struct Events {
    pub reports: Vec<(NaiveDateTime, Option<NaiveDateTime>)>,
    pub measures: Vec<(NaiveDateTime, String)>,
    pub referrals: Vec<(NaiveDateTime, String, String)>,
    pub closures: Vec<(NaiveDateTime, Option<String>)>,
    pub stays: Vec<Stay>,
}

/// The month an instant falls in, in Vietnam.
pub fn month_at(at: NaiveDateTime) -> Month {
    Month::of((at + Duration::hours(7)).date())
}

fn codes<T: Code>() -> Vec<String> {
    T::all().iter().map(|v| v.code().to_string()).collect()
}

fn list(id: TableId, rows: Vec<String>) -> CountTable {
    CountTable::empty(id, rows, vec![CASES.to_string()])
}

/// The empty table of each kind, with its categories.
pub fn empty_table(id: TableId, period_months: &[Month], communes: &CommuneRows) -> CountTable {
    let sexes = || SexColumn::ALL.iter().map(|s| s.as_str().to_string()).collect::<Vec<_>>();
    match id {
        TableId::CasesByCommune => list(id, communes.rows.clone()),
        TableId::CasesByMonth => list(id, period_months.iter().map(|m| m.number().to_string()).collect()),
        TableId::SurvivorsByAgeAndSex => {
            CountTable::empty(id, AgeBand::ALL.iter().map(|b| b.as_str().to_string()).collect(), sexes())
        }
        TableId::CasesByForm => list(id, codes::<FormOfViolence>()),
        TableId::CasesByGbvType => {
            let mut rows = codes::<GbvType>();
            rows.push("unknown".into());
            list(id, rows)
        }
        TableId::Perpetrators => CountTable::empty(id, codes::<Relationship>(), sexes()),
        TableId::Timeliness => list(
            id,
            Timeliness::ALL
                .iter()
                .filter(|t| **t != Timeliness::NotYet)
                .map(|t| t.as_str().to_string())
                .collect(),
        ),
        TableId::Measures => list(id, codes::<MeasureType>()),
        TableId::Referrals => CountTable::empty(
            id,
            codes::<ServiceType>(),
            ReferralStatus::ALL.iter().map(|s| s.as_str().to_string()).collect(),
        ),
        TableId::Placements => list(id, codes::<SafeHouseKind>()),
        TableId::Closures => {
            let mut rows = codes::<ClosureReason>();
            rows.push("unknown".into());
            list(id, rows)
        }
    }
}

/// One table's counts over the months of `piece`.
pub fn count_table(
    id: TableId,
    piece: &[Month],
    period_months: &[Month],
    communes: &CommuneRows,
    tallies: &[Tally],
    events: &Events,
) -> CountTable {
    let in_piece: &HashSet<i32> = &piece.iter().map(|m| m.number()).collect();
    let at_in_piece = |at: &NaiveDateTime| in_piece.contains(&month_at(*at).number());
    let mut table = empty_table(id, period_months, communes);
    let tallied = |dimension: &'static str| {
        tallies.iter().filter(move |t| t.dimension == dimension && in_piece.contains(&t.month))
    };
    let n = |cases: i64| u64::try_from(cases).unwrap_or(0);
    match id {
        TableId::CasesByCommune => {
            for t in tallied("commune") {
                if let Some(row) = communes.row_of(&t.commune_code) {
                    table.add(row, CASES, n(t.cases));
                }
            }
        }
        TableId::CasesByMonth => {
            for t in tallied("commune") {
                if communes.row_of(&t.commune_code).is_some() {
                    table.add(&t.month.to_string(), CASES, n(t.cases));
                }
            }
        }
        TableId::SurvivorsByAgeAndSex => {
            for t in tallied("age_sex") {
                if let Some(group) = AgeGroup::parse(&t.row) {
                    table.add(AgeBand::of(group).as_str(), SexColumn::of(&t.column).as_str(), n(t.cases));
                }
            }
        }
        TableId::CasesByForm => tallied("form").for_each(|t| table.add(&t.row, CASES, n(t.cases))),
        TableId::CasesByGbvType => tallied("gbv_type").for_each(|t| table.add(&t.row, CASES, n(t.cases))),
        TableId::Perpetrators => tallied("perpetrator")
            .for_each(|t| table.add(&t.row, SexColumn::of(&t.column).as_str(), n(t.cases))),
        TableId::Timeliness => {
            for (reported, acted) in events.reports.iter().filter(|(at, _)| at_in_piece(at)) {
                table.add(Timeliness::of(*reported, *acted).as_str(), CASES, 1);
            }
        }
        TableId::Measures => {
            for (_, measure) in events.measures.iter().filter(|(at, _)| at_in_piece(at)) {
                table.add(measure, CASES, 1);
            }
        }
        TableId::Referrals => {
            for (_, service, status) in events.referrals.iter().filter(|(at, _, _)| at_in_piece(at)) {
                table.add(service, status, 1);
            }
        }
        TableId::Closures => {
            for (_, reason) in events.closures.iter().filter(|(at, _)| at_in_piece(at)) {
                table.add(reason.as_deref().unwrap_or("unknown"), CASES, 1);
            }
        }
        TableId::Placements => {
            for stay in events.stays.iter().filter(|s| at_in_piece(&s.checked_in_at)) {
                table.add(&stay.house_kind, CASES, 1);
            }
        }
    }
    table
}

/// Person-nights of the stays that began in the months of `piece`, up to `until`
/// (the end of the report's period, or now): a resident and the children with
/// her count one each. The same rows as the placements table.
pub fn nights(piece: &[Month], stays: &[Stay], until: NaiveDateTime) -> Vec<(String, u64)> {
    let in_piece: HashSet<i32> = piece.iter().map(|m| m.number()).collect();
    let mut out: Vec<(String, u64)> = codes::<SafeHouseKind>().into_iter().map(|k| (k, 0)).collect();
    for stay in stays.iter().filter(|s| in_piece.contains(&month_at(s.checked_in_at).number())) {
        let end = stay.checked_out_at.unwrap_or(until).min(until);
        let nights = u64::try_from((end - stay.checked_in_at).num_days()).unwrap_or(0);
        if let Some(entry) = out.iter_mut().find(|(k, _)| *k == stay.house_kind) {
            entry.1 += nights * u64::try_from(stay.beds).unwrap_or(0);
        }
    }
    out
}
