//! When the Committee's reports are due and which months they cover (design §10):
//! the 6-month report before 10 June and the annual report before 10 November.
//! Periods are whole months so that statistics can be kept per month; which
//! months is configurable, the due days are fixed by the reporting rules.

use chrono::{Datelike, NaiveDate};

/// A calendar month, as Vietnam's calendar has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    /// 1 to 12.
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    pub fn of(day: NaiveDate) -> Month {
        Month { year: day.year(), month: day.month() }
    }

    /// As stored: 202607 for July 2026.
    pub fn from_number(number: i32) -> Option<Month> {
        Month::new(number.div_euclid(100), u32::try_from(number.rem_euclid(100)).ok()?)
    }

    pub fn number(self) -> i32 {
        self.year * 100 + i32::try_from(self.month).unwrap_or(0)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { month: self.month + 1, ..self }
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}/{}", self.month, self.year)
    }
}

/// The two periodic reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReportKind {
    HalfYear,
    Annual,
}

impl ReportKind {
    pub const ALL: [ReportKind; 2] = [ReportKind::HalfYear, ReportKind::Annual];

    /// As in the URL: `half-year` or `annual`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::HalfYear => "half-year",
            ReportKind::Annual => "annual",
        }
    }

    pub fn parse(text: &str) -> Option<ReportKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The day of the report's year before which it is due: 10 June, 10 November.
    fn due(self, year: i32) -> NaiveDate {
        let (month, day) = match self {
            ReportKind::HalfYear => (6, 10),
            ReportKind::Annual => (11, 10),
        };
        NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
    }
}

/// The months a report covers: from `first` (of the year before when it comes
/// after `last`) to `last` of the report's year, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodRule {
    pub first: u32,
    pub last: u32,
}

impl PeriodRule {
    /// Reads `12..5`: December of the year before to May.
    pub fn parse(text: &str) -> Result<PeriodRule, String> {
        let problem = || format!("{text:?} is not a period of months such as 12..5 (December to May)");
        let (first, last) = text.split_once("..").ok_or_else(problem)?;
        let month = |t: &str| t.trim().parse::<u32>().ok().filter(|m| (1..=12).contains(m));
        match (month(first), month(last)) {
            (Some(first), Some(last)) => Ok(PeriodRule { first, last }),
            _ => Err(problem()),
        }
    }

    fn months_long(self) -> u32 {
        (self.last + 12 - self.first) % 12 + 1
    }
}

/// The deployment's reporting calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportCalendar {
    pub half_year: PeriodRule,
    pub annual: PeriodRule,
}

impl Default for ReportCalendar {
    /// December to May for the 6-month report, November to October for the year:
    /// each ends with the month before its due day.
    fn default() -> Self {
        ReportCalendar {
            half_year: PeriodRule { first: 12, last: 5 },
            annual: PeriodRule { first: 11, last: 10 },
        }
    }
}

/// A report's period and due day, and where it stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: ReportKind,
    /// The year the report is for (the year its period ends in).
    pub year: i32,
    pub first: Month,
    pub last: Month,
    pub due: NaiveDate,
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodStatus {
    /// Its months are not over: no figures are published yet.
    Collecting,
    /// Its months are over and it is not yet due: figures can still grow as late
    /// reports are recorded.
    Ready,
    /// Past its due day.
    Due,
}

impl PeriodStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodStatus::Collecting => "collecting",
            PeriodStatus::Ready => "ready",
            PeriodStatus::Due => "due",
        }
    }
}

impl Period {
    pub fn months(&self) -> Vec<Month> {
        let mut months = vec![self.first];
        while months.last().is_some_and(|m| *m < self.last) {
            months.push(months.last().map_or(self.last, |m| m.next()));
        }
        months
    }

    pub fn contains(&self, month: Month) -> bool {
        self.first <= month && month <= self.last
    }

    pub fn status(&self, today: NaiveDate) -> PeriodStatus {
        if today <= self.last.last_day() {
            PeriodStatus::Collecting
        } else if today <= self.due {
            PeriodStatus::Ready
        } else {
            PeriodStatus::Due
        }
    }
}

