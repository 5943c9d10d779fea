//! The fixed set of tables of every report, and the categories they count in.
//!
//! Tables are chosen so that none can be used to work out another's hidden
//! cells: apart from the number of cases (never hidden: a report with fewer than
//! k cases is not published at all), no total appears in two tables. The age
//! bands are fine enough that the design's groups — children under 16, GBVIMS'
//! under 18, 16 to 59, 60 and over — are sums of published cells rather than
//! totals of their own, which would let one subtract them.

use chrono::{Duration, NaiveDateTime};

use crate::domain::age::AgeGroup;
use crate::domain::disclosure::Margins;

/// The tables of a report, in the order a report shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableId {
    CasesByCommune,
    CasesByMonth,
    SurvivorsByAgeAndSex,
    CasesByForm,
    CasesByGbvType,
    Perpetrators,
    Timeliness,
    Measures,
    Referrals,
    Placements,
    Closures,
}

impl TableId {
    pub const ALL: [TableId; 11] = [
        TableId::CasesByCommune,
        TableId::CasesByMonth,
        TableId::SurvivorsByAgeAndSex,
        TableId::CasesByForm,
        TableId::CasesByGbvType,
        TableId::Perpetrators,
        TableId::Timeliness,
        TableId::Measures,
        TableId::Referrals,
        TableId::Placements,
        TableId::Closures,
    ];

    /// The tables of the dashboard's summary: what can be counted from the
    /// monthly tallies alone, so it answers fast over any number of cases.
    pub const SUMMARY: [TableId; 4] =
        [TableId::CasesByCommune, TableId::CasesByMonth, TableId::SurvivorsByAgeAndSex, TableId::CasesByForm];

    pub fn as_str(self) -> &'static str {
        match self {
            TableId::CasesByCommune => "cases_by_commune",
            TableId::CasesByMonth => "cases_by_month",
            TableId::SurvivorsByAgeAndSex => "survivors_by_age_and_sex",
            TableId::CasesByForm => "cases_by_form",
            TableId::CasesByGbvType => "cases_by_gbv_type",
            TableId::Perpetrators => "perpetrators",
            TableId::Timeliness => "timeliness",
            TableId::Measures => "protection_measures",
            TableId::Referrals => "referrals",
            TableId::Placements => "placements",
            TableId::Closures => "closures",
        }
    }

    /// Which totals the table publishes. A case has one commune, month, age,
    /// type, perpetrator and first answer, so those tables add up to the number
    /// of cases; it can have several forms of violence, so that list has no total.
    pub fn margins(self) -> Margins {
        match self {
            TableId::SurvivorsByAgeAndSex | TableId::Perpetrators | TableId::Referrals => Margins::Both,
            TableId::CasesByForm => Margins::None,
            _ => Margins::ColumnsOnly,
        }
    }

    /// Whether the table's total is the number of cases of the report, which
    /// several tables publish: when one table of a piece of the period has to hide
    /// it, all of them do. (Forms of violence have no total; the time to the first
    /// intervention counts the cases acted on; measures, referrals, stays and
    /// closures are events with totals of their own.)
    pub fn counts_cases(self) -> bool {
        matches!(
            self,
            TableId::CasesByCommune
                | TableId::CasesByMonth
                | TableId::SurvivorsByAgeAndSex
                | TableId::CasesByGbvType
                | TableId::Perpetrators
        )
    }
}

/// Counts of one table before disclosure control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountTable {
    pub id: TableId,
    /// Row categories (codes), in display order.
    pub rows: Vec<String>,
    /// Column categories (codes); `["cases"]` for a list.
    pub columns: Vec<String>,
    /// `rows.len()` × `columns.len()`.
    pub counts: Vec<Vec<u64>>,
}

impl CountTable {
    /// An all-zero table with these categories.
    pub fn empty(id: TableId, rows: Vec<String>, columns: Vec<String>) -> CountTable {
        let counts = vec![vec![0; columns.len()]; rows.len()];
        CountTable { id, rows, columns, counts }
    }

