//! The deadlines a case owes, computed from what happened in it (design §8):
//! urgent intervention and support plan for child cases, a supervisor's decision
//! within 2 working days, the end of a no-contact order, and follow-up dates.
//! Nothing is stored: the same facts always give the same deadlines.

use chrono::{DateTime, Duration, Utc};

use super::deadlines::{Holidays, after_working_days, child_case_deadlines};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeadlineKind {
    UrgentIntervention,
    SupportPlan,
    Decision,
    NoContactOrderEnds,
    FollowUp,
}

impl DeadlineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::UrgentIntervention => "urgent_intervention",
            DeadlineKind::SupportPlan => "support_plan",
            DeadlineKind::Decision => "decision",
            DeadlineKind::NoContactOrderEnds => "no_contact_order_ends",
            DeadlineKind::FollowUp => "follow_up",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeadlineState {
    Overdue,
    DueSoon,
    Open,
    Met,
}

impl DeadlineState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineState::Overdue => "overdue",
            DeadlineState::DueSoon => "due_soon",
            DeadlineState::Open => "open",
            DeadlineState::Met => "met",
        }
    }
}

/// How far ahead a deadline counts as "due soon".
pub const DUE_SOON: Duration = Duration::hours(24);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub due: DateTime<Utc>,
    /// When what was owed was done; `None` while it is still owed.
    pub done: Option<DateTime<Utc>>,
}

impl Deadline {
    pub fn state(&self, now: DateTime<Utc>) -> DeadlineState {
        match self.done {
            Some(_) => DeadlineState::Met,
            None if now > self.due => DeadlineState::Overdue,
            None if now + DUE_SOON >= self.due => DeadlineState::DueSoon,
            None => DeadlineState::Open,
        }
    }
}

/// What a case's deadlines are computed from.
#[derive(Debug, Clone, Default)]
pub struct CaseFactsForClock {
    pub reported_at: DateTime<Utc>,
    pub is_child: bool,
    /// Closed cases owe nothing more.
    pub is_open: bool,
    /// When the case first left intake (the first intervention).
    pub first_action_at: Option<DateTime<Utc>>,
    /// When the case reached implementation (the support plan was made).
    pub plan_at: Option<DateTime<Utc>>,
    /// Requests waiting for a supervisor: when each was made.
    pub pending_requests: Vec<DateTime<Utc>>,
    /// No-contact orders: when each ends.
    pub no_contact_ends: Vec<DateTime<Utc>>,
    /// Follow-ups: when due, and when done.
    pub follow_ups: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
}

/// Every deadline of a case, soonest first. When a case is closed, what was still
/// owed is no longer listed.
pub fn deadlines(facts: &CaseFactsForClock, holidays: &Holidays) -> Vec<Deadline> {
    let mut all = Vec::new();
    if facts.is_child {
        let due = child_case_deadlines(facts.reported_at, holidays);
        all.push(Deadline {
            kind: DeadlineKind::UrgentIntervention,
            due: due.urgent_intervention,
            done: facts.first_action_at,
        });
        all.push(Deadline { kind: DeadlineKind::SupportPlan, due: due.support_plan, done: facts.plan_at });
    }
    for requested in &facts.pending_requests {
        all.push(Deadline {
            kind: DeadlineKind::Decision,
            due: after_working_days(*requested, 2, holidays),
            done: None,
        });
    }
    for ends in &facts.no_contact_ends {
        // The order's end is a date to act before (renew it, or plan the day after),
        // and once past it is simply over.
        all.push(Deadline { kind: DeadlineKind::NoContactOrderEnds, due: *ends, done: None });
    }
    for (due, done) in &facts.follow_ups {
        all.push(Deadline { kind: DeadlineKind::FollowUp, due: *due, done: *done });
    }
    if !facts.is_open {
        all.retain(|d| d.done.is_some());
    }
    all.sort_by_key(|d| (d.due, d.kind));
    all
}

/// The sort key of the lists: the soonest deadline still owed that can become
/// overdue (not yet done; a no-contact order's end is only ever due soon, then
/// over). So a case has something overdue exactly when this moment is past, and
/// "overdue first, then the soonest deadline" is an order on this one value. It
/// does not depend on the clock: it is stored with the case (`cases.next_due_at`)
/// and changes only when the case's facts do.
pub fn next_due(facts: &CaseFactsForClock, holidays: &Holidays) -> Option<DateTime<Utc>> {
    deadlines(facts, holidays)
        .into_iter()
        .filter(|d| d.done.is_none() && d.kind != DeadlineKind::NoContactOrderEnds)
        .map(|d| d.due)
        .min()
}