/// Why a calendar cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("the {0} report's period must end before the month it is due in")]
    EndsAfterDue(&'static str),
    #[error("the 6-month report's period must be 6 months long, not {0}")]
    HalfYearLength(u32),
    #[error("the annual report's period must be 12 months long, not {0}")]
    AnnualLength(u32),
}

impl ReportCalendar {
    pub fn new(half_year: PeriodRule, annual: PeriodRule) -> Result<ReportCalendar, CalendarError> {
        if half_year.months_long() != 6 {
            return Err(CalendarError::HalfYearLength(half_year.months_long()));
        }
        if annual.months_long() != 12 {
            return Err(CalendarError::AnnualLength(annual.months_long()));
        }
        let calendar = ReportCalendar { half_year, annual };
        for kind in ReportKind::ALL {
            let period = calendar.period(kind, 2026);
            if period.last.last_day() >= period.due {
                return Err(CalendarError::EndsAfterDue(kind.as_str()));
            }
        }
        Ok(calendar)
    }

    pub fn period(&self, kind: ReportKind, year: i32) -> Period {
        let rule = match kind {
            ReportKind::HalfYear => self.half_year,
            ReportKind::Annual => self.annual,
        };
        let last = Month { year, month: rule.last };
        let first = Month { year: if rule.first > rule.last { year - 1 } else { year }, month: rule.first };
        Period { kind, year, first, last, due: kind.due(year) }
    }

    /// The next report due on or after `today`.
    pub fn next_due(&self, today: NaiveDate) -> Period {
        let mut candidates: Vec<Period> = [today.year(), today.year() + 1]
            .into_iter()
            .flat_map(|y| ReportKind::ALL.map(|k| self.period(k, y)))
            .filter(|p| p.due >= today)
            .collect();
        candidates.sort_by_key(|p| p.due);
        candidates.first().copied().unwrap_or_else(|| self.period(ReportKind::Annual, today.year() + 1))
    }

    /// The reports of the recent years, newest first, that have figures to show.
    pub fn published(&self, today: NaiveDate, years: i32) -> Vec<Period> {
        let mut periods: Vec<Period> = (today.year() - years..=today.year() + 1)
            .flat_map(|y| ReportKind::ALL.map(|k| self.period(k, y)))
            .filter(|p| p.status(today) != PeriodStatus::Collecting)
            .collect();
        periods.sort_by_key(|p| std::cmp::Reverse((p.last, p.kind)));
        periods
    }

    /// The disjoint sets of months that the two reports of a year are made of.
    /// Publishing both reports lets anyone subtract one from the other, so
    /// disclosure control works on these pieces (design §10): what one report
    /// shows and the other hides cannot be worked out from the difference.
    pub fn pieces(&self, year: i32) -> Pieces {
        let half = self.period(ReportKind::HalfYear, year);
        let annual = self.period(ReportKind::Annual, year);
        let mut months: Vec<Month> = half.months();
        months.extend(annual.months());
        months.sort();
        months.dedup();
        let mut pieces = Pieces { months: Vec::new(), half_year: Vec::new(), annual: Vec::new() };
        for (in_half, in_annual) in [(true, true), (false, true), (true, false)] {
            let piece: Vec<Month> = months
                .iter()
                .copied()
                .filter(|m| half.contains(*m) == in_half && annual.contains(*m) == in_annual)
                .collect();
            if piece.is_empty() {
                continue;
            }
            let index = pieces.months.len();
            pieces.months.push(piece);
            if in_half {
                pieces.half_year.push(index);
            }
            if in_annual {
                pieces.annual.push(index);
            }
        }
        pieces
    }
}

/// Disjoint sets of months, and which of them each report of the year adds up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pieces {
    pub months: Vec<Vec<Month>>,
    pub half_year: Vec<usize>,
    pub annual: Vec<usize>,
}

