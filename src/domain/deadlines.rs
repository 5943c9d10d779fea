//! Deadlines of design §8, in Vietnam's time (UTC+7, no daylight saving): calendar
//! hours where the law counts hours, working days (Monday to Friday, less public
//! holidays) where it counts working days.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Utc, Weekday};

/// Asia/Ho_Chi_Minh: UTC+7 all year.
/// A wall-clock time in Vietnam, as the instant it is; None for a date or time
/// that does not exist.
pub fn vietnam_time(y: i32, m: u32, d: u32, h: u32, min: u32) -> Option<DateTime<Utc>> {
    let local = NaiveDate::from_ymd_opt(y, m, d)?.and_hms_opt(h, min, 0)?;
    Some(local.and_local_timezone(vietnam()).single()?.with_timezone(&Utc))
}

pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| unreachable!("+7 hours is a valid offset"))
}

/// The public holidays of a deployment. The fixed-date ones are known; Tết and the
/// Hùng Kings' day follow the lunar calendar and the Government's yearly decision,
/// so they come from configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays(BTreeSet<NaiveDate>);

impl Holidays {
    pub fn new(days: impl IntoIterator<Item = NaiveDate>) -> Self {
        Holidays(days.into_iter().collect())
    }

    /// New Year's Day, Reunification Day (30/4), Labour Day (1/5) and National Day
    /// (2/9 and the day after, since 2021) of the given years.
    pub fn fixed_dates(years: impl IntoIterator<Item = i32>) -> Self {
        let mut days = BTreeSet::new();
        for y in years {
            for (m, d) in [(1, 1), (4, 30), (5, 1), (9, 2), (9, 3)] {
                if let Some(day) = NaiveDate::from_ymd_opt(y, m, d) {
                    days.insert(day);
                }
            }
        }
        Holidays(days)
    }

    pub fn with(mut self, other: &Holidays) -> Self {
        self.0.extend(other.0.iter().copied());
        self
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.0.contains(&day)
    }
}

/// `n` calendar hours after `from`.
pub fn after_hours(from: DateTime<Utc>, n: i64) -> DateTime<Utc> {
    from + Duration::hours(n)
}

/// The same time of day, `n` working days after `from` in Vietnam (a report on
/// Friday at 17:00 plus 5 working days is the next Friday at 17:00; a holiday in
/// between pushes it a day later).
pub fn after_working_days(from: DateTime<Utc>, n: u32, holidays: &Holidays) -> DateTime<Utc> {
    let local = from.with_timezone(&vietnam());
    let mut day = local.date_naive();
    let mut counted = 0;
    while counted < n {
        day = day.succ_opt().unwrap_or(day);
        if holidays.is_working_day(day) {
            counted += 1;
        }
    }
    let at: NaiveDateTime = day.and_time(local.time());
    at.and_local_timezone(vietnam()).single().map_or(from, |t| t.with_timezone(&Utc))
}

/// What a child case owes, counted from the report (design §8; Decree 56/2017 on
/// child protection).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildCaseDeadlines {
    /// Urgent intervention: 12 hours after the report.
    pub urgent_intervention: DateTime<Utc>,
    /// Support (intervention) plan: 5 working days after the report.
    pub support_plan: DateTime<Utc>,
}

pub fn child_case_deadlines(reported: DateTime<Utc>, holidays: &Holidays) -> ChildCaseDeadlines {
    ChildCaseDeadlines {
        urgent_intervention: after_hours(reported, 12),
        support_plan: after_working_days(reported, 5, holidays),
    }
}

/// A plan must be approved within 2 working days of its submission.
pub fn plan_approval_due(submitted: DateTime<Utc>, holidays: &Holidays) -> DateTime<Utc> {
    after_working_days(submitted, 2, holidays)
}

/// Who ordered a no-contact measure (Law 13/2022, Art. 22–23), which bounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoContactOrderBy {
    /// The chair of the commune People's Committee: at most 3 days.
    CommuneChair,
    /// A court: up to 4 months.
    Court,
}

/// The latest a no-contact order may end.
pub fn no_contact_limit(from: DateTime<Utc>, by: NoContactOrderBy) -> DateTime<Utc> {
    match by {
        NoContactOrderBy::CommuneChair => from.checked_add_signed(Duration::days(3)).unwrap_or(from),
        NoContactOrderBy::Court => from.checked_add_months(chrono::Months::new(4)).unwrap_or(from),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn vn(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        vietnam_time(y, m, d, h, min).unwrap()
    }

    #[test]
    fn a_child_case_reported_on_friday_at_five_pm() {
        // Friday 2026-11-20, 17:00 in Hà Tĩnh (journey 3).
        let reported = vn(2026, 11, 20, 17, 0);
        let due = child_case_deadlines(reported, &Holidays::default());
        assert_eq!(due.urgent_intervention, vn(2026, 11, 21, 5, 0), "Saturday 05:00");
        assert_eq!(due.support_plan, vn(2026, 11, 27, 17, 0), "the next Friday, weekend excluded");
    }

    #[test]
    fn a_public_holiday_in_between_pushes_the_plan_a_day_later() {
        // Friday 2026-08-28; Wednesday 2 and Thursday 3 September are National Day.
        let reported = vn(2026, 8, 28, 17, 0);
        let due = child_case_deadlines(reported, &Holidays::fixed_dates([2026]));
        assert_eq!(due.support_plan, vn(2026, 9, 8, 17, 0), "Mon 31, Tue 1, Fri 4, Mon 7, Tue 8");
    }

    #[test]
    fn a_late_evening_report_counts_in_vietnam_time_not_utc() {
        // 23:30 on Friday in Hà Tĩnh is still Friday there (16:30 UTC).
        let reported = vn(2026, 11, 20, 23, 30);
        assert_eq!(after_working_days(reported, 1, &Holidays::default()), vn(2026, 11, 23, 23, 30));
    }

    #[test]
    fn a_commune_chairs_no_contact_order_lasts_at_most_three_days() {
        let from = vn(2026, 3, 1, 9, 0);
        assert_eq!(no_contact_limit(from, NoContactOrderBy::CommuneChair), vn(2026, 3, 4, 9, 0));
        assert_eq!(no_contact_limit(from, NoContactOrderBy::Court), vn(2026, 7, 1, 9, 0));
    }

    proptest! {
        #[test]
        fn working_days_land_on_a_working_day_and_keep_the_time(
            days in 0i64..2000, minutes in 0u32..1440, n in 1u32..30
        ) {
            let holidays = Holidays::fixed_dates(2025..2032);
            let start = vn(2025, 1, 1, 0, 0) + Duration::days(days) + Duration::minutes(minutes.into());
            let due = after_working_days(start, n, &holidays);
            let local = due.with_timezone(&vietnam());
            prop_assert!(holidays.is_working_day(local.date_naive()));
            prop_assert_eq!(local.time(), start.with_timezone(&vietnam()).time());
            // n working days take at least n calendar days and, with weekends and
            // these holidays, never more than twice as many plus a week.
            let span = (local.date_naive() - start.with_timezone(&vietnam()).date_naive()).num_days();
            prop_assert!(span >= i64::from(n) && span <= 2 * i64::from(n) + 7);
        }
    }
}
