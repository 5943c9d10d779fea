//! The mix of cases over the last two years: how many, when, where, who holds
//! them and how each goes; and the few cases a demo needs to show on the day
//! (child cases on the clock, requests waiting for the supervisor, erasures).

use chrono::{DateTime, Duration, Utc};

use super::communes::{Communes, HANH_COMMUNES, first_known_day, reform_day};
use super::plan::{By, CaseFacts, Course, Step, Timeline};
use super::random::Rng;
use super::reports::{self, Report};
use super::stories::Survivor;
use crate::domain::deadlines::vietnam;
use crate::domain::lifecycle::CaseStatus;
use crate::domain::vocabulary::{ConsentPurpose, ErasureReason};

/// The same world at every start.
const SEED: u64 = 0x42_B1_4A_A4;
/// Cases drawn at random; the cases of the day come on top.
const RANDOM_CASES: usize = 290;
/// Chị Hạnh's share: two busy urban wards of the provincial capital.
const HANH_SHARE: f64 = 0.35;

/// Every case's facts and all their steps, in the order they happen.
pub fn plan(now: DateTime<Utc>) -> (Vec<CaseFacts>, Vec<Step>) {
    let mut rng = Rng::new(SEED);
    let communes = Communes::of_ha_tinh();
    let mut world = World { rng: &mut rng, communes: &communes, now, cases: Vec::new(), steps: Vec::new() };
    for _ in 0..RANDOM_CASES {
        world.random_case();
    }
    world.cases_of_the_day();
    let World { cases, mut steps, .. } = world;
    steps.sort_by_key(|s| (s.at, s.case));
    (cases, steps)
}

struct World<'a> {
    rng: &'a mut Rng,
    communes: &'a Communes,
    now: DateTime<Utc>,
    cases: Vec<CaseFacts>,
    steps: Vec<Step>,
}

