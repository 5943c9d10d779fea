//! The demo's safe-house stays that the journeys need to be seen: a hold at Cô
//! Mai's house that ran out two days ago (she never arrived), so the board and
//! the case page show what an expired hold looks like. Recorded through the same
//! services as real work, each step on its own day.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::DEMO_SAFE_HOUSE;
use super::cases::{DemoError, DemoWorld, account};
use crate::audit::Actor;
use crate::authz::Principal;
use crate::domain::intake::{IncidentDraft, IntakeDraft, PerpetratorDraft, SurvivorDraft};
use crate::services::auth::UserView;
use crate::services::cases::access::{Caller, CaseError};
use crate::services::cases::{intake, work};
use crate::services::placements::handling;
use crate::services::placements::request::{PlacementRequest, request_placement};
use crate::store::DbConn;

fn as_user(world: &DemoWorld, user: &UserView, now: DateTime<Utc>) -> Caller {
    let principal = Principal::of(user, &world.province);
    Caller {
        actor: Actor::user(user.id, principal.role, Some("cli:demo".into())),
        principal,
        now,
        policies: world.policies.clone(),
        keys: world.keys.clone(),
        holidays: world.holidays.clone(),
    }
}

fn step<T>(work: &'static str, done: Result<T, CaseError>) -> Result<T, DemoError> {
    done.map_err(|source| DemoError::Step { case: 0, work, source })
}

/// A woman of Thành Sen whose place at Cô Mai's house was held from three days
/// ago for a day: she did not come. Returns the placement's id.
pub fn seed_stays(conn: &mut DbConn, world: &DemoWorld, now: DateTime<Utc>) -> Result<Uuid, DemoError> {
    let asked_at = now - Duration::days(3);
    let hanh = as_user(world, &account(conn, "hanh")?, asked_at);
    let mai = as_user(world, &account(conn, "mai")?, asked_at + Duration::hours(1));
    let draft = IntakeDraft {
        report_source: "self".into(),
        report_channel: "phone".into(),
        reported_at: Some(asked_at - Duration::hours(2)),
        commune_code: "18073".into(),
        survivor: SurvivorDraft {
            full_name: "Đặng Thị Hoài Thu".into(),
            sex: "female".into(),
            age_group: "25-59".into(),
            phone: "0915 204 117".into(),
            ..Default::default()
        },
        incident: IncidentDraft {
            forms: vec!["physical".into(), "economic".into()],
            narrative: "Chồng say rượu đánh, giữ hết tiền công; chị xin đi tạm lánh vài ngày.".into(),
            ..Default::default()
        },
        perpetrator: PerpetratorDraft { relationship: "spouse".into(), ..Default::default() },
        ..Default::default()
    };
    let case = step("stay intake", intake::record_intake(conn, &hanh, &draft))?.id;
    let consent =
        work::ConsentRequest { purpose: "placement".into(), given_by: "survivor".into(), given_at: None };
    step("stay consent", work::record_consent(conn, &hanh, case, &consent))?;
    let asked = PlacementRequest {
        safe_house_id: DEMO_SAFE_HOUSE.into(),
        alias: "Chị Thu".into(),
        needs: Some("Chỗ ngủ vài đêm".into()),
        ..Default::default()
    };
    let placement = step("stay request", request_placement(conn, &hanh, case, &asked))?;
    step("stay hold", handling::accept(conn, &mai, placement, 1, Duration::hours(24)))?;
    Ok(placement)
}
