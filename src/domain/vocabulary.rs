//! The closed lists a case is described with (design §8): each a type with its
//! stable code, as stored and as the API and policies name it. Their Vietnamese
//! and English labels live in frontend/locales.

/// A closed list with stable codes: what validation and storage need of it.
pub trait Code: Copy + Sized + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;

    fn from_code(text: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.code() == text)
    }

    /// Every code, for a message that says what to choose.
    fn listed() -> String {
        Self::all().iter().map(|v| v.code()).collect::<Vec<_>>().join(", ")
    }
}

/// Declares a closed list: the enum, `ALL`, `as_str`, `parse` and [`Code`].
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                <Self as Code>::from_code(text)
            }
        }

        impl Code for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn code(self) -> &'static str {
                self.as_str()
            }
        }
    };
}

vocabulary! {
    /// Who received the report: the receivers of Article 19 of Law 13/2022, the
    /// survivor herself, or someone else.
    ReportSource {
        CommunePeoplesCommittee = "commune_committee",
        Police = "police",
        School = "school",
        VillageHead = "village_head",
        MassOrganisation = "mass_organisation",
        Hotline = "hotline",
        HealthFacility = "health_facility",
        SelfReport = "self",
        Other = "other",
    }
}

vocabulary! {
    /// How the report came in.
    ReportChannel { InPerson = "in_person", Phone = "phone", Message = "message", Referral = "referral", Other = "other" }
}

vocabulary! {
    /// The forms of domestic violence as Law 13/2022 names them.
    FormOfViolence { Physical = "physical", Mental = "mental", Sexual = "sexual", Economic = "economic" }
}

vocabulary! {
    /// The acts of domestic violence listed in Article 3 of Law 13/2022.
    Article3Act {
        /// a) ill-treatment, beating, threats or other acts harming health or life
        HarmToHealthOrLife = "harm_health_life",
        /// b) insults, reproaches or other acts offending honour and dignity
        OffendingDignity = "offending_dignity",
        /// c) forcing someone to witness violence
        ForcedToWitness = "forced_to_witness",
        /// d) abandonment, neglect, not caring for or raising
        Neglect = "neglect",
        /// đ) stigma and discrimination for body, gender, sex or ability
        Discrimination = "discrimination",
        /// e) keeping from relatives and lawful relations, isolating, constant pressure
        Isolation = "isolation",
        /// g) obstructing rights and duties between family members
        ObstructingFamilyRights = "obstructing_family_rights",
        /// h) disclosing private life to offend honour and dignity
        DisclosingPrivateLife = "disclosing_private_life",
        /// i) forced sex or other forced sexual acts
        ForcedSex = "forced_sex",
        /// k) forced child or forced marriage, forced divorce, obstructing marriage or divorce
        ForcedMarriageOrDivorce = "forced_marriage_divorce",
        /// l) appropriating or destroying property
        PropertyAppropriation = "property_appropriation",
        /// m) forced labour or contributions, controlling assets and income
        EconomicControl = "economic_control",
        /// n) confinement
        Confinement = "confinement",
        /// o) forcing out of the lawful home
        ForcedEviction = "forced_eviction",
    }
}

vocabulary! {
    /// The six core incident types of GBVIMS.
    GbvType {
        Rape = "rape",
        SexualAssault = "sexual_assault",
        PhysicalAssault = "physical_assault",
        ForcedMarriage = "forced_marriage",
        DenialOfResources = "denial_of_resources",
        PsychologicalAbuse = "psychological_abuse",
    }
}

vocabulary! {
    /// The GBVIMS context of an incident.
    GbvContext {
        IntimatePartner = "intimate_partner",
        ChildSexualAbuse = "child_sexual_abuse",
        EarlyMarriage = "early_marriage",
        FamilyNonPartner = "family_non_partner",
        Trafficking = "trafficking",
        Other = "other",
    }
}

vocabulary! {
    Sex { Female = "female", Male = "male", Other = "other", Unknown = "unknown" }
}

vocabulary! {
    /// The perpetrator's relation to the survivor.
    Relationship {
        Spouse = "spouse",
        FormerSpouse = "former_spouse",
        Partner = "partner",
        Parent = "parent",
        StepParent = "step_parent",
        Child = "child",
        Sibling = "sibling",
        OtherRelative = "other_relative",
        InLaw = "in_law",
        NonFamily = "non_family",
        Unknown = "unknown",
    }
}

vocabulary! {
    /// What consent is given for (design §8).
    ConsentPurpose {
        Services = "services",
        ShareHealth = "share_health",
        SharePolice = "share_police",
        ShareLegalAid = "share_legal_aid",
        SharePsychosocial = "share_psychosocial",
        ShareSocialProtection = "share_social_protection",
        ShareOther = "share_other",
        Placement = "placement",
        Statistics = "statistics",
    }
}

vocabulary! {
    /// Who gave or withdrew consent.
    ConsentGiver { Survivor = "survivor", Guardian = "guardian", Child = "child" }
}

vocabulary! {
    /// Protection and prevention measures of Article 22 of Law 13/2022, and the
    /// support measures recorded with them.
    MeasureType {
        OrderToStop = "order_to_stop",
        SummonsToCommunePolice = "summons_commune_police",
        NoContactOrder = "no_contact_order",
        TemporaryShelter = "temporary_shelter",
        MedicalCare = "medical_care",
        LegalAidAndCounselling = "legal_aid_counselling",
        PerpetratorEducation = "perpetrator_education",
        CommunityCriticism = "community_criticism",
        CommunityService = "community_service",
        AdministrativeMeasures = "administrative_measures",
        CriminalProcedure = "criminal_procedure",
    }
}

