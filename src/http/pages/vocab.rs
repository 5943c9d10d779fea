//! The message keys of the case vocabulary: every stable code of a closed list has
//! one label per language, `{list}-{code}` (a `+` in a code is spelt `plus`, which
//! Fluent identifiers cannot hold).

use crate::domain::age::AgeGroup;
use crate::domain::case_clock::{DeadlineKind, DeadlineState};
use crate::domain::closure::{ApprovalKind, ApprovalStatus};
use crate::domain::lifecycle::CaseStatus;
use crate::domain::placement::PlacementStatus;
use crate::domain::referral::ReferralStatus;
use crate::domain::risk::{RiskFactor, RiskLevel};
use crate::domain::vocabulary::*;

/// The message key of `code` in `list`.
pub fn label_key(list: &str, code: &str) -> String {
    format!("{list}-{}", code.replace('+', "plus"))
}

fn codes<T: Code>(list: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    T::all().iter().map(move |v| (list, v.code()))
}

/// Every (list, code) pair that has a label.
pub fn all_codes() -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<(&'static str, &'static str)> = Vec::new();
    all.extend(CaseStatus::ALL.iter().map(|s| ("status", s.as_str())));
    all.extend(codes::<ReportSource>("report-source"));
    all.extend(codes::<ReportChannel>("report-channel"));
    all.extend(codes::<FormOfViolence>("form"));
    all.extend(codes::<Article3Act>("act"));
    all.extend(codes::<GbvType>("gbv-type"));
    all.extend(codes::<GbvContext>("gbv-context"));
    all.extend(codes::<Sex>("sex"));
    all.extend(codes::<Relationship>("relationship"));
    all.extend(codes::<ConsentPurpose>("consent-purpose"));
    all.extend(codes::<ConsentGiver>("consent-giver"));
    all.extend(codes::<MeasureType>("measure"));
    all.extend(codes::<OrderedBy>("ordered-by"));
    all.extend(codes::<ServiceType>("service"));
    all.extend(codes::<ClosureReason>("closure-reason"));
    all.extend(codes::<ErasureReason>("erasure-reason"));
    all.extend(codes::<NoteKind>("note-kind"));
    all.extend(codes::<SafeHouseKind>("safe-house-kind"));
    all.extend(codes::<CheckOutOutcome>("check-out-outcome"));
    all.extend(codes::<DeclineReason>("decline-reason"));
    all.extend(PlacementStatus::ALL.iter().map(|s| ("placement-status", s.as_str())));
    all.extend(
        [RiskLevel::Low, RiskLevel::Medium, RiskLevel::High, RiskLevel::Severe]
            .map(|l| ("risk-level", l.as_str())),
    );
    all.extend(RiskFactor::ALL.iter().map(|f| ("risk-factor", f.as_str())));
    all.extend(AgeGroup::ALL.iter().map(|g| ("age-group", g.as_str())));
    all.extend(ReferralStatus::ALL.iter().map(|s| ("referral-status", s.as_str())));
    all.extend([ApprovalKind::Closure, ApprovalKind::ConsentOverride].map(|k| ("approval-kind", k.as_str())));
    all.extend(
        [
            ApprovalStatus::Requested,
            ApprovalStatus::Approved,
            ApprovalStatus::Rejected,
            ApprovalStatus::Withdrawn,
        ]
        .map(|s| ("approval-status", s.as_str())),
    );
    all.extend(
        [
            DeadlineKind::UrgentIntervention,
            DeadlineKind::SupportPlan,
            DeadlineKind::Decision,
            DeadlineKind::NoContactOrderEnds,
            DeadlineKind::FollowUp,
        ]
        .map(|k| ("deadline", k.as_str())),
    );
    all.extend(
        [DeadlineState::Overdue, DeadlineState::DueSoon, DeadlineState::Open, DeadlineState::Met]
            .map(|s| ("deadline-state", s.as_str())),
    );
    all
}

pub fn vocabulary_keys() -> Vec<String> {
    all_codes().into_iter().map(|(list, code)| label_key(list, code)).collect()
}
