//! The case lifecycle of the Inter-Agency GBV Case Management Guidelines (2017):
//! intake → assessment → action planning → implementation → follow-up → closed.
//! The one place that says which step may follow which.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CaseStatus {
    Intake,
    Assessment,
    ActionPlanning,
    Implementation,
    FollowUp,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 6] = [
        CaseStatus::Intake,
        CaseStatus::Assessment,
        CaseStatus::ActionPlanning,
        CaseStatus::Implementation,
        CaseStatus::FollowUp,
        CaseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Intake => "intake",
            CaseStatus::Assessment => "assessment",
            CaseStatus::ActionPlanning => "action_planning",
            CaseStatus::Implementation => "implementation",
            CaseStatus::FollowUp => "follow_up",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The steps that may follow this one.
    ///
    /// Beyond the guidelines' straight line, follow-up may return to implementation
    /// and a closed case may be reopened into assessment (design §8). A case may also
    /// be closed from any open step: the closure reasons "survivor withdrew consent",
    /// "no contact possible" and "moved away" arise before follow-up as often as
    /// after. Closing still goes through the closure rules (no active placement, no
    /// open referral, a supervisor's approval for high-risk and child cases).
    pub fn next(self) -> &'static [CaseStatus] {
        use CaseStatus::*;
        match self {
            Intake => &[Assessment, Closed],
            Assessment => &[ActionPlanning, Closed],
            ActionPlanning => &[Implementation, Closed],
            Implementation => &[FollowUp, Closed],
            FollowUp => &[Implementation, Closed],
            Closed => &[Assessment],
        }
    }

    pub fn is_open(self) -> bool {
        self != CaseStatus::Closed
    }
}

impl fmt::Display for CaseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A step that may not follow the current one; names the ones that may.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a case in {from} cannot go to {to}; it can go to {}", allowed_list(.allowed))]
pub struct TransitionRefused {
    pub from: CaseStatus,
    pub to: CaseStatus,
    pub allowed: &'static [CaseStatus],
}

fn allowed_list(allowed: &[CaseStatus]) -> String {
    allowed.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" or ")
}

/// The step after `from` if `to` may follow it.
pub fn transition(from: CaseStatus, to: CaseStatus) -> Result<CaseStatus, TransitionRefused> {
    if from.next().contains(&to) { Ok(to) } else { Err(TransitionRefused { from, to, allowed: from.next() }) }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_case_walks_the_guidelines_from_intake_to_closure() {
        let mut status = CaseStatus::Intake;
        for next in [
            CaseStatus::Assessment,
            CaseStatus::ActionPlanning,
            CaseStatus::Implementation,
            CaseStatus::FollowUp,
            CaseStatus::Closed,
        ] {
            status = transition(status, next).unwrap();
        }
        assert_eq!(status, CaseStatus::Closed);
    }

    #[test]
    fn a_refused_step_names_the_allowed_ones() {
        let err = transition(CaseStatus::Intake, CaseStatus::Implementation).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a case in intake cannot go to implementation; it can go to assessment or closed"
        );
    }

    #[test]
    fn follow_up_may_return_to_implementation_and_a_closed_case_reopens_into_assessment() {
        assert_eq!(
            transition(CaseStatus::FollowUp, CaseStatus::Implementation),
            Ok(CaseStatus::Implementation)
        );
        assert_eq!(transition(CaseStatus::Closed, CaseStatus::Assessment), Ok(CaseStatus::Assessment));
        assert!(transition(CaseStatus::Closed, CaseStatus::Intake).is_err());
    }

    #[test]
    fn every_status_reads_back_from_its_name() {
        for status in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(status.as_str()), Some(status));
        }
    }

    proptest! {
        /// Random sequences of requested steps: the refused ones change nothing and
        /// say why, the accepted ones are exactly those the table lists, and every
        /// state stays reachable from intake.
        #[test]
        fn random_step_sequences_follow_the_table(steps in prop::collection::vec(0usize..6, 0..60)) {
            let mut status = CaseStatus::Intake;
            for i in steps {
                let wanted = CaseStatus::ALL[i];
                match transition(status, wanted) {
                    Ok(next) => {
                        prop_assert!(status.next().contains(&wanted));
                        prop_assert_eq!(next, wanted);
                        status = next;
                    }
                    Err(refused) => {
                        prop_assert!(!status.next().contains(&wanted));
                        prop_assert_eq!(refused.from, status);
                        prop_assert_eq!(refused.allowed, status.next());
                    }
                }
            }
            // Whatever happened, closure and reopening remain possible.
            prop_assert!(status == CaseStatus::Closed || transition(status, CaseStatus::Closed).is_ok());
        }
    }
}
