//! What a refused piece of case or placement work says, in one language: the fact
//! (what stands in the way, with its numbers and the steps still open) and, on a
//! page, the advice for the person reading it. A worker asking for a place is told
//! to choose another house; the house's staff answering the request are told to
//! decline it or wait. The API's problem detail gives the fact in both languages.

use crate::domain::lifecycle::CaseStatus;
use crate::domain::placement::BedsRefused;
use crate::domain::role::Role;
use crate::http::pages::Lang;
use crate::http::pages::i18n::{Arg, catalog};
use crate::http::pages::vocab::label_key;
use crate::services::cases::access::{CaseError, Versioned};

/// Who reads a refusal on a page: the advice differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// A social worker or a supervisor, working on a case.
    Worker,
    /// A safe house's staff, answering a request or a resident's stay.
    HouseStaff,
}

impl Reader {
    pub const ALL: [Reader; 2] = [Reader::Worker, Reader::HouseStaff];

    pub fn of(role: Role) -> Reader {
        match role {
            Role::SafeHouseStaff => Reader::HouseStaff,
            _ => Reader::Worker,
        }
    }
}

/// The fact of a refusal, or `None` for the answers that explain nothing (not
/// found, forbidden, invalid input with its own field messages, the system failing).
pub fn fact(lang: Lang, error: &CaseError) -> Option<String> {
    let t = |key: &str| catalog().message(lang, key);
    let with = |key: &str, args: &[(&str, Arg<'_>)]| catalog().message_args(lang, key, args);
    let label = |list: &str, code: &str| t(&label_key(list, code));
    let text = match error {
        // Too many lookups: the page that asked says it in its own words, with the wait.
        CaseError::NotFound
        | CaseError::Forbidden
        | CaseError::Invalid(_)
        | CaseError::Keys(_)
        | CaseError::RateLimited { .. } => {
            return None;
        }
        CaseError::Stale { record: Versioned::Case, .. } => t("refusal-stale-case"),
        CaseError::Stale { record: Versioned::Referral, .. } => t("refusal-stale-referral"),
        CaseError::Stale { record: Versioned::Placement, .. } => t("refusal-stale-placement"),
        CaseError::Transition(refused) => {
            let allowed = statuses(lang, refused.allowed);
            with(
                "refusal-transition",
                &[
                    ("from", Arg::Text(&label("status", refused.from.as_str()))),
                    ("to", Arg::Text(&label("status", refused.to.as_str()))),
                    ("allowed", Arg::Text(&allowed)),
                    ("count", Arg::Count(refused.allowed.len() as u64)),
                ],
            )
        }
        CaseError::ReferralStep(refused) => {
            let allowed = names(refused.allowed.iter().map(|s| label("referral-status", s.as_str())));
            with(
                "refusal-referral-step",
                &[
                    ("from", Arg::Text(&label("referral-status", refused.from.as_str()))),
                    ("allowed", Arg::Text(&allowed)),
                    ("count", Arg::Count(refused.allowed.len() as u64)),
                ],
            )
        }
        CaseError::PlacementStep(refused) => {
            let allowed = names(refused.allowed.iter().map(|s| label("placement-status", s.as_str())));
            with(
                "refusal-placement-step",
                &[
                    ("from", Arg::Text(&label("placement-status", refused.from.as_str()))),
                    ("allowed", Arg::Text(&allowed)),
                    ("count", Arg::Count(refused.allowed.len() as u64)),
                ],
            )
        }
        CaseError::ConsentMissing { purpose, missing } => {
            let who = names(missing.iter().map(|g| label("consent-giver", g.as_str())));
            with(
                "refusal-consent-missing",
                &[
                    ("purpose", Arg::Text(&label("consent-purpose", purpose.as_str()))),
                    ("who", Arg::Text(&who)),
                ],
            )
        }
        CaseError::ClosureBlocked(blocked) => {
            let how_many = |n: usize| [("count", Arg::Count(n as u64))];
            let mut parts = Vec::new();
            if blocked.open_referrals > 0 {
                parts.push(with("refusal-open-referrals", &how_many(blocked.open_referrals)));
            }
            if blocked.active_placements > 0 {
                parts.push(with("refusal-active-placements", &how_many(blocked.active_placements)));
            }
            let what = match parts.as_slice() {
                [first, second] => {
                    with("list-and", &[("first", Arg::Text(first)), ("second", Arg::Text(second))])
                }
                [one] => one.clone(),
                _ => t("refusal-open-work"),
            };
            with("refusal-closure-blocked", &[("what", Arg::Text(&what))])
        }
        CaseError::AlreadyDecided => t("refusal-already-decided"),
        CaseError::AlreadyDone => t("refusal-already-done"),
        CaseError::AlreadyRequested => t("refusal-already-requested"),
        CaseError::Beds(BedsRefused::MoreThanCapacity { capacity, needed }) => with(
            "refusal-more-than-capacity",
            &[("capacity", Arg::Count(count(*capacity))), ("needed", Arg::Count(count(*needed)))],
        ),
        CaseError::Beds(BedsRefused::NotEnoughFree { free, needed }) => with(
            "refusal-not-enough-free",
            &[("free", Arg::Count(count(*free))), ("needed", Arg::Count(count(*needed)))],
        ),
        CaseError::CaseClosed => t("refusal-case-closed"),
        CaseError::OverrideOnlyForChildren => t("refusal-override-only-children"),
        CaseError::HouseUnavailable("no_children") => t("refusal-house-no-children"),
        CaseError::HouseUnavailable(_) => t("refusal-house-inactive"),
        // The house is not named: where she may be staying is for the page of the
        // worker who asked (the advice), not for every client of the API.
        CaseError::PlacementOpen { status, .. } => with(
            "refusal-placement-open",
            &[("status", Arg::Text(&label("placement-status", status.as_str())))],
        ),
    };
    Some(text)
}

/// What the reader can do about a refusal, where there is something to say.
pub fn advice(lang: Lang, reader: Reader, error: &CaseError) -> Option<String> {
    let t = |key: &str| Some(catalog().message(lang, key));
    let with = |key: &str, args: &[(&str, Arg<'_>)]| Some(catalog().message_args(lang, key, args));
    match (reader, error) {
        (Reader::Worker, CaseError::PlacementOpen { house, .. }) => {
            let transferred = catalog().message(lang, &label_key("check-out-outcome", "transferred"));
            with(
                "advice-placement-open",
                &[("house", Arg::Text(house)), ("transferred", Arg::Text(&transferred))],
            )
        }
        (_, CaseError::Stale { record: Versioned::Case | Versioned::Referral, .. }) => t("advice-stale-form"),
        (_, CaseError::Stale { record: Versioned::Placement, .. }) => t("advice-stale-board"),
        (Reader::Worker, CaseError::ConsentMissing { .. }) => t("advice-consent-missing"),
        (Reader::Worker, CaseError::ClosureBlocked(_)) => t("advice-closure-blocked"),
        (Reader::Worker, CaseError::Beds(BedsRefused::NotEnoughFree { .. })) => {
            t("advice-worker-another-or-wait")
        }
        (Reader::Worker, CaseError::Beds(_) | CaseError::HouseUnavailable(_)) => {
            t("advice-worker-choose-another")
        }
        (Reader::HouseStaff, CaseError::Beds(_)) => t("advice-staff-no-place"),
        (Reader::HouseStaff, CaseError::HouseUnavailable("no_children")) => t("advice-staff-decline"),
        (Reader::HouseStaff, CaseError::HouseUnavailable(_)) => t("advice-staff-house-inactive"),
        (Reader::Worker, CaseError::CaseClosed) => t("advice-reopen-first"),
        _ => None,
    }
}

/// The fact and the advice as one message for a page.
pub fn for_reader(lang: Lang, reader: Reader, error: &CaseError) -> Option<String> {
    let fact = fact(lang, error)?;
    Some(match advice(lang, reader, error) {
        Some(advice) => format!("{fact} {advice}"),
        None => fact,
    })
}

/// The steps of the lifecycle in words, joined.
pub fn statuses(lang: Lang, steps: &[CaseStatus]) -> String {
    names(steps.iter().map(|s| catalog().message(lang, &label_key("status", s.as_str()))))
}

fn names(words: impl Iterator<Item = String>) -> String {
    words.collect::<Vec<_>>().join(", ")
}

/// Counts of beds are never negative; a negative one would be a bug upstream and
/// reads as none rather than as a huge number.
fn count(n: i32) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::closure::ClosureBlocked;
    use crate::domain::lifecycle::TransitionRefused;
    use crate::domain::placement::{PlacementStatus, PlacementStepRefused};
    use crate::domain::referral::{ReferralStatus, ReferralStepRefused};
    use crate::domain::vocabulary::{ConsentGiver, ConsentPurpose};

    /// The name of each kind of refusal. The match has no catch-all, so a new kind
    /// does not compile until it is named here, next to the samples below.
    fn kind(error: &CaseError) -> &'static str {
        match error {
            CaseError::NotFound => "not_found",
            CaseError::Forbidden => "forbidden",
            CaseError::Invalid(_) => "invalid",
            CaseError::Keys(_) => "keys",
            CaseError::Stale { .. } => "stale",
            CaseError::Transition(_) => "transition",
            CaseError::ReferralStep(_) => "referral_step",
            CaseError::ConsentMissing { .. } => "consent_missing",
            CaseError::ClosureBlocked(_) => "closure_blocked",
            CaseError::AlreadyDecided => "already_decided",
            CaseError::AlreadyDone => "already_done",
            CaseError::AlreadyRequested => "already_requested",
            CaseError::PlacementStep(_) => "placement_step",
            CaseError::Beds(_) => "beds",
            CaseError::OverrideOnlyForChildren => "override_only_for_children",
            CaseError::CaseClosed => "case_closed",
            CaseError::HouseUnavailable(_) => "house_unavailable",
            CaseError::PlacementOpen { .. } => "placement_open",
            CaseError::RateLimited { .. } => "rate_limited",
        }
    }

    const EXPLAINED: [&str; 14] = [
        "placement_open",
        "stale",
        "transition",
        "referral_step",
        "consent_missing",
        "closure_blocked",
        "already_decided",
        "already_done",
        "already_requested",
        "placement_step",
        "beds",
        "override_only_for_children",
        "case_closed",
        "house_unavailable",
    ];

    /// Every refusal a page or the API explains, with the edge values that broke
    /// sentences before: empty lists, counts of 0, 1 and more.
    fn samples() -> Vec<CaseError> {
        let mut all = Vec::new();
        for record in [Versioned::Case, Versioned::Referral, Versioned::Placement] {
            all.push(CaseError::Stale { record, current: 3 });
        }
        for from in crate::domain::lifecycle::CaseStatus::ALL {
            for to in crate::domain::lifecycle::CaseStatus::ALL {
                if let Err(refused) = crate::domain::lifecycle::transition(from, to) {
                    all.push(CaseError::Transition(refused));
                }
            }
        }
        all.push(CaseError::Transition(TransitionRefused {
            from: crate::domain::lifecycle::CaseStatus::Closed,
            to: crate::domain::lifecycle::CaseStatus::Intake,
            allowed: &[],
        }));
        for from in ReferralStatus::ALL {
            for to in ReferralStatus::ALL {
                if let Err(refused) = crate::domain::referral::step(from, to) {
                    all.push(CaseError::ReferralStep(refused));
                }
            }
        }
        all.push(CaseError::ReferralStep(ReferralStepRefused {
            from: ReferralStatus::Completed,
            to: ReferralStatus::Pending,
            allowed: &[],
        }));
        for from in PlacementStatus::ALL {
            for to in PlacementStatus::ALL {
                if let Err(refused) = crate::domain::placement::step(from, to) {
                    all.push(CaseError::PlacementStep(refused));
                }
            }
        }
        all.push(CaseError::PlacementStep(PlacementStepRefused {
            from: PlacementStatus::CheckedOut,
            to: PlacementStatus::CheckedIn,
            allowed: &[],
        }));
        all.push(CaseError::ConsentMissing {
            purpose: ConsentPurpose::Placement,
            missing: vec![ConsentGiver::Guardian, ConsentGiver::Survivor],
        });
        for (open_referrals, active_placements) in [(1, 0), (0, 1), (1, 1), (2, 3), (0, 0)] {
            all.push(CaseError::ClosureBlocked(ClosureBlocked { open_referrals, active_placements }));
        }
        all.extend([CaseError::AlreadyDecided, CaseError::AlreadyDone, CaseError::AlreadyRequested]);
        for (capacity, needed) in [(1, 2), (2, 3), (1, 1)] {
            all.push(CaseError::Beds(BedsRefused::MoreThanCapacity { capacity, needed }));
        }
        for (free, needed) in [(0, 1), (1, 2), (2, 3), (0, 4)] {
            all.push(CaseError::Beds(BedsRefused::NotEnoughFree { free, needed }));
        }
        all.extend([
            CaseError::OverrideOnlyForChildren,
            CaseError::CaseClosed,
            CaseError::HouseUnavailable("no_children"),
            CaseError::HouseUnavailable("inactive"),
        ]);
        for status in [PlacementStatus::Requested, PlacementStatus::Accepted, PlacementStatus::CheckedIn] {
            all.push(CaseError::PlacementOpen {
                id: "p".into(),
                status,
                house: "Địa chỉ tin cậy Trần Phú".into(),
            });
        }
        all
    }

    /// What makes a sentence wrong whatever it says: an empty list, a placeable
    /// left over, an English count that disagrees with its noun.
    fn grammar_faults(text: &str) -> Vec<String> {
        let mut faults = Vec::new();
        for broken in [": .", ":.", ": ,", " ,", " .", "  ", "{", "}", "$", "“”"] {
            if text.contains(broken) {
                faults.push(format!("contains {broken:?}"));
            }
        }
        if !text.trim_end().ends_with('.') {
            faults.push("does not end a sentence".into());
        }
        let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        for pair in words.windows(2) {
            let (count, next) = (pair[0], pair[1]);
            let singular = count == "1" || count.eq_ignore_ascii_case("one");
            if singular && (next == "are" || (next.ends_with('s') && next.len() > 3 && next != "is")) {
                faults.push(format!("“{count} {next}”"));
            }
        }
        faults
    }

    #[test]
    fn every_kind_of_refusal_has_a_sample() {
        let kinds: std::collections::BTreeSet<&str> = samples().iter().map(kind).collect();
        for explained in EXPLAINED {
            assert!(kinds.contains(explained), "no sample of {explained}");
        }
    }

    #[test]
    fn refusals_speak_to_their_reader_in_both_languages_without_empty_lists_or_broken_plurals() {
        let mut faults = Vec::new();
        for error in samples() {
            for lang in [Lang::Vi, Lang::En] {
                for reader in Reader::ALL {
                    let Some(text) = for_reader(lang, reader, &error) else {
                        faults.push(format!("{} has no words", kind(&error)));
                        continue;
                    };
                    let mut found = grammar_faults(&text);
                    let staff_told_to_choose =
                        text.contains("chọn nơi khác") || text.contains("Choose another house");
                    if reader == Reader::HouseStaff && staff_told_to_choose {
                        found.push("tells the house's staff to choose a house".into());
                    }
                    if matches!(error, CaseError::Stale { record: Versioned::Placement, .. })
                        && (text.contains("Hồ sơ") || text.contains("case"))
                    {
                        found.push("calls a placement a case".into());
                    }
                    if lang == Lang::Vi && (text.contains("giường") || text.contains("giám sát viên")) {
                        found.push("uses a word the glossary replaces".into());
                    }
                    faults.extend(
                        found
                            .into_iter()
                            .map(|f| format!("{:?} {reader:?} {error:?}: {f} in “{text}”", lang)),
                    );
                }
            }
        }
        assert!(faults.is_empty(), "{} faults:\n{}", faults.len(), faults.join("\n"));
    }

    #[test]
    fn the_grammar_check_catches_what_the_field_trial_saw() {
        assert!(!grammar_faults("có thể chuyển sang: .").is_empty());
        assert!(!grammar_faults("Only 1 beds are free; 1 are needed.").is_empty());
        assert!(grammar_faults("Only one place is free now; one is needed.").is_empty());
    }
}
