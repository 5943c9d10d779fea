//! Stays in a safe house (issue 15, items 11 and 12): a hold that ran out is
//! shown as expired and cannot be checked in as it is; staff record short notes
//! during a stay that the case's worker reads on the case page; on both databases,
//! through the services, the JSON API and the pages.

use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::init_service;
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::cases::access::Caller;
use binhan::services::cases::{intake, work};
use binhan::services::placements::handling;
use binhan::services::placements::request::{PlacementRequest, request_placement};
use chrono::{Duration, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::on_both_backends;
use crate::sign_in_pages::{Browser, sign_in};
use crate::support::api::{self, send};
use crate::support::app::{PASSWORD, account, caller, safe_house, staff_of, state};
use crate::support::db::{TestDb, load_units};

const NAME: &str = "Võ Thị Hồng Nhung";
const ALIAS: &str = "Chị Nhung";

/// Chị Hạnh, worker of Thành Sen; Cô Mai's house (3 places) and Cô Mai.
struct World {
    worker: Caller,
    staff: Caller,
    house: String,
}

fn world(db: &TestDb) -> World {
    let mut conn = db.migrated();
    load_units(&mut conn);
    let house = safe_house(db, &mut conn, "Địa chỉ tin cậy Thạch Hạ", 3);
    let hanh = account(db, &mut conn, "hanh", Role::SocialWorker);
    let mai = staff_of(db, &mut conn, "mai", &house);
    World { worker: caller(db, &hanh), staff: caller(db, &mai), house }
}

/// A report of `name` in Thành Sen, an hour before `at`.
pub(crate) fn draft(name: &str, at: chrono::DateTime<Utc>) -> binhan::domain::intake::IntakeDraft {
    use binhan::domain::intake::*;
    IntakeDraft {
        report_source: "police".into(),
        report_channel: "phone".into(),
        reported_at: Some(at - Duration::hours(1)),
        commune_code: "18073".into(),
        survivor: SurvivorDraft {
            full_name: name.into(),
            sex: "female".into(),
            age_group: "25-59".into(),
            ..Default::default()
        },
        incident: IncidentDraft {
            forms: vec!["physical".into()],
            narrative: "Bị chồng đánh.".into(),
            ..Default::default()
        },
        perpetrator: PerpetratorDraft { relationship: "spouse".into(), ..Default::default() },
        ..Default::default()
    }
}

/// A case of `name` reported at the worker's `now`, whose survivor agreed to a
/// safe house; her placement at `house`, requested then (returns both ids).
pub(crate) fn requested_for(
    conn: &mut binhan::store::DbConn,
    worker: &Caller,
    house: &str,
    name: &str,
) -> (Uuid, Uuid) {
    let case = intake::record_intake(conn, worker, &draft(name, worker.now)).unwrap().id;
    let consent =
        work::ConsentRequest { purpose: "placement".into(), given_by: "survivor".into(), given_at: None };
    work::record_consent(conn, worker, case, &consent).unwrap();
    let asked = PlacementRequest { safe_house_id: house.into(), alias: ALIAS.into(), ..Default::default() };
    let placement = request_placement(conn, worker, case, &asked).unwrap();
    (case, placement)
}

fn requested(db: &TestDb, w: &World) -> (Uuid, Uuid) {
    requested_for(&mut db.conn(), &w.worker, &w.house, NAME)
}

pub(crate) async fn signed_in<S, B>(app: &S, username: &str) -> Browser
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut browser = Browser::default();
    let res = sign_in(app, &mut browser, username, PASSWORD, "").await;
    assert_eq!(res.status, 303, "{username} signs in: {}", res.html);
    browser
}

/// The part of a page from `start` to the end of its element `end` (a section or
/// an article), to look at one placement or one group of a board.
fn part<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start} in {html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).map_or(rest.len(), |at| at + end.len())]
}

