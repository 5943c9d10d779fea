//! The course of each fictional case as a list of dated steps, planned before
//! anything is written: reported, assessed, planned, referred, followed up,
//! closed, sometimes reopened. A step later than now is not taken, so the recent
//! cases stop where they would be today, in every state.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::random::Rng;
use super::reports::Report;
use crate::domain::closure::closure_needs_approval;
use crate::domain::intake::IntakeDraft;
use crate::domain::lifecycle::CaseStatus;
use crate::domain::referral::ReferralStatus;
use crate::domain::risk::{RiskFactor, assess};
use crate::domain::vocabulary::{
    CheckOutOutcome, ClosureReason, ConsentPurpose, ErasureReason, MeasureType, OrderedBy, ServiceType,
};

/// Who takes a step: the case's holder (Chị Hạnh for her communes, the supervisor
/// elsewhere), or the supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Holder,
    Supervisor,
    /// Cô Mai, the staff of the demo's trusted address.
    HouseStaff,
}

#[derive(Debug, Clone)]
pub enum Work {
    Intake(Box<IntakeDraft>),
    Move(CaseStatus),
    Close(ClosureReason),
    Assess(Vec<&'static str>),
    /// Everyone whose consent the purpose needs gives it.
    Consent(ConsentPurpose),
    Measure {
        kind: MeasureType,
        ordered_by: Option<OrderedBy>,
        lasts: Option<Duration>,
    },
    Refer(ServiceType),
    /// The case's nth referral moves on.
    ReferralStep(usize, ReferralStatus),
    Note(&'static str),
    FollowUp {
        text: &'static str,
        due: DateTime<Utc>,
    },
    /// The case's nth follow-up is done.
    FollowUpDone(usize),
    /// A worker asks for a best-interest override; a supervisor's is approved at once.
    Override(ConsentPurpose),
    /// The supervisor decides the closure request waiting on the case.
    Decide {
        approve: bool,
    },
    Erase(ErasureReason),
    /// The holder asks the demo's trusted address for a place, for her and the
    /// children (age groups) who come with her.
    AskPlace {
        children: &'static [&'static str],
    },
    /// The house answers the request, or takes the next step of the stay.
    HouseStep(HouseStep),
}

/// A step of a stay, as the house's staff take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HouseStep {
    Accept,
    CheckIn,
    CheckOut(CheckOutOutcome),
}

impl Work {
    pub fn name(&self) -> &'static str {
        match self {
            Work::Intake(_) => "intake",
            Work::Move(_) => "move",
            Work::Close(_) => "close",
            Work::Assess(_) => "assess",
            Work::Consent(_) => "consent",
            Work::Measure { .. } => "measure",
            Work::Refer(_) => "refer",
            Work::ReferralStep(..) => "referral step",
            Work::Note(_) => "note",
            Work::FollowUp { .. } => "follow-up",
            Work::FollowUpDone(_) => "follow-up done",
            Work::Override(_) => "override",
            Work::Decide { .. } => "decide",
            Work::Erase(_) => "erase",
            Work::AskPlace { .. } => "ask for a place",
            Work::HouseStep(HouseStep::Accept) => "accept a placement",
            Work::HouseStep(HouseStep::CheckIn) => "check in",
            Work::HouseStep(HouseStep::CheckOut(_)) => "check out",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Step {
    pub at: DateTime<Utc>,
    pub case: usize,
    pub by: By,
    pub work: Work,
}

/// How a case goes: the defaults are the usual course to closure.
#[derive(Debug, Clone, Copy, Default)]
pub struct Course {
    /// Stays open after reaching this step (as long-running work does).
    pub stop_at: Option<CaseStatus>,
    /// Closed early: she withdrew, moved or could not be reached.
    pub drop_out: bool,
    /// Goes back from follow-up to implementation once.
    pub relapse: bool,
    pub reopen: bool,
    /// A supervisor rejects the closure request (the case goes on).
    pub closure_rejected: bool,
    /// A child case whose first intervention came after the 12 hours.
    pub late_first_action: bool,
    /// The guardian refuses: a best-interest override for this purpose, given by
    /// the supervisor (approved at once) or asked by the worker (waiting).
    pub override_purpose: Option<(ConsentPurpose, By)>,
    /// The worker asked this long ago for the closure, and the request still
    /// waits in the supervisor's queue.
    pub closure_waits: Option<Duration>,
    /// Threats to kill among the risk factors (a closure then needs approval).
    pub high_risk: bool,
    pub erase: Option<ErasureReason>,
}

/// What the runner needs of a case besides its steps.
pub struct CaseFacts {
    pub holder_is_worker: bool,
    pub commune: &'static str,
    pub birth_date: NaiveDate,
}

/// Builds one case's steps on a clock that only moves forward; once a step would
/// be later than now, the case stops there.
pub struct Timeline<'a> {
    rng: &'a mut Rng,
    steps: &'a mut Vec<Step>,
    case: usize,
    t: DateTime<Utc>,
    now: DateTime<Utc>,
    stopped: bool,
    referrals: usize,
    follow_ups: usize,
}

fn minutes(rng: &mut Rng, lo: i64, hi: i64) -> Duration {
    Duration::minutes(rng.range(lo, hi))
}

fn hours(rng: &mut Rng, lo: i64, hi: i64) -> Duration {
    Duration::minutes(rng.range(lo * 60, hi * 60))
}

fn days(rng: &mut Rng, lo: i64, hi: i64) -> Duration {
    Duration::minutes(rng.range(lo * 24 * 60, hi * 24 * 60))
}

impl<'a> Timeline<'a> {
    pub fn new(
        rng: &'a mut Rng,
        steps: &'a mut Vec<Step>,
        case: usize,
        start: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        Timeline { rng, steps, case, t: start, now, stopped: false, referrals: 0, follow_ups: 0 }
    }