    /// Adds `n` to a cell; a category the table does not know is ignored, so a
    /// code retired from a list cannot break a report.
    pub fn add(&mut self, row: &str, column: &str, n: u64) {
        let r = self.rows.iter().position(|c| c == row);
        let c = self.columns.iter().position(|c| c == column);
        if let (Some(r), Some(c)) = (r, c) {
            self.counts[r][c] += n;
        }
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }
}

/// One category pair of one dimension that a case counts in; the monthly
/// tallies are sums of these (migration `statistics` lists the dimensions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyKey {
    pub dimension: &'static str,
    pub row: String,
    pub column: String,
}

/// The plain categories of a case that its statistics are counted by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCategories<'a> {
    pub age_group: &'a str,
    pub sex: &'a str,
    pub forms: Vec<&'a str>,
    pub gbv_type: Option<&'a str>,
    pub relationship: &'a str,
    pub perpetrator_sex: &'a str,
}

impl CaseCategories<'_> {
    /// Every tally a case adds one to.
    pub fn tally_keys(&self) -> Vec<TallyKey> {
        let key = |dimension, row: &str, column: &str| TallyKey {
            dimension,
            row: row.to_string(),
            column: column.to_string(),
        };
        let mut keys = vec![
            key("commune", "", ""),
            key("age_sex", self.age_group, self.sex),
            key("gbv_type", self.gbv_type.unwrap_or("unknown"), ""),
            key("perpetrator", self.relationship, self.perpetrator_sex),
        ];
        let mut forms = self.forms.clone();
        forms.sort_unstable();
        forms.dedup();
        keys.extend(forms.into_iter().map(|f| key("form", f, "")));
        keys
    }
}

/// Ages as the tables count them: fine enough that every group of design §10 is
/// a sum of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AgeBand {
    Under16,
    From16To17,
    From18To59,
    From60,
}

impl AgeBand {
    pub const ALL: [AgeBand; 4] =
        [AgeBand::Under16, AgeBand::From16To17, AgeBand::From18To59, AgeBand::From60];

    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::Under16 => "under_16",
            AgeBand::From16To17 => "16_17",
            AgeBand::From18To59 => "18_59",
            AgeBand::From60 => "60_plus",
        }
    }

    pub fn of(group: AgeGroup) -> AgeBand {
        match group {
            g if g.is_child() => AgeBand::Under16,
            g if g.is_under_18() => AgeBand::From16To17,
            AgeGroup::From60 => AgeBand::From60,
            _ => AgeBand::From18To59,
        }
    }

    /// The groups of design §10 as sums of bands: children under 16, under 18
    /// (GBVIMS), 16 to 59, 60 and over.
    pub fn groups() -> [(&'static str, &'static [AgeBand]); 4] {
        [
            ("child_under_16", &[AgeBand::Under16]),
            ("under_18", &[AgeBand::Under16, AgeBand::From16To17]),
            ("from_16_to_59", &[AgeBand::From16To17, AgeBand::From18To59]),
            ("from_60", &[AgeBand::From60]),
        ]
    }
}

/// The survivor's sex as a column: `other` and `unknown` together, since each
/// alone is rarely more than a handful.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SexColumn {
    Female,
    Male,
    OtherOrUnknown,
}

impl SexColumn {
    pub const ALL: [SexColumn; 3] = [SexColumn::Female, SexColumn::Male, SexColumn::OtherOrUnknown];

    pub fn as_str(self) -> &'static str {
        match self {
            SexColumn::Female => "female",
            SexColumn::Male => "male",
            SexColumn::OtherOrUnknown => "other_or_unknown",
        }
    }

    pub fn of(code: &str) -> SexColumn {
        match code {
            "female" => SexColumn::Female,
            "male" => SexColumn::Male,
            _ => SexColumn::OtherOrUnknown,
        }
    }
}

