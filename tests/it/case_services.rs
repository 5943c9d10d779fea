//! Case services with a fixed clock: deadlines computed as the law counts them,
//! and random walks through the lifecycle that end where the domain model says.

use std::sync::Arc;

use binhan::audit::Actor;
use binhan::authz::Principal;
use binhan::domain::case_clock::{DeadlineKind, DeadlineState, state_of};
use binhan::domain::deadlines::{Holidays, vietnam_time};
use binhan::domain::intake::{IncidentDraft, IntakeDraft, PerpetratorDraft, SurvivorDraft};
use binhan::domain::lifecycle::{CaseStatus, transition};
use binhan::domain::role::Role;
use binhan::services::cases::access::{Caller, CaseError};
use binhan::services::cases::work::{TransitionOutcome, TransitionRequest, move_case};
use binhan::services::cases::{detail, intake, listing};
use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;

use crate::on_both_backends;
use crate::support::app::{account, policies};
use crate::support::db::{TestDb, load_units};

fn vn(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    vietnam_time(y, m, d, h, min).unwrap()
}

/// A social worker of Thành Sen at a moment of the test's choosing.
fn worker(db: &TestDb, conn: &mut binhan::store::DbConn, now: DateTime<Utc>) -> Caller {
    load_units(conn);
    let user = account(db, conn, "hanh", Role::SocialWorker);
    Caller {
        principal: Principal::of(&user, "42"),
        actor: Actor::user(user.id, Role::SocialWorker, None),
        now,
        policies: Arc::new(policies()),
        keys: Arc::new(db.keys()),
        holidays: Arc::new(Holidays::fixed_dates(2025..2028)),
    }
}

fn girl_reported_at(reported: DateTime<Utc>) -> IntakeDraft {
    IntakeDraft {
        report_source: "school".into(),
        report_channel: "in_person".into(),
        reported_at: Some(reported),
        commune_code: "18073".into(),
        survivor: SurvivorDraft {
            full_name: "Lê Thị Ngọc".into(),
            sex: "female".into(),
            birth_date: NaiveDate::from_ymd_opt(2014, 3, 2),
            ..Default::default()
        },
        incident: IncidentDraft { forms: vec!["physical".into()], ..Default::default() },
        perpetrator: PerpetratorDraft { relationship: "step_parent".into(), ..Default::default() },
        ..Default::default()
    }
}

on_both_backends! {
    fn a_child_case_reported_friday_at_five_pm_owes_an_intervention_by_saturday_five_am_and_a_plan_by_next_friday(db: TestDb) {
        let mut conn = db.migrated();
        // Friday 20 November 2026, 17:00 in Hà Tĩnh (journey 3), recorded ten minutes later.
        let reported = vn(2026, 11, 20, 17, 0);
        let mut hanh = worker(&db, &mut conn, vn(2026, 11, 20, 17, 10));
        let case = intake::record_intake(&mut conn, &hanh, &girl_reported_at(reported)).unwrap();

        hanh.now = vn(2026, 11, 21, 6, 0);
        let read = detail::case_detail(&mut conn, &hanh, case.id).unwrap();
        let due: Vec<_> = read.deadlines.iter().map(|d| (d.kind, d.due, state_of(d, hanh.now))).collect();
        assert_eq!(
            due,
            vec![
                (DeadlineKind::UrgentIntervention, vn(2026, 11, 21, 5, 0), DeadlineState::Overdue),
                (DeadlineKind::SupportPlan, vn(2026, 11, 27, 17, 0), DeadlineState::Open),
            ],
            "Saturday 05:00; the next Friday 17:00, weekend excluded"
        );
        let attention = listing::needing_attention(&mut conn, &hanh).unwrap();
        assert_eq!(attention.len(), 1, "the overdue case is on her home page");
        assert_eq!(attention[0].overdue, 1);

        let request = TransitionRequest { to: "assessment".into(), version: 1, closure_reason: None, comment: None, reason: None };
        move_case(&mut conn, &hanh, case.id, &request).unwrap();
        let read = detail::case_detail(&mut conn, &hanh, case.id).unwrap();
        assert_eq!(state_of(&read.deadlines[0], hanh.now), DeadlineState::Met, "acted on, even if late");
    }
}

on_both_backends! {
    fn random_steps_through_the_service_end_where_the_lifecycle_says(db: TestDb) {
        let mut setup = db.migrated();
        let hanh = worker(&db, &mut setup, Utc::now());
        let conn = std::cell::RefCell::new(setup);
        let mut adult = girl_reported_at(Utc::now() - chrono::Duration::hours(1));
        adult.survivor.birth_date = NaiveDate::from_ymd_opt(1990, 1, 1);
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 12, ..ProptestConfig::default() });
        let steps = prop::collection::vec(0usize..6, 1..14);
        runner
            .run(&steps, |steps| {
                let conn = &mut *conn.borrow_mut();
                let case = intake::record_intake(conn, &hanh, &adult).unwrap();
                let (mut status, mut version) = (CaseStatus::Intake, 1);
                for i in steps {
                    let to = CaseStatus::ALL[i];
                    let request = TransitionRequest {
                        to: to.as_str().into(),
                        version,
                        closure_reason: Some("goals_met".into()),
                        comment: None,
                        reason: Some("Chị quay lại sau khi bị đe dọa lần nữa".into()),
                    };
                    match (transition(status, to), move_case(conn, &hanh, case.id, &request)) {
                        (Ok(next), Ok(TransitionOutcome::Moved { status: moved, version: v })) => {
                            prop_assert_eq!(moved, next);
                            prop_assert_eq!(v, version + 1);
                            (status, version) = (next, v);
                        }
                        (Err(model), Err(CaseError::Transition(refused))) => {
                            prop_assert_eq!(refused.allowed, model.allowed)
                        }
                        (model, service) => {
                            return Err(TestCaseError::fail(format!("{status} → {to}: model {model:?}, service {service:?}")))
                        }
                    }
                }
                let read = detail::case_detail(conn, &hanh, case.id).unwrap();
                prop_assert_eq!(read.case.status.as_str(), status.as_str());
                prop_assert_eq!(read.case.version, version);
                Ok(())
            })
            .unwrap();
    }
}