    /// Takes `work` `after` the previous step, unless that is later than now.
    fn then(&mut self, after: Duration, by: By, work: Work) -> bool {
        self.t += after.max(Duration::minutes(1));
        if self.stopped || self.t > self.now {
            self.stopped = true;
            return false;
        }
        self.steps.push(Step { at: self.t, case: self.case, by, work });
        true
    }

    fn soon(&mut self, work: Work) -> bool {
        let pause = minutes(self.rng, 5, 40);
        self.then(pause, By::Holder, work)
    }

    /// The whole course of a case reported at the timeline's start, and its
    /// erasure when the course ends with one.
    pub fn run(mut self, report: &Report, is_child: bool, holder_is_worker: bool, course: Course) {
        self.course(report, is_child, holder_is_worker, course);
        if let Some(reason) = course.erase {
            let pause = days(self.rng, 1, 30);
            self.then(pause, By::Supervisor, Work::Erase(reason));
        }
    }

    fn course(&mut self, report: &Report, is_child: bool, holder_is_worker: bool, course: Course) {
        let story = report.story;
        let delay = minutes(self.rng, 10, 90);
        self.then(delay, By::Holder, Work::Intake(Box::new(report.draft.clone())));
        if course.stop_at == Some(CaseStatus::Intake) {
            return;
        }
        let first_action = match (is_child, course.late_first_action) {
            (true, false) => hours(self.rng, 1, 10),
            (true, true) => hours(self.rng, 14, 40),
            (false, _) => hours(self.rng, 2, 72),
        };
        self.then(first_action, By::Holder, Work::Move(CaseStatus::Assessment));
        self.soon(Work::Consent(ConsentPurpose::Services));
        self.soon(Work::Consent(ConsentPurpose::Statistics));
        let mut factors = self.risk_factors(story.risk_factors, course);
        self.soon(Work::Assess(factors.clone()));
        let note = self.rng.pick(super::stories::notes(story.survivor));
        let pause = hours(self.rng, 4, 48);
        self.then(pause, By::Holder, Work::Note(note));
        if course.drop_out {
            let reason = self.rng.pick(&[
                ClosureReason::ConsentWithdrawn,
                ClosureReason::NoContactPossible,
                ClosureReason::MovedAway,
            ]);
            let pause = days(self.rng, 3, 25);
            self.close(pause, reason, &factors, is_child, holder_is_worker, course);
            return;
        }
        if course.stop_at == Some(CaseStatus::Assessment) {
            return;
        }
        let pause = days(self.rng, 1, 6);
        self.then(pause, By::Holder, Work::Move(CaseStatus::ActionPlanning));
        if let Some((purpose, by)) = course.override_purpose {
            let pause = minutes(self.rng, 5, 40);
            self.then(pause, by, Work::Override(purpose));
        }
        let services = self.rng.range(1, 4) as usize;
        let mut override_used = false;
        for service in self.rng.some_of(story.services, services) {
            let purpose = ConsentPurpose::for_referral(service);
            match course.override_purpose {
                // Without the guardian's consent, the referral waits for the override.
                Some((overridden, By::Holder)) if overridden == purpose => continue,
                // An override covers one referral: a second service for the same
                // purpose (a child protection service after the social protection
                // centre) would need another one.
                Some((overridden, By::Supervisor)) if overridden == purpose && override_used => continue,
                Some((overridden, By::Supervisor)) if overridden == purpose => override_used = true,
                _ => {
                    self.soon(Work::Consent(purpose));
                }
            }
            self.soon(Work::Refer(service));
            self.referrals += 1;
        }
        self.measures(story.measures);
        // Some women in danger stay a while at the trusted address, so the house's
        // board and the reports' placements have a past. Only stays that ended
        // before today: the demo opens with the house's three places free, as the
        // journeys need them.
        let long_ago = self.now - self.t > Duration::days(30);
        if story.services.contains(&ServiceType::SafeHouse)
            && course.override_purpose.is_none()
            && long_ago
            && self.rng.chance(0.3)
        {
            self.stay();
        }
        if course.stop_at == Some(CaseStatus::ActionPlanning) {
            return;
        }
        let plan = if is_child { days(self.rng, 1, 5) } else { days(self.rng, 2, 9) };
        self.then(plan, By::Holder, Work::Move(CaseStatus::Implementation));
        self.settle_referrals();
        if self.rng.chance(0.35) {
            factors = self.risk_factors(story.risk_factors, course);
            let pause = days(self.rng, 2, 10);
            self.then(pause, By::Holder, Work::Assess(factors.clone()));
        }
        self.follow_up_round(7, 14);
        if course.stop_at == Some(CaseStatus::Implementation) {
            return;
        }
        let pause = days(self.rng, 3, 30);
        self.then(pause, By::Holder, Work::Move(CaseStatus::FollowUp));
        for _ in 0..self.rng.range(1, 4) {
            self.follow_up_round(14, 35);
        }
        if course.relapse {
            let pause = days(self.rng, 1, 5);
            self.then(pause, By::Holder, Work::Move(CaseStatus::Implementation));
            self.measures(story.measures);
            self.follow_up_round(7, 21);
            let pause = days(self.rng, 5, 30);
            self.then(pause, By::Holder, Work::Move(CaseStatus::FollowUp));
            self.follow_up_round(14, 35);
        }
        if course.stop_at == Some(CaseStatus::FollowUp) {
            return;
        }
        let reason = self.rng.weighted(&[
            (50, ClosureReason::GoalsMet),
            (30, ClosureReason::SafeAndStable),
            (10, ClosureReason::MovedAway),
            (5, ClosureReason::Other),
        ]);
        let pause = match course.closure_waits {
            Some(ago) => self.now - ago - self.t,
            None => days(self.rng, 5, 30),
        };
        if self.close(pause, reason, &factors, is_child, holder_is_worker, course) && course.reopen {
            let pause = days(self.rng, 30, 120);
            self.then(pause, By::Holder, Work::Move(CaseStatus::Assessment));
            self.soon(Work::Note("Mở lại hồ sơ: người có hành vi bạo lực quay lại đe dọa."));
            let again = self.rng.some_of(story.risk_factors, 3);
            self.soon(Work::Assess(again));
            let pause = days(self.rng, 2, 10);
            self.then(pause, By::Holder, Work::Move(CaseStatus::ActionPlanning));
        }
    }