impl Pieces {
    pub fn of(&self, kind: ReportKind) -> &[usize] {
        match kind {
            ReportKind::HalfYear => &self.half_year,
            ReportKind::Annual => &self.annual,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_default_annual_report_covers_november_to_october_and_is_due_before_10_november() {
        let period = ReportCalendar::default().period(ReportKind::Annual, 2026);
        assert_eq!(period.first, Month::new(2025, 11).unwrap());
        assert_eq!(period.last, Month::new(2026, 10).unwrap());
        assert_eq!(period.due, day(2026, 11, 10));
        assert_eq!(period.months().len(), 12);
    }

    #[test]
    fn late_october_shows_the_annual_report_as_next_due_and_still_collecting() {
        let calendar = ReportCalendar::default();
        let next = calendar.next_due(day(2026, 10, 25));
        assert_eq!((next.kind, next.year), (ReportKind::Annual, 2026));
        assert_eq!(next.status(day(2026, 10, 25)), PeriodStatus::Collecting);
        assert_eq!(next.status(day(2026, 11, 1)), PeriodStatus::Ready);
        assert_eq!(next.status(day(2026, 11, 11)), PeriodStatus::Due);
    }

    #[test]
    fn after_10_november_the_next_report_is_the_following_6_month_report() {
        let next = ReportCalendar::default().next_due(day(2026, 11, 11));
        assert_eq!((next.kind, next.year, next.due), (ReportKind::HalfYear, 2027, day(2027, 6, 10)));
    }

    #[test]
    fn the_6_month_period_of_the_default_calendar_lies_inside_the_annual_one() {
        let pieces = ReportCalendar::default().pieces(2026);
        assert_eq!(pieces.months.len(), 2, "December–May, and November with June–October");
        assert_eq!(pieces.half_year, [0]);
        assert_eq!(pieces.annual, [0, 1]);
        assert_eq!(pieces.months[0].len(), 6);
        assert_eq!(pieces.months[1].len(), 6);
    }

    #[test]
    fn a_period_that_would_end_after_its_due_day_is_refused() {
        let half = PeriodRule::parse("1..6").unwrap();
        let refused = ReportCalendar::new(half, ReportCalendar::default().annual).unwrap_err();
        assert_eq!(refused, CalendarError::EndsAfterDue("half-year"));
        assert!(
            ReportCalendar::new(PeriodRule::parse("1..5").unwrap(), ReportCalendar::default().annual)
                .is_err()
        );
        assert!(PeriodRule::parse("13..5").is_err());
        assert!(PeriodRule::parse("may").is_err());
    }

    #[test]
    fn only_reports_whose_months_are_over_are_published() {
        let calendar = ReportCalendar::default();
        let published = calendar.published(day(2026, 12, 6), 2);
        assert!(published.iter().all(|p| p.last.last_day() < day(2026, 12, 6)));
        assert_eq!((published[0].kind, published[0].year), (ReportKind::Annual, 2026));
        assert_eq!((published[1].kind, published[1].year), (ReportKind::HalfYear, 2026));
    }

    proptest! {
        #[test]
        fn every_valid_calendar_splits_a_year_into_disjoint_pieces_that_add_up_to_each_report(
            half_first in 1u32..=12, annual_first in 1u32..=12, year in 2020i32..2040,
        ) {
            let half = PeriodRule { first: half_first, last: (half_first + 4) % 12 + 1 };
            let annual = PeriodRule { first: annual_first, last: (annual_first + 10) % 12 + 1 };
            if let Ok(calendar) = ReportCalendar::new(half, annual) {
                let pieces = calendar.pieces(year);
                for kind in ReportKind::ALL {
                    let mut months: Vec<Month> =
                        pieces.of(kind).iter().flat_map(|i| pieces.months[*i].clone()).collect();
                    months.sort();
                    prop_assert_eq!(months, calendar.period(kind, year).months());
                }
                let all: Vec<Month> = pieces.months.concat();
                let mut unique = all.clone();
                unique.sort();
                unique.dedup();
                prop_assert_eq!(all.len(), unique.len());
            }
        }

        #[test]
        fn a_month_number_reads_back(year in 1900i32..2200, month in 1u32..=12) {
            let m = Month::new(year, month).unwrap();
            prop_assert_eq!(Month::from_number(m.number()), Some(m));
            prop_assert!(m.first_day() <= m.last_day());
            prop_assert_eq!(m.next().first_day(), m.last_day().succ_opt().unwrap());
        }
    }
}
