//! Age, coarsened: a case stores an age group, never a birth date in plain text.
//! The groups are fine enough for both ways of counting children (under 16 under
//! the Law on Children 2016; under 18 in GBVIMS) and for the consent rule (a
//! child's own consent from age 7).

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgeGroup {
    Under6,
    From6To11,
    From12To15,
    From16To17,
    From18To24,
    From25To59,
    From60,
}

impl AgeGroup {
    pub const ALL: [AgeGroup; 7] = [
        AgeGroup::Under6,
        AgeGroup::From6To11,
        AgeGroup::From12To15,
        AgeGroup::From16To17,
        AgeGroup::From18To24,
        AgeGroup::From25To59,
        AgeGroup::From60,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgeGroup::Under6 => "0-5",
            AgeGroup::From6To11 => "6-11",
            AgeGroup::From12To15 => "12-15",
            AgeGroup::From16To17 => "16-17",
            AgeGroup::From18To24 => "18-24",
            AgeGroup::From25To59 => "25-59",
            AgeGroup::From60 => "60+",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == text)
    }

    pub fn of_age(years: u32) -> Self {
        match years {
            0..=5 => AgeGroup::Under6,
            6..=11 => AgeGroup::From6To11,
            12..=15 => AgeGroup::From12To15,
            16..=17 => AgeGroup::From16To17,
            18..=24 => AgeGroup::From18To24,
            25..=59 => AgeGroup::From25To59,
            _ => AgeGroup::From60,
        }
    }

    /// A child under the Law on Children 2016: under 16.
    pub fn is_child(self) -> bool {
        self <= AgeGroup::From12To15
    }

    /// A child as GBVIMS counts: under 18.
    pub fn is_under_18(self) -> bool {
        self <= AgeGroup::From16To17
    }

    /// The group of the Committee's tables.
    pub fn survivor_group(self) -> SurvivorGroup {
        match self {
            g if g.is_child() => SurvivorGroup::ChildUnder16,
            AgeGroup::From60 => SurvivorGroup::From60,
            _ => SurvivorGroup::From16To59,
        }
    }
}

impl super::vocabulary::Code for AgeGroup {
    fn all() -> &'static [Self] {
        &Self::ALL
    }
    fn code(self) -> &'static str {
        self.as_str()
    }
}

/// The groups of the Committee's tables (design §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SurvivorGroup {
    ChildUnder16,
    From16To59,
    From60,
}

/// Full years between a birth date and a day.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> u32 {
    let mut years = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// A child's own consent counts, besides her guardian's, from age 7.
pub fn child_consent_needed(age: u32) -> bool {
    (7..16).contains(&age)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_twelve_year_old_is_a_child_under_both_counts() {
        let g = AgeGroup::of_age(12);
        assert!(g.is_child() && g.is_under_18());
        assert_eq!(g.survivor_group(), SurvivorGroup::ChildUnder16);
    }

    #[test]
    fn a_sixteen_year_old_is_a_child_for_gbvims_only() {
        let g = AgeGroup::of_age(16);
        assert!(!g.is_child() && g.is_under_18());
        assert_eq!(g.survivor_group(), SurvivorGroup::From16To59);
    }

    #[test]
    fn age_counts_full_years() {
        let birth = NaiveDate::from_ymd_opt(2014, 11, 26).unwrap();
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()), 11);
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()), 12);
    }

    #[test]
    fn a_child_consents_herself_from_seven() {
        assert!(!child_consent_needed(6));
        assert!(child_consent_needed(7));
        assert!(child_consent_needed(12));
        assert!(!child_consent_needed(16));
    }

    proptest! {
        #[test]
        fn groups_follow_age_in_order(a in 0u32..120, b in 0u32..120) {
            if a <= b {
                prop_assert!(AgeGroup::of_age(a) <= AgeGroup::of_age(b));
            }
            prop_assert_eq!(AgeGroup::of_age(a).is_child(), a < 16);
            prop_assert_eq!(AgeGroup::of_age(a).is_under_18(), a < 18);
            prop_assert_eq!(AgeGroup::parse(AgeGroup::of_age(a).as_str()), Some(AgeGroup::of_age(a)));
        }
    }
}