    /// Closes, or asks the supervisor to, and has the request decided; true when
    /// the case ended closed.
    fn close(
        &mut self,
        after: Duration,
        reason: ClosureReason,
        factors: &[&str],
        is_child: bool,
        holder_is_worker: bool,
        course: Course,
    ) -> bool {
        if !self.then(after, By::Holder, Work::Close(reason)) {
            return false;
        }
        let parsed: Vec<RiskFactor> = factors.iter().filter_map(|f| RiskFactor::parse(f)).collect();
        if !holder_is_worker || !closure_needs_approval(Some(assess(&parsed)), is_child) {
            return true;
        }
        if course.closure_waits.is_some() {
            return false;
        }
        let wait = days(self.rng, 0, 3) + hours(self.rng, 1, 8);
        let approve = !course.closure_rejected;
        self.then(wait, By::Supervisor, Work::Decide { approve }) && approve
    }

    /// A stay at the trusted address: consent, the request, the house accepts within
    /// hours, she arrives the same day or the next, and leaves after days or weeks.
    fn stay(&mut self) {
        self.soon(Work::Consent(ConsentPurpose::Placement));
        let children: &'static [&'static str] =
            self.rng.weighted(&[(6, &[][..]), (3, &["6-11"][..]), (1, &["0-5", "6-11"][..])]);
        self.soon(Work::AskPlace { children });
        let answer = hours(self.rng, 1, 6);
        self.then(answer, By::HouseStaff, Work::HouseStep(HouseStep::Accept));
        let arrival = hours(self.rng, 2, 20);
        self.then(arrival, By::HouseStaff, Work::HouseStep(HouseStep::CheckIn));
        let outcome = self.rng.weighted(&[
            (45, CheckOutOutcome::WithRelatives),
            (35, CheckOutOutcome::ReturnedHomeSafely),
            (10, CheckOutOutcome::SocialProtectionCentre),
            (10, CheckOutOutcome::Other),
        ]);
        let stay = days(self.rng, 2, 21);
        self.then(stay, By::HouseStaff, Work::HouseStep(HouseStep::CheckOut(outcome)));
    }

