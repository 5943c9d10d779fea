//! A placement in a safe house (design §9): `requested → accepted | declined →
//! checked_in → checked_out`, `requested | accepted → cancelled`. An accepted
//! placement holds its beds until check-in or until the hold expires; an expired
//! hold frees its beds by itself (nothing is written: it is read that way). An
//! expired hold is not checked in: the house holds the beds again (if they are
//! free) or the request is cancelled, so nobody arrives on beds given to another.

use std::fmt;

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlacementStatus {
    Requested,
    Accepted,
    /// Accepted, but not checked in before the hold ran out: never stored, read
    /// from `accepted` and the hold's end.
    HoldExpired,
    Declined,
    CheckedIn,
    CheckedOut,
    Cancelled,
}

impl PlacementStatus {
    pub const ALL: [PlacementStatus; 7] = [
        PlacementStatus::Requested,
        PlacementStatus::Accepted,
        PlacementStatus::HoldExpired,
        PlacementStatus::Declined,
        PlacementStatus::CheckedIn,
        PlacementStatus::CheckedOut,
        PlacementStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlacementStatus::Requested => "requested",
            PlacementStatus::Accepted => "accepted",
            PlacementStatus::HoldExpired => "hold_expired",
            PlacementStatus::Declined => "declined",
            PlacementStatus::CheckedIn => "checked_in",
            PlacementStatus::CheckedOut => "checked_out",
            PlacementStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The status as stored and as of `now`: an accepted placement whose hold ran
    /// out reads as `hold_expired`.
    pub fn as_of(stored: PlacementStatus, hold_expires: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Self {
        match (stored, hold_expires) {
            (PlacementStatus::Accepted, Some(end)) if now >= end => PlacementStatus::HoldExpired,
            (status, _) => status,
        }
    }

    /// What may follow. After an expired hold the house may hold the beds again
    /// (if they are free then) before she is checked in, or the request is
    /// cancelled.
    pub fn next(self) -> &'static [PlacementStatus] {
        use PlacementStatus::*;
        match self {
            Requested => &[Accepted, Declined, Cancelled],
            Accepted => &[CheckedIn, Cancelled],
            HoldExpired => &[Accepted, Cancelled],
            CheckedIn => &[CheckedOut],
            Declined | CheckedOut | Cancelled => &[],
        }
    }

    /// Takes beds now: a resident, or a hold still running.
    pub fn takes_beds(self) -> bool {
        matches!(self, PlacementStatus::Accepted | PlacementStatus::CheckedIn)
    }

    /// Keeps its case from closing.
    pub fn is_active(self) -> bool {
        matches!(self, PlacementStatus::Requested | PlacementStatus::Accepted | PlacementStatus::CheckedIn)
    }
}

impl fmt::Display for PlacementStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a placement that is {from} cannot become {to}; {}", allowed_text(.allowed))]
pub struct PlacementStepRefused {
    pub from: PlacementStatus,
    pub to: PlacementStatus,
    pub allowed: &'static [PlacementStatus],
}

fn allowed_text(allowed: &[PlacementStatus]) -> String {
    if allowed.is_empty() {
        "it is finished".into()
    } else {
        format!("it can become {}", allowed.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" or "))
    }
}

pub fn step(from: PlacementStatus, to: PlacementStatus) -> Result<PlacementStatus, PlacementStepRefused> {
    if from.next().contains(&to) {
        Ok(to)
    } else {
        Err(PlacementStepRefused { from, to, allowed: from.next() })
    }
}

/// The most a note during a stay may say: a short note, the case's own notes
/// are where a story goes.
pub const MAX_STAY_NOTE_CHARS: usize = 500;

/// Beds a placement needs: the survivor's and one for each child with her.
pub fn beds_for(children: usize) -> i32 {
    i32::try_from(children).unwrap_or(i32::MAX - 1).saturating_add(1)
}

/// Why beds cannot be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BedsRefused {
    #[error("the house has {capacity} beds in all; {needed} are needed")]
    MoreThanCapacity { capacity: i32, needed: i32 },
    #[error("{free} beds are free; {needed} are needed")]
    NotEnoughFree { free: i32, needed: i32 },
}

