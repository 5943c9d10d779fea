//! Seeding the demo's cases: each planned step is done through the case services
//! as the person who would do it, on the day it happens (a [`Caller`] with a past
//! `now`), so the cases, their deadlines and the audit log are what real use
//! would have left.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::plan::{By, CaseFacts, HouseStep, Step, Work};
use super::providers::Providers;
use crate::audit::Actor;
use crate::authz::{Policies, Principal};
use crate::domain::age::{AgeGroup, age_on};
use crate::domain::consent::Subject;
use crate::domain::deadlines::{Holidays, vietnam};
use crate::services::auth::{UserView, user_view};
use crate::services::cases::access::{Caller, CaseError};
use crate::services::cases::referrals::{self, ReferralRequest, ReferralUpdate};
use crate::services::cases::work::{
    self, ConsentRequest, MeasureRequest, NoteRequest, TransitionOutcome, TransitionRequest,
};
use crate::services::cases::{approvals, intake};
use crate::services::keys::{Keys, Progress};
use crate::services::placements::handling;
use crate::services::placements::request::{PlacementRequest, request_placement};
use crate::store::DbConn;

/// What seeding needs of the running instance.
pub struct DemoWorld {
    pub province: String,
    pub keys: Arc<Keys>,
    pub policies: Arc<Policies>,
    pub holidays: Arc<Holidays>,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo account {0} is missing (create the accounts first)")]
    MissingAccount(&'static str),
    /// A planned step the services refused: a mistake in the plan, named without
    /// the step's (fictional) personal data.
    #[error("demo case {case}, step {work}: {}", explain(.source))]
    Step { case: usize, work: &'static str, source: CaseError },
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error(transparent)]
    Auth(#[from] crate::services::auth::AuthError),
}

/// What a case has become so far: the ids later steps refer to.
#[derive(Default)]
struct CaseState {
    id: Option<Uuid>,
    /// The stay at the trusted address and its version; none once the house had
    /// no place and declined.
    stay: Option<(Uuid, i32)>,
    referrals: Vec<(Uuid, i32)>,
    follow_ups: Vec<Uuid>,
    approval: Option<Uuid>,
}

struct Seeder<'a> {
    world: &'a DemoWorld,
    worker: Principal,
    worker_id: Uuid,
    supervisor: Principal,
    supervisor_id: Uuid,
    staff: Principal,
    staff_id: Uuid,
    providers: Providers,
    facts: Vec<CaseFacts>,
    states: Vec<CaseState>,
}

/// Creates the demo's cases over the two years before `now`, as Chị Hạnh and
/// anh Dũng; returns how many.
pub fn seed_cases(
    conn: &mut DbConn,
    world: &DemoWorld,
    now: DateTime<Utc>,
    progress: &dyn Progress,
) -> Result<usize, DemoError> {
    let worker = account(conn, "hanh")?;
    let supervisor = account(conn, "dung")?;
    let staff = account(conn, "mai")?;
    let providers = Providers::register(conn, (now - Duration::days(800)).naive_utc())?;
    let (facts, steps) = super::world::plan(now);
    let mut seeder = Seeder {
        world,
        worker: Principal::of(&worker, &world.province),
        worker_id: worker.id,
        supervisor: Principal::of(&supervisor, &world.province),
        supervisor_id: supervisor.id,
        staff: Principal::of(&staff, &world.province),
        staff_id: staff.id,
        providers,
        states: facts.iter().map(|_| CaseState::default()).collect(),
        facts,
    };
    progress.start(steps.len() as u64, "Đang tạo dữ liệu mẫu…");
    // Thousands of small transactions: waiting for the disk at each commit would
    // be most of the time, and demo data can be made again.
    conn.set_relaxed_commits(true)?;
    let taken = seeder.take_all(conn, &steps, progress);
    conn.set_relaxed_commits(false)?;
    progress.finish();
    taken?;
    Ok(seeder.states.iter().filter(|s| s.id.is_some()).count())
}

fn explain(error: &CaseError) -> String {
    match error {
        CaseError::Invalid(problems) => {
            problems.iter().map(|p| format!("{} {}", p.field, p.message)).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    }
}

pub(super) fn account(conn: &mut DbConn, username: &'static str) -> Result<UserView, DemoError> {
    let row = crate::store::users::by_username(conn, username)?.ok_or(DemoError::MissingAccount(username))?;
    Ok(user_view(conn, &row)?)
}

impl Seeder<'_> {
    fn take_all(
        &mut self,
        conn: &mut DbConn,
        steps: &[Step],
        progress: &dyn Progress,
    ) -> Result<(), DemoError> {
        for (done, step) in steps.iter().enumerate() {
            self.take(conn, step).map_err(|source| DemoError::Step {
                case: step.case,
                work: step.work.name(),
                source,
            })?;
            if done % 50 == 0 {
                progress.advance(done as u64);
            }
        }
        Ok(())
    }

    fn caller(&self, step: &Step) -> Caller {
        let holder_is_worker = self.facts[step.case].holder_is_worker;
        let (principal, id) = match step.by {
            By::HouseStaff => (&self.staff, self.staff_id),
            By::Holder if holder_is_worker => (&self.worker, self.worker_id),
            _ => (&self.supervisor, self.supervisor_id),
        };
        Caller {
            principal: principal.clone(),
            actor: Actor::user(id, principal.role, Some("cli:demo".into())),
            now: step.at,
            policies: self.world.policies.clone(),
            keys: self.world.keys.clone(),
            holidays: self.world.holidays.clone(),
        }
    }

    fn take(&mut self, conn: &mut DbConn, step: &Step) -> Result<(), CaseError> {
        let caller = self.caller(step);
        if let Work::Intake(draft) = &step.work {
            self.states[step.case].id = Some(intake::record_intake(conn, &caller, draft)?.id);
            return Ok(());
        }
        let case_id = self.states[step.case].id.ok_or(CaseError::NotFound)?;
        let state = &mut self.states[step.case];
        match &step.work {
            Work::Intake(_) => {}
            Work::Move(to) => {
                move_case(conn, &caller, case_id, to.as_str(), None)?;
            }
            Work::Close(reason) => {
                if let TransitionOutcome::ApprovalRequested { approval_id } =
                    move_case(conn, &caller, case_id, "closed", Some(reason.as_str()))?
                {
                    state.approval = Some(approval_id);
                }
            }
            Work::Decide { approve } => {
                let approval = state.approval.take().ok_or(CaseError::NotFound)?;
                approvals::decide(
                    conn,
                    &caller,
                    approval,
                    *approve,
                    Some("Đồng ý theo đề xuất của cán bộ xã."),
                )?;
            }
            Work::Assess(factors) => {
                let factors: Vec<String> = factors.iter().map(|f| f.to_string()).collect();
                work::assess_risk(conn, &caller, case_id, &factors, None)?;
            }
            Work::Consent(purpose) => {
                let facts = &self.facts[step.case];
                let day = step.at.with_timezone(&vietnam()).date_naive();
                let age = age_on(facts.birth_date, day);
                let subject = Subject { age_group: AgeGroup::of_age(age), age: Some(age) };
                for giver in subject.needed_givers() {
                    let request = ConsentRequest {
                        purpose: purpose.as_str().into(),
                        given_by: giver.as_str().into(),
                        given_at: None,
                    };
                    work::record_consent(conn, &caller, case_id, &request)?;
                }
            }
            Work::Measure { kind, ordered_by, lasts } => {
                let request = MeasureRequest {
                    measure_type: kind.as_str().into(),
                    ordered_by: ordered_by.map(|o| o.as_str().to_string()),
                    starts_at: Some(step.at),
                    ends_at: lasts.map(|l| step.at + l),
                    details: None,
                };
                work::record_measure(conn, &caller, case_id, &request)?;
            }
            Work::Refer(service) => {
                let commune = self.facts[step.case].commune;
                let provider = self.providers.for_case(*service, commune).unwrap_or_default().to_string();
                let request = ReferralRequest { provider_id: provider, note: None };
                state.referrals.push((referrals::refer(conn, &caller, case_id, &request)?, 1));
            }
            Work::ReferralStep(nth, to) => {
                let (id, version) = state.referrals.get_mut(*nth).ok_or(CaseError::NotFound)?;
                let update = ReferralUpdate { status: to.as_str().into(), version: *version, note: None };
                *version = referrals::update_referral(conn, &caller, *id, &update)?.1;
            }
            Work::Note(text) => {
                let request = NoteRequest { kind: "note".into(), body: (*text).into(), due_at: None };
                work::add_note(conn, &caller, case_id, &request)?;
            }
            Work::FollowUp { text, due } => {
                let request =
                    NoteRequest { kind: "follow_up".into(), body: (*text).into(), due_at: Some(*due) };
                state.follow_ups.push(work::add_note(conn, &caller, case_id, &request)?);
            }
            Work::FollowUpDone(nth) => {
                let note = *state.follow_ups.get(*nth).ok_or(CaseError::NotFound)?;
                work::complete_follow_up(conn, &caller, case_id, note)?;
            }
            Work::Override(purpose) => {
                let reason = "Người giám hộ không đồng ý; chuyển gửi vì lợi ích tốt nhất của trẻ.";
                referrals::override_consent(conn, &caller, case_id, purpose.as_str(), reason)?;
            }
            Work::Erase(reason) => work::erase(conn, &caller, case_id, reason.as_str())?,
            Work::AskPlace { children } => {
                let request = PlacementRequest {
                    safe_house_id: super::DEMO_SAFE_HOUSE.into(),
                    alias: format!(
                        "Chị {}.",
                        ["A", "B", "C", "D", "G", "H", "L", "M", "N", "T"][step.case % 10]
                    ),
                    children: children.iter().map(|c| c.to_string()).collect(),
                    needs: Some("Chỗ ở tạm thời, quần áo.".into()),
                    expected_end_on: None,
                    // The house is in Trần Phú: a perpetrator of that ward needs the reason.
                    near_perpetrator_reason: (self.facts[step.case].commune == "18100")
                        .then(|| "Nơi kín đáo, có tổ bảo vệ của phường.".into()),
                };
                state.stay = Some((request_placement(conn, &caller, case_id, &request)?, 1));
            }
            Work::HouseStep(house_step) => {
                let Some((id, version)) = state.stay else { return Ok(()) };
                let done = match house_step {
                    HouseStep::Accept => {
                        match handling::accept(conn, &caller, id, version, Duration::hours(24)) {
                            // The house was full that day: it says so, and the stay does not happen.
                            Err(CaseError::Beds(_)) => {
                                handling::decline(conn, &caller, id, version, "no_bed")?;
                                state.stay = None;
                                return Ok(());
                            }
                            other => other?,
                        }
                    }
                    HouseStep::CheckIn => handling::check_in(conn, &caller, id, version)?,
                    HouseStep::CheckOut(outcome) => {
                        handling::check_out(conn, &caller, id, version, outcome.as_str())?
                    }
                };
                state.stay = Some((id, done.version));
            }
        }
        Ok(())
    }
}

const REOPEN_REASON: &str =
    "Người bị bạo lực báo lại bị đe dọa sau khi hồ sơ đóng; cần đánh giá lại nguy cơ.";

/// Moves a case on from the version it has now (no one else edits the demo).
fn move_case(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    to: &str,
    closure_reason: Option<&str>,
) -> Result<TransitionOutcome, CaseError> {
    let (row, _) =
        crate::store::case_work::case_with_profile(conn, &case_id.to_string())?.ok_or(CaseError::NotFound)?;
    let request = TransitionRequest {
        to: to.into(),
        version: row.version,
        closure_reason: closure_reason.map(str::to_string),
        comment: None,
        // A case reopened in the demo says why, as a worker must.
        reason: (row.status == "closed").then(|| REOPEN_REASON.to_string()),
    };
    work::move_case(conn, caller, case_id, &request)
}
