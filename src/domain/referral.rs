//! A referral to a registered service provider (design §8): `pending → accepted |
//! declined`, `accepted → completed`, and any open one → `cancelled`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferralStatus {
    Pending,
    Accepted,
    Declined,
    Completed,
    Cancelled,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 5] = [
        ReferralStatus::Pending,
        ReferralStatus::Accepted,
        ReferralStatus::Declined,
        ReferralStatus::Completed,
        ReferralStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralStatus::Pending => "pending",
            ReferralStatus::Accepted => "accepted",
            ReferralStatus::Declined => "declined",
            ReferralStatus::Completed => "completed",
            ReferralStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn next(self) -> &'static [ReferralStatus] {
        use ReferralStatus::*;
        match self {
            Pending => &[Accepted, Declined, Cancelled],
            Accepted => &[Completed, Cancelled],
            Declined | Completed | Cancelled => &[],
        }
    }

    /// Still waiting for the provider or in progress: it keeps a case from closing.
    pub fn is_open(self) -> bool {
        matches!(self, ReferralStatus::Pending | ReferralStatus::Accepted)
    }
}

impl fmt::Display for ReferralStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a referral that is {from} cannot become {to}; {}", allowed_text(.allowed))]
pub struct ReferralStepRefused {
    pub from: ReferralStatus,
    pub to: ReferralStatus,
    pub allowed: &'static [ReferralStatus],
}

fn allowed_text(allowed: &[ReferralStatus]) -> String {
    if allowed.is_empty() {
        "it is finished".into()
    } else {
        format!("it can become {}", allowed.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" or "))
    }
}

pub fn step(from: ReferralStatus, to: ReferralStatus) -> Result<ReferralStatus, ReferralStepRefused> {
    if from.next().contains(&to) {
        Ok(to)
    } else {
        Err(ReferralStepRefused { from, to, allowed: from.next() })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_referral_is_accepted_then_completed() {
        let accepted = step(ReferralStatus::Pending, ReferralStatus::Accepted).unwrap();
        assert_eq!(step(accepted, ReferralStatus::Completed), Ok(ReferralStatus::Completed));
    }

    #[test]
    fn a_declined_referral_is_finished() {
        let err = step(ReferralStatus::Declined, ReferralStatus::Accepted).unwrap_err();
        assert_eq!(err.to_string(), "a referral that is declined cannot become accepted; it is finished");
    }

    proptest! {
        #[test]
        fn only_open_referrals_move_and_every_path_ends(steps in prop::collection::vec(0usize..5, 0..20)) {
            let mut status = ReferralStatus::Pending;
            for i in steps {
                let to = ReferralStatus::ALL[i];
                match step(status, to) {
                    Ok(next) => { prop_assert!(status.is_open()); status = next; }
                    Err(e) => prop_assert_eq!(e.allowed, status.next()),
                }
            }
            prop_assert_eq!(status.is_open(), !status.next().is_empty());
        }
    }
}