/// The state of a deadline, where a no-contact order that has ended is over, not
/// overdue.
pub fn state_of(deadline: &Deadline, now: DateTime<Utc>) -> DeadlineState {
    match (deadline.kind, deadline.state(now)) {
        (DeadlineKind::NoContactOrderEnds, DeadlineState::Overdue) => DeadlineState::Met,
        (_, state) => state,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn vn(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        crate::domain::deadlines::vietnam_time(y, m, d, h, 0).unwrap()
    }

    fn child_case_reported_friday_at_five() -> CaseFactsForClock {
        CaseFactsForClock {
            reported_at: vn(2026, 11, 20, 17),
            is_child: true,
            is_open: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_child_case_owes_an_intervention_by_saturday_morning_and_a_plan_by_next_friday() {
        let due = deadlines(&child_case_reported_friday_at_five(), &Holidays::default());
        assert_eq!(due[0].kind, DeadlineKind::UrgentIntervention);
        assert_eq!(due[0].due, vn(2026, 11, 21, 5));
        assert_eq!(due[1].kind, DeadlineKind::SupportPlan);
        assert_eq!(due[1].due, vn(2026, 11, 27, 17));
        assert_eq!(due[0].state(vn(2026, 11, 21, 6)), DeadlineState::Overdue);
        assert_eq!(due[1].state(vn(2026, 11, 21, 6)), DeadlineState::Open);
        assert_eq!(due[1].state(vn(2026, 11, 27, 8)), DeadlineState::DueSoon);
    }

    #[test]
    fn an_intervention_in_time_is_met() {
        let facts = CaseFactsForClock {
            first_action_at: Some(vn(2026, 11, 20, 21)),
            ..child_case_reported_friday_at_five()
        };
        let due = deadlines(&facts, &Holidays::default());
        assert_eq!(due[0].state(vn(2026, 11, 25, 8)), DeadlineState::Met);
    }

    #[test]
    fn an_adult_case_owes_only_what_was_planned() {
        let facts = CaseFactsForClock {
            reported_at: vn(2026, 11, 20, 17),
            is_open: true,
            follow_ups: vec![(vn(2026, 12, 1, 9), None)],
            ..Default::default()
        };
        let due = deadlines(&facts, &Holidays::default());
        assert_eq!(due.iter().map(|d| d.kind).collect::<Vec<_>>(), vec![DeadlineKind::FollowUp]);
    }

    #[test]
    fn a_supervisor_decides_within_two_working_days() {
        let facts = CaseFactsForClock {
            reported_at: vn(2026, 11, 1, 9),
            is_open: true,
            pending_requests: vec![vn(2026, 11, 20, 17)],
            ..Default::default()
        };
        assert_eq!(deadlines(&facts, &Holidays::default())[0].due, vn(2026, 11, 24, 17), "Friday → Tuesday");
    }

    #[test]
    fn a_closed_case_lists_only_what_was_done() {
        let facts = CaseFactsForClock { is_open: false, ..child_case_reported_friday_at_five() };
        assert!(deadlines(&facts, &Holidays::default()).is_empty());
    }

    #[test]
    fn an_ended_no_contact_order_is_over_not_overdue() {
        let order = Deadline { kind: DeadlineKind::NoContactOrderEnds, due: vn(2026, 3, 4, 9), done: None };
        assert_eq!(state_of(&order, vn(2026, 3, 5, 9)), DeadlineState::Met);
        assert_eq!(state_of(&order, vn(2026, 3, 4, 8)), DeadlineState::DueSoon);
    }

    fn any_facts() -> impl Strategy<Value = CaseFactsForClock> {
        let at = |range: std::ops::Range<i64>| range.prop_map(|h| vn(2026, 1, 1, 0) + Duration::hours(h));
        let maybe = |range: std::ops::Range<i64>| prop::option::of(at(range));
        (
            at(0..2_000),
            any::<bool>(),
            any::<bool>(),
            (maybe(0..3_000), maybe(0..3_000)),
            prop::collection::vec(at(0..3_000), 0..3),
            prop::collection::vec(at(0..3_000), 0..3),
            prop::collection::vec((at(0..3_000), maybe(0..3_000)), 0..4),
        )
            .prop_map(
                |(
                    reported_at,
                    is_child,
                    is_open,
                    (first_action_at, plan_at),
                    pending,
                    orders,
                    follow_ups,
                )| {
                    CaseFactsForClock {
                        reported_at,
                        is_child,
                        is_open,
                        first_action_at,
                        plan_at,
                        pending_requests: pending,
                        no_contact_ends: orders,
                        follow_ups,
                    }
                },
            )
    }

    proptest! {
        /// What the lists sort and filter by in SQL says the same as the deadlines
        /// computed at any moment: something is overdue exactly when the stored
        /// moment is past, and it is the soonest of the deadlines still owed.
        #[test]
        fn next_due_is_past_exactly_when_something_is_overdue(facts in any_facts(), hours in 0i64..4_000) {
            let holidays = Holidays::default();
            let now = vn(2026, 1, 1, 0) + Duration::hours(hours);
            let next = next_due(&facts, &holidays);
            let overdue = deadlines(&facts, &holidays).iter().any(|d| state_of(d, now) == DeadlineState::Overdue);
            prop_assert_eq!(next.is_some_and(|due| now > due), overdue);
            let owed = deadlines(&facts, &holidays)
                .into_iter()
                .find(|d| d.done.is_none() && d.kind != DeadlineKind::NoContactOrderEnds);
            prop_assert_eq!(next, owed.map(|d| d.due));
        }

        /// A deadline's state only ever moves forward in time: open, due soon, overdue.
        #[test]
        fn state_moves_forward_with_the_clock(hours in 0i64..400, later in 0i64..400) {
            let d = Deadline { kind: DeadlineKind::FollowUp, due: vn(2026, 1, 10, 9), done: None };
            let t = vn(2026, 1, 1, 0) + Duration::hours(hours);
            prop_assert!(d.state(t + Duration::hours(later)) <= d.state(t));
        }
    }
}