vocabulary! {
    /// The kinds of registered service providers.
    ServiceType {
        Health = "health",
        Police = "police",
        LegalAid = "legal_aid",
        Psychosocial = "psychosocial",
        SocialProtectionCentre = "social_protection_centre",
        SafeHouse = "safe_house",
        Education = "education",
        Livelihood = "livelihood",
        ChildProtection = "child_protection",
    }
}

vocabulary! {
    /// Why a case was closed.
    ClosureReason {
        GoalsMet = "goals_met",
        SafeAndStable = "safe_and_stable",
        MovedAway = "moved_away",
        ConsentWithdrawn = "consent_withdrawn",
        NoContactPossible = "no_contact_possible",
        Other = "other",
    }
}

vocabulary! {
    /// Why a case's personal data is erased (the audit event carries the code).
    ErasureReason {
        SurvivorRequest = "survivor_request",
        EnteredInError = "entered_in_error",
        CourtOrder = "court_order",
        RetentionExpired = "retention_expired",
    }
}

vocabulary! {
    /// Who ordered a protection measure; a no-contact order's length depends on it.
    OrderedBy {
        CommuneChair = "commune_chair",
        Court = "court",
        CommunePolice = "commune_police",
        Other = "other",
    }
}

vocabulary! {
    NoteKind { Note = "note", FollowUp = "follow_up" }
}

vocabulary! {
    /// The kinds of safe places (design §9).
    SafeHouseKind {
        TrustedAddress = "trusted_address",
        CommunitySafeHouse = "community_safe_house",
        SocialProtectionCentre = "social_protection_centre",
    }
}

vocabulary! {
    /// Where a resident went at check-out.
    CheckOutOutcome {
        ReturnedHomeSafely = "returned_home_safely",
        WithRelatives = "with_relatives",
        SocialProtectionCentre = "social_protection_centre",
        /// Moved to another safe house ("chuyển nơi khác"): a case holds one open
        /// placement at a time, so a transfer is a check-out, then a new request.
        Transferred = "transferred",
        Other = "other",
    }
}

vocabulary! {
    /// Why a house declined a request.
    DeclineReason {
        NoBed = "no_bed",
        CannotMeetNeeds = "cannot_meet_needs",
        SafetyConcern = "safety_concern",
        Other = "other",
    }
}

impl ConsentPurpose {
    /// The consent a referral to a kind of service needs.
    pub fn for_referral(service: ServiceType) -> ConsentPurpose {
        match service {
            ServiceType::Health => ConsentPurpose::ShareHealth,
            ServiceType::Police => ConsentPurpose::SharePolice,
            ServiceType::LegalAid => ConsentPurpose::ShareLegalAid,
            ServiceType::Psychosocial => ConsentPurpose::SharePsychosocial,
            ServiceType::SocialProtectionCentre | ServiceType::ChildProtection => {
                ConsentPurpose::ShareSocialProtection
            }
            ServiceType::SafeHouse => ConsentPurpose::Placement,
            ServiceType::Education | ServiceType::Livelihood => ConsentPurpose::ShareOther,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes are what the database, the API and the statistics store: each
    /// list reads back every code, and no two entries of a list share one.
    #[test]
    fn every_code_reads_back_and_is_unique_in_its_list() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            code: fn(T) -> &'static str,
            parse: fn(&str) -> Option<T>,
        ) {
            let mut seen = std::collections::HashSet::new();
            for v in all {
                assert_eq!(parse(code(*v)), Some(*v));
                assert!(seen.insert(code(*v)), "{} twice", code(*v));
            }
        }
        check(ReportSource::ALL, ReportSource::as_str, ReportSource::parse);
        check(ReportChannel::ALL, ReportChannel::as_str, ReportChannel::parse);
        check(FormOfViolence::ALL, FormOfViolence::as_str, FormOfViolence::parse);
        check(Article3Act::ALL, Article3Act::as_str, Article3Act::parse);
        check(GbvType::ALL, GbvType::as_str, GbvType::parse);
        check(GbvContext::ALL, GbvContext::as_str, GbvContext::parse);
        check(Sex::ALL, Sex::as_str, Sex::parse);
        check(Relationship::ALL, Relationship::as_str, Relationship::parse);
        check(ConsentPurpose::ALL, ConsentPurpose::as_str, ConsentPurpose::parse);
        check(ConsentGiver::ALL, ConsentGiver::as_str, ConsentGiver::parse);
        check(MeasureType::ALL, MeasureType::as_str, MeasureType::parse);
        check(ServiceType::ALL, ServiceType::as_str, ServiceType::parse);
        check(ClosureReason::ALL, ClosureReason::as_str, ClosureReason::parse);
    }

    #[test]
    fn law_13_2022_names_four_forms_and_fourteen_acts() {
        assert_eq!(FormOfViolence::ALL.len(), 4);
        assert_eq!(Article3Act::ALL.len(), 14);
        assert_eq!(GbvType::ALL.len(), 6);
    }

    #[test]
    fn a_referral_needs_the_consent_of_its_service() {
        assert_eq!(ConsentPurpose::for_referral(ServiceType::Health), ConsentPurpose::ShareHealth);
        assert_eq!(ConsentPurpose::for_referral(ServiceType::SafeHouse), ConsentPurpose::Placement);
    }
}