/// How soon a case was first acted on after it was reported. The table lists
/// the cases acted on, without those not yet: with them its total would be the
/// number of cases, and one more table to keep in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    Within12Hours,
    Within24Hours,
    Within3Days,
    Later,
    NotYet,
}

impl Timeliness {
    pub const ALL: [Timeliness; 5] = [
        Timeliness::Within12Hours,
        Timeliness::Within24Hours,
        Timeliness::Within3Days,
        Timeliness::Later,
        Timeliness::NotYet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Timeliness::Within12Hours => "within_12_hours",
            Timeliness::Within24Hours => "within_24_hours",
            Timeliness::Within3Days => "within_3_days",
            Timeliness::Later => "later",
            Timeliness::NotYet => "not_yet",
        }
    }

    pub fn of(reported: NaiveDateTime, first_action: Option<NaiveDateTime>) -> Timeliness {
        let Some(acted) = first_action else { return Timeliness::NotYet };
        let waited = acted - reported;
        if waited <= Duration::hours(12) {
            Timeliness::Within12Hours
        } else if waited <= Duration::hours(24) {
            Timeliness::Within24Hours
        } else if waited <= Duration::days(3) {
            Timeliness::Within3Days
        } else {
            Timeliness::Later
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn every_age_group_falls_in_one_band_and_the_groups_of_the_design_are_sums_of_bands() {
        assert_eq!(AgeBand::of(AgeGroup::From12To15), AgeBand::Under16);
        assert_eq!(AgeBand::of(AgeGroup::From16To17), AgeBand::From16To17);
        assert_eq!(AgeBand::of(AgeGroup::From25To59), AgeBand::From18To59);
        assert_eq!(AgeBand::of(AgeGroup::From60), AgeBand::From60);
        let groups = AgeBand::groups();
        assert!(groups.iter().all(|(_, bands)| !bands.is_empty()));
    }

    #[test]
    fn a_case_answered_after_ten_hours_counts_within_12_hours_and_one_never_answered_as_not_yet() {
        let reported = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(8, 0, 0).unwrap();
        assert_eq!(Timeliness::of(reported, Some(reported + Duration::hours(10))), Timeliness::Within12Hours);
        assert_eq!(Timeliness::of(reported, Some(reported + Duration::hours(13))), Timeliness::Within24Hours);
        assert_eq!(Timeliness::of(reported, Some(reported + Duration::days(5))), Timeliness::Later);
        assert_eq!(Timeliness::of(reported, None), Timeliness::NotYet);
    }

    #[test]
    fn a_code_a_table_does_not_know_is_left_out_rather_than_breaking_the_report() {
        let mut table =
            CountTable::empty(TableId::CasesByForm, vec!["physical".into()], vec!["cases".into()]);
        table.add("physical", "cases", 2);
        table.add("retired_code", "cases", 5);
        assert_eq!(table.total(), 2);
    }

    #[test]
    fn a_case_with_two_forms_counts_once_in_each_and_once_in_every_other_dimension() {
        let case = CaseCategories {
            age_group: "12_15",
            sex: "female",
            forms: vec!["physical", "mental", "physical"],
            gbv_type: None,
            relationship: "parent",
            perpetrator_sex: "male",
        };
        let keys = case.tally_keys();
        assert_eq!(keys.iter().filter(|k| k.dimension == "form").count(), 2);
        for dimension in ["commune", "age_sex", "gbv_type", "perpetrator"] {
            assert_eq!(keys.iter().filter(|k| k.dimension == dimension).count(), 1, "{dimension}");
        }
        assert!(keys.iter().any(|k| k.dimension == "gbv_type" && k.row == "unknown"));
    }

    #[test]
    fn only_the_list_of_forms_has_no_total_since_a_case_can_have_several_forms() {
        for id in TableId::ALL {
            assert_eq!(matches!(id.margins(), Margins::None), id == TableId::CasesByForm, "{id:?}");
        }
    }
}