    /// What a checklist finds: one to four of the story's factors.
    fn risk_factors(&mut self, pool: &'static [&'static str], course: Course) -> Vec<&'static str> {
        let k = self.rng.range(1, 5) as usize;
        let mut factors = self.rng.some_of(pool, k);
        if course.high_risk {
            factors.push("threats_to_kill");
        }
        factors
    }

    fn measures(&mut self, pool: &'static [MeasureType]) {
        let n = self.rng.range(0, 3) as usize;
        for kind in self.rng.some_of(pool, n) {
            let (ordered_by, lasts) = match kind {
                MeasureType::NoContactOrder if self.rng.chance(0.6) => {
                    (Some(OrderedBy::CommuneChair), Some(hours(self.rng, 24, 72)))
                }
                MeasureType::NoContactOrder => (Some(OrderedBy::Court), Some(days(self.rng, 30, 120))),
                MeasureType::OrderToStop | MeasureType::SummonsToCommunePolice => {
                    (Some(OrderedBy::CommunePolice), None)
                }
                _ => (None, None),
            };
            self.soon(Work::Measure { kind, ordered_by, lasts });
        }
    }

    /// Each referral is accepted and completed, or declined, or cancelled.
    fn settle_referrals(&mut self) {
        for nth in 0..self.referrals {
            let outcome = self.rng.weighted(&[
                (75, ReferralStatus::Accepted),
                (15, ReferralStatus::Declined),
                (10, ReferralStatus::Cancelled),
            ]);
            let pause = days(self.rng, 0, 4);
            self.then(pause, By::Holder, Work::ReferralStep(nth, outcome));
            if outcome == ReferralStatus::Accepted {
                let pause = days(self.rng, 3, 20);
                self.then(pause, By::Holder, Work::ReferralStep(nth, ReferralStatus::Completed));
            }
        }
    }

    /// A follow-up planned `lo..hi` days ahead, done around its date (sometimes
    /// late: overdue until it is).
    fn follow_up_round(&mut self, lo: i64, hi: i64) {
        let text = self.rng.pick(super::stories::FOLLOW_UPS);
        let due = self.t + days(self.rng, lo, hi);
        if !self.soon(Work::FollowUp { text, due }) {
            return;
        }
        let nth = self.follow_ups;
        self.follow_ups += 1;
        let done_at = due + hours(self.rng, -48, 240);
        let pause = done_at - self.t;
        self.then(pause, By::Holder, Work::FollowUpDone(nth));
    }
}