impl World<'_> {
    fn random_case(&mut self) {
        // More reports lately, as word of the service spreads.
        let u = self.rng.range(0, 1_000_000) as f64 / 1_000_000.0;
        let span = self.span().num_minutes() as f64;
        let ago = Duration::minutes((u.powf(1.3) * span) as i64) + Duration::hours(1);
        let reported_at = self.daytime(self.now - ago);
        let hanh = self.rng.chance(HANH_SHARE);
        let kind = reports::survivor_kind(self.rng);
        let months_old = ago.num_days() / 30;
        let mut course = Course {
            drop_out: self.rng.chance(0.1),
            relapse: self.rng.chance(0.12),
            reopen: self.rng.chance(0.05),
            closure_rejected: self.rng.chance(0.08),
            late_first_action: self.rng.chance(0.15),
            ..Course::default()
        };
        // Some cases take long: recent ones may stand at any step, old ones in follow-up.
        if months_old < 12 && self.rng.chance(0.25) {
            course.stop_at = Some(self.rng.weighted(&[
                (1, CaseStatus::Assessment),
                (2, CaseStatus::ActionPlanning),
                (4, CaseStatus::Implementation),
                (4, CaseStatus::FollowUp),
            ]));
        } else if self.rng.chance(0.04) {
            course.stop_at = Some(CaseStatus::FollowUp);
        }
        self.add(hanh, kind, reported_at, course);
    }

    /// What a demo shows today in Chị Hạnh's communes and the supervisor's queue.
    fn cases_of_the_day(&mut self) {
        let now = self.now;
        let child = Survivor::Child;
        let stop = |status| Course { stop_at: Some(status), ..Course::default() };
        // Reported last night: the 12-hour intervention is overdue.
        self.add(true, child, now - Duration::hours(14), stop(CaseStatus::Intake));
        // Reported this morning: due within hours.
        self.add(true, child, now - Duration::hours(3), stop(CaseStatus::Intake));
        // Assessed in time, but the support plan (5 working days) is late.
        self.add(true, child, now - Duration::days(9), stop(CaseStatus::Assessment));
        // Journey 3: the guardian refuses the referral; the override waits for anh Dũng.
        let waiting = Some((ConsentPurpose::ShareSocialProtection, By::Holder));
        let course = Course { override_purpose: waiting, ..stop(CaseStatus::ActionPlanning) };
        self.add(true, child, now - Duration::days(10), course);
        // The same, months ago: anh Dũng approved it and the girl was referred.
        let approved = Some((ConsentPurpose::ShareSocialProtection, By::Supervisor));
        self.add(
            true,
            child,
            now - Duration::days(70),
            Course { override_purpose: approved, ..Course::default() },
        );
        // High-risk cases whose closure Chị Hạnh asked for: in anh Dũng's queue.
        for (reported, asked) in [(300, Duration::days(4)), (240, Duration::hours(5))] {
            let waits = Course { closure_waits: Some(asked), high_risk: true, ..Course::default() };
            self.add(true, Survivor::Woman, now - Duration::days(reported), waits);
        }
        // Erased: at the survivor's request after closure, and a case entered in error.
        let asked = Course { erase: Some(ErasureReason::SurvivorRequest), ..Course::default() };
        self.add(false, Survivor::Woman, now - Duration::days(400), asked);
        let mistake = Course { erase: Some(ErasureReason::EnteredInError), ..stop(CaseStatus::Intake) };
        self.add(false, Survivor::Woman, now - Duration::days(20), mistake);
    }

    /// How far back reports go: two years, but not before the first day the
    /// administrative units are known for.
    fn span(&self) -> Duration {
        let first = first_known_day().and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        (self.now - first).min(Duration::days(730))
    }

    /// A time of day people report at: 06:00 to 22:00 in Vietnam, on the same day.
    fn daytime(&mut self, at: DateTime<Utc>) -> DateTime<Utc> {
        let local = at.with_timezone(&vietnam());
        let day = local.date_naive();
        let minute = self.rng.range(6 * 60, 22 * 60);
        let time = day.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::minutes(minute);
        let candidate = time.and_local_timezone(vietnam()).single().map_or(at, |t| t.with_timezone(&Utc));
        candidate.min(self.now - Duration::hours(1))
    }

    fn add(&mut self, hanh: bool, kind: Survivor, reported_at: DateTime<Utc>, course: Course) {
        let home = if hanh { self.rng.pick(&HANH_COMMUNES) } else { self.communes.elsewhere(self.rng) };
        let day = reported_at.with_timezone(&vietnam()).date_naive();
        let commune = if day < reform_day() {
            // Mostly the old communes that are gone; now and then one whose code lived on.
            let old = self.communes.old_communes_of(home);
            let gone = old.iter().filter(|c| **c != home).count().max(1);
            let upto = if self.rng.chance(0.75) { gone } else { old.len() };
            old.get(self.rng.range(0, upto as i64) as usize).copied().unwrap_or(home)
        } else {
            home
        };
        // Chị Hạnh records what happens in her communes; elsewhere, and in the old
        // communes she was never assigned, the supervisor does.
        let holder_is_worker = HANH_COMMUNES.contains(&commune);
        let report: Report = reports::report(self.rng, kind, commune, reported_at);
        let is_child = kind == Survivor::Child;
        let case = self.cases.len();
        self.cases.push(CaseFacts { holder_is_worker, commune, birth_date: report.birth_date });
        Timeline::new(self.rng, &mut self.steps, case, reported_at, self.now).run(
            &report,
            is_child,
            holder_is_worker,
            course,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::plan::{HouseStep, Work};
    use super::*;
    use crate::domain::age::age_on;

    fn is_child(facts: &CaseFacts, at: DateTime<Utc>) -> bool {
        age_on(facts.birth_date, at.with_timezone(&vietnam()).date_naive()) < 16
    }

    /// Whether `text` calls someone "chị" (a woman older than the speaker).
    fn says_chi(text: &str) -> bool {
        text.split(|c: char| !c.is_alphanumeric()).any(|w| w == "chị" || w == "Chị")
    }

    #[test]
    fn demo_stories_are_coherent_for_who_the_survivor_is() {
        let now = Utc::now();
        let (facts, steps) = plan(now);
        let mut without_mental = 0;
        let mut intakes = 0;
        for step in &steps {
            let child = is_child(&facts[step.case], step.at);
            match &step.work {
                Work::Intake(draft) => {
                    intakes += 1;
                    if !draft.incident.forms.iter().any(|f| f == "mental") {
                        without_mental += 1;
                    }
                    if child {
                        let place = &draft.incident.place;
                        assert!(!place.contains("chồng"), "a child's incident at her in-laws': {place}");
                        assert!(
                            !says_chi(&draft.incident.narrative),
                            "a child called chị: {}",
                            draft.incident.narrative
                        );
                        assert!(!says_chi(&draft.survivor.safe_contact), "{}", draft.survivor.safe_contact);
                    }
                }
                Work::Note(text) if child => assert!(!says_chi(text), "a note calls a child chị: {text}"),
                _ => {}
            }
        }
        assert!(without_mental * 5 >= intakes, "{without_mental} of {intakes} cases have no mental violence");
        assert!(without_mental < intakes, "every case would be mental violence");
    }

    #[test]
    fn demo_stays_at_the_trusted_address_are_all_over_before_today() {
        let now = Utc::now();
        let (_, steps) = plan(now);
        let asked: std::collections::BTreeSet<usize> =
            steps.iter().filter(|s| matches!(s.work, Work::AskPlace { .. })).map(|s| s.case).collect();
        let left: std::collections::BTreeSet<usize> = steps
            .iter()
            .filter(|s| matches!(s.work, Work::HouseStep(HouseStep::CheckOut(_))))
            .map(|s| s.case)
            .collect();
        assert!(left.len() >= 10, "{} past stays of {} asked", left.len(), asked.len());
        assert_eq!(asked, left, "every stay ended before today, so the house's places are free");
    }
}
