//! The structured risk assessment (design §8): a checklist of recognized risk
//! factors for lethal or severe violence (after the Danger Assessment and the
//! DASH checklist used in GBV case management), giving low, medium, high or severe.
//! Some factors alone make a case high: threats to kill, a weapon, strangulation.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RiskFactor {
    /// The perpetrator threatened to kill her or the children.
    ThreatsToKill,
    /// A weapon was used or threatened, or he has access to one.
    Weapon,
    /// Strangulation, choking or suffocation.
    Strangulation,
    /// The violence is becoming more frequent or more severe.
    Escalation,
    /// She is pregnant.
    Pregnancy,
    /// She has left him or is trying to (separation).
    Separation,
    /// Children are at risk or have been harmed.
    ChildrenAtRisk,
    /// Sexual violence.
    SexualViolence,
    /// Stalking, watching, following, controlling her movements.
    Stalking,
    /// Heavy alcohol or drug use by the perpetrator.
    SubstanceAbuse,
    /// The perpetrator threatened or attempted suicide.
    PerpetratorSuicidal,
    /// She believes he will kill her or seriously hurt her.
    SurvivorFearsForLife,
    /// Earlier violence reported to the police or the commune.
    PriorReports,
    /// She has nowhere safe to stay tonight.
    NoSafePlace,
    /// The worker who took the report judged her in danger now ("đang gặp nguy
    /// hiểm ngay"): the intake's red banner.
    ImmediateDanger,
}

impl RiskFactor {
    pub const ALL: [RiskFactor; 15] = [
        RiskFactor::ThreatsToKill,
        RiskFactor::Weapon,
        RiskFactor::Strangulation,
        RiskFactor::Escalation,
        RiskFactor::Pregnancy,
        RiskFactor::Separation,
        RiskFactor::ChildrenAtRisk,
        RiskFactor::SexualViolence,
        RiskFactor::Stalking,
        RiskFactor::SubstanceAbuse,
        RiskFactor::PerpetratorSuicidal,
        RiskFactor::SurvivorFearsForLife,
        RiskFactor::PriorReports,
        RiskFactor::NoSafePlace,
        RiskFactor::ImmediateDanger,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskFactor::ThreatsToKill => "threats_to_kill",
            RiskFactor::Weapon => "weapon",
            RiskFactor::Strangulation => "strangulation",
            RiskFactor::Escalation => "escalation",
            RiskFactor::Pregnancy => "pregnancy",
            RiskFactor::Separation => "separation",
            RiskFactor::ChildrenAtRisk => "children_at_risk",
            RiskFactor::SexualViolence => "sexual_violence",
            RiskFactor::Stalking => "stalking",
            RiskFactor::SubstanceAbuse => "substance_abuse",
            RiskFactor::PerpetratorSuicidal => "perpetrator_suicidal",
            RiskFactor::SurvivorFearsForLife => "survivor_fears_for_life",
            RiskFactor::PriorReports => "prior_reports",
            RiskFactor::NoSafePlace => "no_safe_place",
            RiskFactor::ImmediateDanger => "immediate_danger",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// The strongest predictors of lethal violence, and a danger the worker saw
    /// now: any one of them makes the case at least high.
    pub fn is_critical(self) -> bool {
        matches!(
            self,
            RiskFactor::ThreatsToKill
                | RiskFactor::Weapon
                | RiskFactor::Strangulation
                | RiskFactor::ImmediateDanger
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RiskLevel {
    Low,
    Medium,
    High,
    Severe,
}

impl RiskLevel {
    pub const ALL: [RiskLevel; 4] = [RiskLevel::Low, RiskLevel::Medium, RiskLevel::High, RiskLevel::Severe];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
            RiskLevel::Severe => "severe",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == text)
    }
}

/// The level of a checklist: severe with two critical factors, or one critical
/// factor and four others; high with one critical factor or six factors; medium
/// with three; low below.
pub fn assess(factors: &[RiskFactor]) -> RiskLevel {
    let mut unique: Vec<RiskFactor> = factors.to_vec();
    unique.sort();
    unique.dedup();
    let critical = unique.iter().filter(|f| f.is_critical()).count();
    let others = unique.len() - critical;
    match (critical, others) {
        (c, _) if c >= 2 => RiskLevel::Severe,
        (1, o) if o >= 4 => RiskLevel::Severe,
        (1, _) => RiskLevel::High,
        (0, o) if o >= 6 => RiskLevel::High,
        (0, o) if o >= 3 => RiskLevel::Medium,
        _ => RiskLevel::Low,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_threat_to_kill_alone_makes_a_case_high() {
        assert_eq!(assess(&[RiskFactor::ThreatsToKill]), RiskLevel::High);
        assert_eq!(assess(&[RiskFactor::Strangulation]), RiskLevel::High);
    }

    #[test]
    fn journey_one_threat_to_kill_and_a_child_present_is_high() {
        assert_eq!(assess(&[RiskFactor::ThreatsToKill, RiskFactor::ChildrenAtRisk]), RiskLevel::High);
    }

    #[test]
    fn a_threat_to_kill_with_a_weapon_is_severe() {
        assert_eq!(assess(&[RiskFactor::ThreatsToKill, RiskFactor::Weapon]), RiskLevel::Severe);
    }

    #[test]
    fn immediate_danger_with_a_child_at_risk_is_high() {
        assert_eq!(assess(&[RiskFactor::ImmediateDanger, RiskFactor::ChildrenAtRisk]), RiskLevel::High);
    }

    #[test]
    fn no_factor_is_low_and_three_are_medium() {
        assert_eq!(assess(&[]), RiskLevel::Low);
        let three = [RiskFactor::Escalation, RiskFactor::Pregnancy, RiskFactor::Separation];
        assert_eq!(assess(&three), RiskLevel::Medium);
    }

    proptest! {
        /// Ticking one more box never lowers the level.
        #[test]
        fn adding_a_factor_never_lowers_the_level(
            picks in prop::collection::vec(0usize..RiskFactor::ALL.len(), 0..15), extra in 0usize..RiskFactor::ALL.len()
        ) {
            let factors: Vec<RiskFactor> = picks.iter().map(|i| RiskFactor::ALL[*i]).collect();
            let mut more = factors.clone();
            more.push(RiskFactor::ALL[extra]);
            prop_assert!(assess(&more) >= assess(&factors));
        }

        #[test]
        fn any_critical_factor_means_at_least_high(picks in prop::collection::vec(0usize..RiskFactor::ALL.len(), 0..15)) {
            let factors: Vec<RiskFactor> = picks.iter().map(|i| RiskFactor::ALL[*i]).collect();
            if factors.iter().any(|f| f.is_critical()) {
                prop_assert!(assess(&factors) >= RiskLevel::High);
            }
        }
    }
}
