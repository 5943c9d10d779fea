//! Closing a case (design §8): never while a placement is active or a referral
//! open; high-risk and child cases only with a supervisor's approval
//! (`requested → approved | rejected`). The same approval serves a best-interest
//! override of a missing consent.

use super::risk::RiskLevel;

/// What stands in the way of closing, counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the case has {open_referrals} open referral(s) and {active_placements} active placement(s)")]
pub struct ClosureBlocked {
    pub open_referrals: usize,
    pub active_placements: usize,
}

pub fn may_close(open_referrals: usize, active_placements: usize) -> Result<(), ClosureBlocked> {
    if open_referrals == 0 && active_placements == 0 {
        Ok(())
    } else {
        Err(ClosureBlocked { open_referrals, active_placements })
    }
}

/// High and severe risk, and every child case, close only with a supervisor's
/// approval.
pub fn closure_needs_approval(risk: Option<RiskLevel>, is_child: bool) -> bool {
    is_child || risk.is_some_and(|r| r >= RiskLevel::High)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApprovalKind {
    Closure,
    ConsentOverride,
}

impl ApprovalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalKind::Closure => "closure",
            ApprovalKind::ConsentOverride => "consent_override",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [ApprovalKind::Closure, ApprovalKind::ConsentOverride].into_iter().find(|k| k.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApprovalStatus {
    Requested,
    Approved,
    Rejected,
    /// A closure request the case's closing or reopening made moot.
    Withdrawn,
}

impl ApprovalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalStatus::Requested => "requested",
            ApprovalStatus::Approved => "approved",
            ApprovalStatus::Rejected => "rejected",
            ApprovalStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            ApprovalStatus::Requested,
            ApprovalStatus::Approved,
            ApprovalStatus::Rejected,
            ApprovalStatus::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Only a request is decided, once.
    pub fn decide(self, approve: bool) -> Option<ApprovalStatus> {
        (self == ApprovalStatus::Requested).then_some(if approve {
            ApprovalStatus::Approved
        } else {
            ApprovalStatus::Rejected
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_referral_keeps_a_case_open() {
        assert_eq!(may_close(1, 0), Err(ClosureBlocked { open_referrals: 1, active_placements: 0 }));
        assert_eq!(may_close(0, 0), Ok(()));
    }

    #[test]
    fn high_risk_and_child_cases_need_approval() {
        assert!(closure_needs_approval(Some(RiskLevel::High), false));
        assert!(closure_needs_approval(Some(RiskLevel::Severe), false));
        assert!(closure_needs_approval(None, true));
        assert!(!closure_needs_approval(Some(RiskLevel::Medium), false));
        assert!(!closure_needs_approval(None, false));
    }

    #[test]
    fn a_decision_is_taken_once() {
        assert_eq!(ApprovalStatus::Requested.decide(true), Some(ApprovalStatus::Approved));
        assert_eq!(ApprovalStatus::Approved.decide(false), None);
        assert_eq!(ApprovalStatus::Rejected.decide(true), None);
    }
}
