//! Whose consent a purpose needs (design §8): the survivor's own; for a child
//! (under 16) the guardian's, and the child's own too from age 7. A withdrawn
//! consent counts as none. Without what is needed, a referral or placement is
//! refused unless a supervisor approved a best-interest override.

use super::age::{AgeGroup, child_consent_needed};
use super::vocabulary::{ConsentGiver, ConsentPurpose};

/// One consent as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Consent {
    pub purpose: ConsentPurpose,
    pub giver: ConsentGiver,
    pub withdrawn: bool,
}

/// How old the survivor is, as far as the case knows: the age from the birth date
/// when it was given, the age group otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    pub age_group: AgeGroup,
    pub age: Option<u32>,
}

impl Subject {
    /// The people who must agree. With only the age group, a child of 6–11 is asked
    /// too: asking a six-year-old costs little, not asking a ten-year-old breaks the
    /// law.
    pub fn needed_givers(self) -> &'static [ConsentGiver] {
        if !self.age_group.is_child() {
            return &[ConsentGiver::Survivor];
        }
        let own = match self.age {
            Some(age) => child_consent_needed(age),
            None => self.age_group > AgeGroup::Under6,
        };
        if own { &[ConsentGiver::Guardian, ConsentGiver::Child] } else { &[ConsentGiver::Guardian] }
    }
}

/// Who still has to consent to `purpose`; empty when the consent is complete.
pub fn missing(subject: Subject, purpose: ConsentPurpose, consents: &[Consent]) -> Vec<ConsentGiver> {
    subject
        .needed_givers()
        .iter()
        .copied()
        .filter(|giver| !consents.iter().any(|c| c.purpose == purpose && c.giver == *giver && !c.withdrawn))
        .collect()
}

/// Whether a giver may consent for this survivor at all (an adult's guardian does
/// not consent for her; a child's "survivor" consent is the child's own).
pub fn may_give(subject: Subject, giver: ConsentGiver) -> bool {
    subject.needed_givers().contains(&giver)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn given(purpose: ConsentPurpose, giver: ConsentGiver) -> Consent {
        Consent { purpose, giver, withdrawn: false }
    }

    const ADULT: Subject = Subject { age_group: AgeGroup::From25To59, age: Some(34) };
    const GIRL_OF_12: Subject = Subject { age_group: AgeGroup::From12To15, age: Some(12) };
    const BOY_OF_5: Subject = Subject { age_group: AgeGroup::Under6, age: Some(5) };

    #[test]
    fn an_adult_consents_for_herself() {
        assert_eq!(missing(ADULT, ConsentPurpose::Placement, &[]), vec![ConsentGiver::Survivor]);
        let done = [given(ConsentPurpose::Placement, ConsentGiver::Survivor)];
        assert!(missing(ADULT, ConsentPurpose::Placement, &done).is_empty());
    }

    #[test]
    fn a_girl_of_twelve_needs_her_guardian_and_herself() {
        let guardian_only = [given(ConsentPurpose::ShareSocialProtection, ConsentGiver::Guardian)];
        assert_eq!(
            missing(GIRL_OF_12, ConsentPurpose::ShareSocialProtection, &guardian_only),
            vec![ConsentGiver::Child]
        );
    }

    #[test]
    fn a_child_under_seven_is_represented_by_the_guardian() {
        let guardian = [given(ConsentPurpose::Services, ConsentGiver::Guardian)];
        assert!(missing(BOY_OF_5, ConsentPurpose::Services, &guardian).is_empty());
        assert!(!may_give(BOY_OF_5, ConsentGiver::Child));
    }

    #[test]
    fn without_a_birth_date_a_child_of_six_to_eleven_is_asked_too() {
        let subject = Subject { age_group: AgeGroup::From6To11, age: None };
        assert_eq!(subject.needed_givers(), &[ConsentGiver::Guardian, ConsentGiver::Child]);
    }

    #[test]
    fn a_withdrawn_consent_counts_as_none() {
        let withdrawn =
            [Consent { withdrawn: true, ..given(ConsentPurpose::Placement, ConsentGiver::Survivor) }];
        assert_eq!(missing(ADULT, ConsentPurpose::Placement, &withdrawn), vec![ConsentGiver::Survivor]);
    }

    #[test]
    fn consent_for_one_purpose_does_not_cover_another() {
        let services = [given(ConsentPurpose::Services, ConsentGiver::Survivor)];
        assert_eq!(missing(ADULT, ConsentPurpose::SharePolice, &services), vec![ConsentGiver::Survivor]);
    }

    proptest! {
        /// Adding a consent never makes more people missing; withdrawing never fewer.
        #[test]
        fn consent_is_monotonic(
            group in 0usize..7, age in proptest::option::of(0u32..20),
            records in prop::collection::vec((0usize..9, 0usize..3, any::<bool>()), 0..12),
            extra in (0usize..9, 0usize..3),
        ) {
            let subject = Subject { age_group: AgeGroup::ALL[group], age };
            let to_consent = |(p, g, w): (usize, usize, bool)| Consent {
                purpose: ConsentPurpose::ALL[p], giver: ConsentGiver::ALL[g], withdrawn: w,
            };
            let mut consents: Vec<Consent> = records.into_iter().map(to_consent).collect();
            for purpose in ConsentPurpose::ALL {
                let before = missing(subject, *purpose, &consents).len();
                consents.push(to_consent((extra.0, extra.1, false)));
                prop_assert!(missing(subject, *purpose, &consents).len() <= before);
                consents.pop();
            }
        }
    }
}