on_both_backends! {
    async fn an_expired_hold_shows_as_expired_with_no_check_in_on_the_board_and_the_case_page(db: TestDb) {
        let mut w = world(&db);
        let two_days_ago = Utc::now() - Duration::days(2);
        w.worker.now = two_days_ago;
        w.staff.now = two_days_ago;
        let (case, placement) = requested(&db, &w);
        handling::accept(&mut db.conn(), &w.staff, placement, 1, Duration::hours(24)).unwrap();
        let app = init_service(app(state(&db))).await;

        // The API says it as it is now, and refuses to check her in on a hold that ran out.
        let mai = api::sign_in(&app, "mai", false).await;
        let (_, board) = send(&app, api::get("/placements", &mai)).await;
        assert_eq!(board["placements"][0]["status"], "hold_expired", "{board}");
        assert_eq!(board["house"]["free"], 3, "its places are free again");
        let check_in = api::post(&format!("/placements/{placement}/check-in"), &mai, json!({"version": 2}));
        let (status, refused) = send(&app, check_in).await;
        assert_eq!(status, 409, "{refused}");
        assert_eq!(refused["allowed"], json!(["accepted", "cancelled"]), "hold again, or cancel");
        assert!(refused["detail"].as_str().unwrap().contains("Hết hạn giữ chỗ"), "{refused}");

        // The board: under "Hết hạn giữ chỗ", no check-in, the places can be held again.
        let mut browser = signed_in(&app, "mai").await;
        let page = browser.send(&app, browser.get("/placements")).await;
        assert_eq!(page.status, 200);
        let holds = part(&page.html, r#"id="holds""#, "</section>");
        assert!(!holds.contains(ALIAS), "not among the holds still running: {holds}");
        let expired = part(&page.html, r#"id="expired""#, "</section>");
        assert!(expired.contains("Hết hạn giữ chỗ") && expired.contains(ALIAS), "{expired}");
        assert!(expired.contains("Hết hạn giữ chỗ lúc"), "when it ran out");
        assert!(!page.html.contains("/check-in\""), "no check-in button anywhere on the board");
        assert!(!page.html.contains("Tiếp nhận vào</button>"), "no check-in button anywhere on the board");
        assert!(expired.contains(&format!(r#"action="/placements/{placement}/accept""#)));
        assert!(expired.contains("Giữ chỗ lại"));

        // The case page says the same to the worker.
        let mut hanh = signed_in(&app, "hanh").await;
        let page = hanh.send(&app, hanh.get(&format!("/cases/{case}"))).await;
        assert_eq!(page.status, 200);
        let shown = part(&page.html, &format!(r#"id="p-{placement}""#), "</article>");
        assert!(shown.contains("Hết hạn giữ chỗ"), "{shown}");
        assert!(!shown.contains("đang giữ chỗ"), "never as a hold still running: {shown}");

        // Held again while places are free, then she is checked in.
        let step = |action: &str, version: i32| {
            api::post(&format!("/placements/{placement}/{action}"), &mai, json!({"version": version}))
        };
        assert_eq!(send(&app, step("accept", 2)).await.0, 200, "held again");
        let (status, done) = send(&app, step("check-in", 3)).await;
        assert_eq!((status, done["status"].as_str()), (200, Some("checked_in")), "{done}");
    }
}

/// How many audit events of `action` name placement `id`.
fn audited(db: &TestDb, action: &str, id: Uuid) -> i64 {
    use binhan::store::schema::audit_events as events;
    use diesel::prelude::*;
    events::table
        .filter(events::action.eq(action))
        .filter(events::resource_id.eq(id.to_string()))
        .filter(events::outcome.eq("success"))
        .count()
        .get_result(&mut db.conn())
        .unwrap()
}

const NOTE: &str = "Chị ngủ được, sáng nay đau tay nhiều hơn: cần đưa đi khám.";

on_both_backends! {
    async fn staff_record_a_stay_note_that_the_worker_reads_on_the_case_page_and_the_house_only_during_the_stay(db: TestDb) {
        let w = world(&db);
        let (case, placement) = requested(&db, &w);
        handling::accept(&mut db.conn(), &w.staff, placement, 1, Duration::hours(24)).unwrap();
        handling::check_in(&mut db.conn(), &w.staff, placement, 2).unwrap();
        let app = init_service(app(state(&db))).await;

        // Cô Mai writes on her board, under the resident.
        let mut mai = signed_in(&app, "mai").await;
        let page = mai.send(&app, mai.get("/placements")).await;
        let resident = part(&page.html, &format!(r#"id="p-{placement}""#), "</article>");
        assert!(resident.contains(&format!(r#"action="/placements/{placement}/notes""#)), "{resident}");
        let token = page.field("csrf_token");
        let uri = format!("/placements/{placement}/notes");
        let saved = mai.send(&app, mai.post(&uri, &[("text", NOTE), ("csrf_token", &token)])).await;
        assert_eq!(saved.status, 303, "{}", saved.html);
        let page = mai.send(&app, mai.get(&saved.location)).await;
        assert!(page.html.contains("Đã lưu ghi chú."));
        let resident = part(&page.html, &format!(r#"id="p-{placement}""#), "</article>");
        assert!(resident.contains(NOTE) && resident.contains("Người dùng mai"), "the note and who wrote it: {resident}");

        // Too long: refused with the limit, and nothing typed is lost.
        let long = "Rất dài. ".repeat(60);
        let refused = mai.send(&app, mai.post(&uri, &[("text", &long), ("csrf_token", &token)])).await;
        assert_eq!(refused.status, 422);
        assert!(refused.html.contains("500"), "says the limit: {}", refused.html);
        assert!(refused.html.contains(long.trim()), "what she typed is still there");

        // Chị Hạnh reads it on the case page, in the placement's section.
        let mut hanh = signed_in(&app, "hanh").await;
        let page = hanh.send(&app, hanh.get(&format!("/cases/{case}"))).await;
        let shown = part(&page.html, &format!(r#"id="p-{placement}""#), "</article>");
        assert!(shown.contains(NOTE) && shown.contains("Người dùng mai"), "{shown}");
        assert!(audited(&db, "placement.note", placement) == 1, "the write is audited");
        assert!(audited(&db, "placement.read_notes", placement) >= 2, "each read is audited");

        // Sealed: the database never holds the note in the clear.
        let bytes = crate::support::db::database_bytes(&db, &mut db.conn());
        assert!(!crate::support::db::contains(&bytes, "đau tay nhiều hơn".as_bytes()));

        // After check-out the house no longer sees it, nor writes; the worker still reads it.
        handling::check_out(&mut db.conn(), &w.staff, placement, 3, "with_relatives").unwrap();
        let staff_api = api::sign_in(&app, "mai", false).await;
        let (_, board) = send(&app, api::get("/placements", &staff_api)).await;
        assert_eq!(board["placements"][0]["status"], "checked_out");
        assert_eq!(board["placements"][0]["notes"], json!([]), "gone from the house at check-out");
        let late = api::post(&uri, &staff_api, json!({"text": "Thêm một ghi chú"}));
        assert_eq!(send(&app, late).await.0, 403, "no note once she left");
        let page = mai.send(&app, mai.get("/placements")).await;
        assert!(!page.html.contains(NOTE));
        let worker_api = api::sign_in(&app, "hanh", false).await;
        let (_, placements) = send(&app, api::get(&format!("/cases/{case}/placements"), &worker_api)).await;
        let notes = &placements["placements"][0]["notes"];
        assert_eq!(notes[0]["text"], NOTE, "{placements}");
        assert_eq!(notes[0]["author"], "Người dùng mai");
    }
}

on_both_backends! {
    async fn a_stay_note_over_the_api_is_for_the_stay_and_says_its_limit(db: TestDb) {
        let w = world(&db);
        let (_, placement) = requested(&db, &w);
        let app = init_service(app(state(&db))).await;
        let mai = api::sign_in(&app, "mai", false).await;
        let uri = format!("/placements/{placement}/notes");
        let note = |text: &str| api::post(&uri, &mai, json!({"text": text}));
        assert_eq!(send(&app, note(NOTE)).await.0, 403, "nobody stays yet");

        handling::accept(&mut db.conn(), &w.staff, placement, 1, Duration::hours(24)).unwrap();
        handling::check_in(&mut db.conn(), &w.staff, placement, 2).unwrap();
        let (status, problem) = send(&app, note(&"x".repeat(501))).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "text");
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("at most 500 characters"));
        assert!(!problem.to_string().contains("xxxx"), "the text is never echoed");
        let (status, created) = send(&app, note(NOTE)).await;
        assert_eq!(status, 201, "{created}");
        let (_, board) = send(&app, api::get("/placements", &mai)).await;
        assert_eq!(board["placements"][0]["notes"][0]["text"], NOTE);
        assert_eq!(board["placements"][0]["notes"][0]["id"], created["id"]);
    }
}