/// Whether `needed` beds can be taken in a house of `capacity` where `taken` are.
pub fn check_beds(capacity: i32, taken: i32, needed: i32) -> Result<(), BedsRefused> {
    if needed > capacity {
        return Err(BedsRefused::MoreThanCapacity { capacity, needed });
    }
    let free = (capacity - taken).max(0);
    if needed > free { Err(BedsRefused::NotEnoughFree { free, needed }) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_placement_is_accepted_checked_in_and_out() {
        let mut status = PlacementStatus::Requested;
        for next in [PlacementStatus::Accepted, PlacementStatus::CheckedIn, PlacementStatus::CheckedOut] {
            status = step(status, next).unwrap();
        }
        assert!(!status.takes_beds() && !status.is_active());
    }

    #[test]
    fn a_refused_step_names_the_allowed_ones() {
        let err = step(PlacementStatus::Requested, PlacementStatus::CheckedOut).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a placement that is requested cannot become checked_out; it can become accepted or declined or cancelled"
        );
        assert_eq!(
            step(PlacementStatus::CheckedIn, PlacementStatus::Cancelled).unwrap_err().allowed,
            &[PlacementStatus::CheckedOut]
        );
    }

    #[test]
    fn a_hold_runs_out_by_itself() {
        let accepted = Utc::now();
        let end = accepted + Duration::hours(24);
        assert_eq!(
            PlacementStatus::as_of(PlacementStatus::Accepted, Some(end), accepted),
            PlacementStatus::Accepted
        );
        let later = PlacementStatus::as_of(PlacementStatus::Accepted, Some(end), end);
        assert_eq!(later, PlacementStatus::HoldExpired);
        assert!(!later.takes_beds(), "its beds are free again");
    }

    #[test]
    fn an_expired_hold_is_shown_as_expired_and_cannot_be_checked_in() {
        let end = Utc::now();
        let expired =
            PlacementStatus::as_of(PlacementStatus::Accepted, Some(end), end + Duration::minutes(1));
        assert_eq!(expired.as_str(), "hold_expired");
        let refused = step(expired, PlacementStatus::CheckedIn).unwrap_err();
        assert_eq!(refused.allowed, &[PlacementStatus::Accepted, PlacementStatus::Cancelled]);
        assert_eq!(step(expired, PlacementStatus::Accepted), Ok(PlacementStatus::Accepted), "held again");
        assert_eq!(
            PlacementStatus::as_of(PlacementStatus::Accepted, Some(end), end - Duration::minutes(1)),
            PlacementStatus::Accepted,
            "a hold still running is checked in as before"
        );
    }

    #[test]
    fn a_woman_and_her_son_need_two_beds() {
        assert_eq!(beds_for(1), 2);
        assert_eq!(check_beds(10, 9, 2), Err(BedsRefused::NotEnoughFree { free: 1, needed: 2 }));
        assert_eq!(check_beds(3, 0, 4), Err(BedsRefused::MoreThanCapacity { capacity: 3, needed: 4 }));
        assert_eq!(check_beds(10, 8, 2), Ok(()));
    }

    proptest! {
        /// Whatever is asked in whatever order, the beds taken never exceed the
        /// capacity when each taking goes through `check_beds`.
        #[test]
        fn beds_taken_never_exceed_capacity(capacity in 1i32..20, asks in prop::collection::vec((0usize..4, any::<bool>()), 0..60)) {
            let mut taken = 0;
            let mut held: Vec<i32> = Vec::new();
            for (children, frees) in asks {
                if frees && !held.is_empty() {
                    taken -= held.pop().unwrap();
                } else if check_beds(capacity, taken, beds_for(children)).is_ok() {
                    taken += beds_for(children);
                    held.push(beds_for(children));
                }
                prop_assert!(taken <= capacity && taken >= 0);
            }
        }

        #[test]
        fn finished_placements_never_move(to in 0usize..7) {
            for done in [PlacementStatus::Declined, PlacementStatus::CheckedOut, PlacementStatus::Cancelled] {
                prop_assert!(step(done, PlacementStatus::ALL[to]).is_err());
            }
        }
    }
}
