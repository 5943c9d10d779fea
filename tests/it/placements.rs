//! Safe houses and placements (issue 7): capacity under concurrency, holds that
//! run out by themselves, what a house's staff may see, and every refusal with
//! its reason, on both databases.

use std::sync::Arc;

use actix_web::test::init_service;
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::cases::access::{Caller, CaseError};
use binhan::services::cases::{intake, work};
use binhan::services::placements::request::{PlacementRequest, request_placement};
use binhan::services::placements::{boards, handling};
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::on_both_backends;
use crate::support::api::{get, post, send, sign_in};
use crate::support::app::{account, caller, safe_house, staff_of, state};
use crate::support::db::{TestDb, load_units};

fn draft(name: &str) -> binhan::domain::intake::IntakeDraft {
    use binhan::domain::intake::*;
    IntakeDraft {
        report_source: "police".into(),
        report_channel: "phone".into(),
        reported_at: Some(Utc::now() - Duration::hours(1)),
        commune_code: "18073".into(),
        survivor: SurvivorDraft {
            full_name: name.into(),
            sex: "female".into(),
            age_group: "25-59".into(),
            phone: "0912 888 999".into(),
            ..Default::default()
        },
        incident: IncidentDraft {
            forms: vec!["physical".into()],
            narrative: "Bị chồng đánh gãy tay.".into(),
            ..Default::default()
        },
        perpetrator: PerpetratorDraft { relationship: "spouse".into(), ..Default::default() },
        ..Default::default()
    }
}

/// A case of Thành Sen whose survivor agreed to go to a safe house.
fn consented_case(conn: &mut binhan::store::DbConn, worker: &Caller, name: &str) -> Uuid {
    let case = intake::record_intake(conn, worker, &draft(name)).unwrap().id;
    let consent =
        work::ConsentRequest { purpose: "placement".into(), given_by: "survivor".into(), given_at: None };
    work::record_consent(conn, worker, case, &consent).unwrap();
    case
}

fn asking(house: &str, children: &[&str]) -> PlacementRequest {
    PlacementRequest {
        safe_house_id: house.into(),
        alias: "Chị H.".into(),
        children: children.iter().map(|c| c.to_string()).collect(),
        needs: Some("Khám sức khỏe; quần áo cho bé trai".into()),
        ..Default::default()
    }
}

/// The worker, the house (capacity given) and its staff.
struct World {
    worker: Caller,
    staff: Caller,
    house: String,
}

fn world(db: &TestDb, conn: &mut binhan::store::DbConn, capacity: i32) -> World {
    load_units(conn);
    let house = safe_house(db, conn, "Địa chỉ tin cậy Thạch Hạ", capacity);
    let hanh = account(db, conn, "hanh", Role::SocialWorker);
    let mai = staff_of(db, conn, "mai", &house);
    World { worker: caller(db, &hanh), staff: caller(db, &mai), house }
}

on_both_backends! {
    fn two_hundred_concurrent_requests_and_acceptances_take_exactly_ten_beds(db: TestDb) {
        let mut conn = db.migrated();
        let w = world(&db, &mut conn, 10);
        // One open placement per case: each case asks again only after withdrawing
        // its refused request, and stops once accepted.
        let cases: Vec<Uuid> = (0..20).map(|i| consented_case(&mut conn, &w.worker, &format!("Người thứ {i}"))).collect();
        let pool = db.pool();
        let w = Arc::new(w);
        let threads: Vec<_> = cases
            .into_iter()
            .map(|case| {
                let (pool, w) = (pool.clone(), w.clone());
                std::thread::spawn(move || {
                    let mut accepted = 0;
                    for _ in 0..10 {
                        let mut conn = pool.get().unwrap();
                        let id = request_placement(&mut conn, &w.worker, case, &asking(&w.house, &[])).unwrap();
                        match handling::accept(&mut conn, &w.staff, id, 1, Duration::hours(24)) {
                            Ok(_) => {
                                accepted += 1;
                                break;
                            }
                            Err(CaseError::Beds(_)) => {
                                handling::cancel(&mut conn, &w.worker, id, 1).unwrap();
                            }
                            Err(other) => panic!("an acceptance failed otherwise: {other}"),
                        }
                    }
                    accepted
                })
            })
            .collect();
        let accepted: i32 = threads.into_iter().map(|t| t.join().unwrap()).sum();
        assert_eq!(accepted, 10, "exactly as many acceptances as beds");
        let taken = binhan::store::placements::beds_taken(&mut conn, &w.house, Utc::now().naive_utc()).unwrap();
        assert_eq!(taken, 10);
        let board = boards::availability(&mut conn, &w.worker).unwrap();
        assert_eq!(board[0].free, 0);
        assert_eq!(board[0].waiting, 0, "the refused requests were withdrawn");
    }
}

on_both_backends! {
    fn an_expired_hold_frees_its_beds_without_anyone_acting(db: TestDb) {
        let mut conn = db.migrated();
        let mut w = world(&db, &mut conn, 2);
        let case = consented_case(&mut conn, &w.worker, "Trần Thị Bích");
        let first = request_placement(&mut conn, &w.worker, case, &asking(&w.house, &["6-11"])).unwrap();
        let accepted_at = Utc::now();
        w.staff.now = accepted_at;
        handling::accept(&mut conn, &w.staff, first, 1, Duration::hours(24)).unwrap();

        w.worker.now = accepted_at + Duration::hours(23);
        assert_eq!(boards::availability(&mut conn, &w.worker).unwrap()[0].free, 0, "held for 24 hours");
        w.worker.now = accepted_at + Duration::hours(25);
        assert_eq!(boards::availability(&mut conn, &w.worker).unwrap()[0].free, 2, "free again by itself");

        // Someone else takes the beds; the first woman arrives late: refused, clearly.
        let other = consented_case(&mut conn, &w.worker, "Trần Thị Cúc");
        let second = request_placement(&mut conn, &w.worker, other, &asking(&w.house, &["0-5"])).unwrap();
        w.staff.now = accepted_at + Duration::hours(25);
        handling::accept(&mut conn, &w.staff, second, 1, Duration::hours(24)).unwrap();
        let late = handling::check_in(&mut conn, &w.staff, first, 2);
        assert!(matches!(late, Err(CaseError::PlacementStep(_))), "not on a hold that ran out: {late:?}");
        let again = handling::accept(&mut conn, &w.staff, first, 2, Duration::hours(24));
        assert!(matches!(again, Err(CaseError::Beds(_))), "nor held again on beds given to another: {again:?}");
        handling::check_in(&mut conn, &w.staff, second, 2).unwrap();
    }
}

on_both_backends! {
    async fn safe_house_staff_see_only_their_house_and_the_name_only_during_the_stay(db: TestDb) {
        let mut conn = db.migrated();
        let w = world(&db, &mut conn, 4);
        let other = safe_house(&db, &mut conn, "Nhà tạm lánh Cẩm Xuyên", 6);
        let case = consented_case(&mut conn, &w.worker, "Phan Thị Diệu");
        let mine = request_placement(&mut conn, &w.worker, case, &asking(&w.house, &["6-11"])).unwrap();
        let elsewhere = consented_case(&mut conn, &w.worker, "Phan Thị Lụa");
        let theirs = request_placement(&mut conn, &w.worker, elsewhere, &asking(&other, &[])).unwrap();
        let app = init_service(app(state(&db))).await;
        let mai = sign_in(&app, "mai", false).await;

        let (status, board) = send(&app, get("/placements", &mai)).await;
        assert_eq!(status, 200, "{board}");
        assert_eq!(board["address"], "Số 12 ngõ 4, phường Thành Sen", "her own house's address");
        let requested = &board["placements"][0];
        assert_eq!((requested["alias"].as_str(), requested["beds"].as_i64()), (Some("Chị H."), Some(2)));
        assert_eq!(requested["children"], json!(["6-11"]));
        assert_eq!(requested["identity"], Value::Null, "no name before she accepts");
        assert_eq!(board["placements"].as_array().unwrap().len(), 1, "nothing of the other house");
        assert!(!board.to_string().contains("gãy tay"), "never the story");

        let step = |action: &str, id: Uuid, body: Value| post(&format!("/placements/{id}/{action}"), &mai, body);
        assert_eq!(send(&app, step("accept", theirs, json!({"version": 1}))).await.0, 404, "another house's request");
        assert_eq!(send(&app, get(&format!("/safe-houses/{other}/board"), &mai)).await.0, 404);
        assert_eq!(send(&app, get(&format!("/cases/{case}"), &mai)).await.0, 404, "staff never open a case");

        assert_eq!(send(&app, step("accept", mine, json!({"version": 1}))).await.0, 200);
        let (_, board) = send(&app, get("/placements", &mai)).await;
        assert_eq!(board["placements"][0]["identity"]["full_name"], "Phan Thị Diệu", "her name from acceptance");
        assert_eq!(send(&app, step("check-in", mine, json!({"version": 2}))).await.0, 200);
        assert_eq!(send(&app, step("check-out", mine, json!({"version": 3, "outcome": "with_relatives"}))).await.0, 200);
        let (_, board) = send(&app, get("/placements", &mai)).await;
        assert_eq!(board["placements"][0]["identity"], Value::Null, "gone at check-out");
        assert_eq!(board["placements"][0]["status"], "checked_out");
        assert_eq!(board["house"]["free"], 4, "the beds are free again");
    }
}

on_both_backends! {
    async fn refused_placements_say_why(db: TestDb) {
        let mut conn = db.migrated();
        let w = world(&db, &mut conn, 2);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let mai = sign_in(&app, "mai", false).await;
        let case = intake::record_intake(&mut conn, &w.worker, &draft("Đỗ Thị Hương")).unwrap().id;
        let ask = |children: Value| json!({"safe_house_id": w.house, "alias": "Chị Đ.", "children": children});
        let path = format!("/cases/{case}/placements");

        let (status, problem) = send(&app, post(&path, &hanh, ask(json!([])))).await;
        assert_eq!((status, problem["code"].as_str(), problem["allowed"].clone()), (409, Some("consent_required"), json!(["survivor"])));
        let consent = json!({"purpose": "placement", "given_by": "survivor"});
        assert_eq!(send(&app, post(&format!("/cases/{case}/consents"), &hanh, consent)).await.0, 201);

        let (status, problem) = send(&app, post(&path, &hanh, ask(json!(["0-5", "6-11"])))).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("not_enough_beds")), "three people, two beds");
        assert!(problem["detail"].as_str().unwrap().contains("2 chỗ"), "{problem}");

        let (status, created) = send(&app, post(&path, &hanh, ask(json!(["6-11"])))).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_str().unwrap();
        let (status, problem) = send(&app, post(&format!("/placements/{id}/check-out"), &mai, json!({"version": 1, "outcome": "other"}))).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("placement_step_not_allowed")));
        assert_eq!(problem["allowed"], json!(["accepted", "declined", "cancelled"]));
        let (status, problem) = send(&app, post(&format!("/placements/{id}/accept"), &mai, json!({"version": 7}))).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("stale_version")));
        assert_eq!(send(&app, post(&format!("/placements/{id}/accept"), &mai, json!({"version": 1}))).await.0, 200);

        let close = json!({"version": 1, "closure_reason": "safe_and_stable"});
        let (status, problem) = send(&app, post(&format!("/cases/{case}/closure-requests"), &hanh, close.clone())).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("closure_blocked")), "an active placement keeps it open");
        assert_eq!(send(&app, post(&format!("/placements/{id}/cancel"), &hanh, json!({"version": 2}))).await.0, 200);
        assert_eq!(send(&app, post(&format!("/cases/{case}/closure-requests"), &hanh, close)).await.0, 200);

        let (status, problem) = send(&app, post(&path, &hanh, ask(json!([])))).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("case_closed")));

        diesel::RunQueryDsl::execute(
            diesel::update(binhan::store::schema::safe_houses::table)
                .set(binhan::store::schema::safe_houses::active.eq(false)),
            &mut conn,
        )
        .unwrap();
        let open_case = consented_case(&mut conn, &w.worker, "Lý Thị Thảo");
        let (status, problem) = send(&app, post(&format!("/cases/{open_case}/placements"), &hanh, ask(json!([])))).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("safe_house_unavailable")));
        assert!(problem["detail"].as_str().unwrap().contains("ngừng hoạt động"));
    }
}

use diesel::ExpressionMethods;

/// Two `binhan serve` processes on one PostgreSQL, each taking requests and
/// acceptances for the same 10-bed house at once (issue 7, acceptance 1): the
/// beds are still taken exactly once each.
#[test]
fn two_servers_on_one_postgresql_take_exactly_ten_beds_between_them() {
    use crate::support::process::{Server, http_request, sign_in_over_http};

    let Some(db) = TestDb::postgres() else { return };
    let mut conn = db.migrated();
    let w = world(&db, &mut conn, 10);
    let cases: Vec<Uuid> =
        (0..20).map(|i| consented_case(&mut conn, &w.worker, &format!("Người thứ {i}"))).collect();
    drop(conn);
    let servers = [Server::start(&db), Server::start(&db)];
    let ports: Vec<u16> = servers.iter().map(|s| s.port).collect();
    // A session opened on one server works on the other: they share the database.
    let worker = sign_in_over_http(ports[0], "hanh");
    let staff = sign_in_over_http(ports[1], "mai");
    let house = w.house.clone();
    let threads: Vec<_> = cases
        .into_iter()
        .enumerate()
        .map(|(i, case)| {
            let (worker, staff, house, ports) = (worker.clone(), staff.clone(), house.clone(), ports.clone());
            std::thread::spawn(move || {
                let mut accepted = 0;
                // One open placement per case: a refused request is withdrawn
                // before the next, and the case stops once accepted.
                for j in 0..10 {
                    let (ask_on, accept_on) = (ports[(i + j) % 2], ports[(i + j + 1) % 2]);
                    let body = format!(r#"{{"safe_house_id": "{house}", "alias": "Chị {i}-{j}"}}"#);
                    let path = format!("/api/v1/cases/{case}/placements");
                    let (status, _, created) =
                        http_request(ask_on, "POST", &path, Some(&body), Some(&worker)).unwrap();
                    assert_eq!(status, 201, "{created}");
                    let id =
                        serde_json::from_str::<Value>(&created).unwrap()["id"].as_str().unwrap().to_string();
                    let path = format!("/api/v1/placements/{id}/accept");
                    let (status, _, answer) =
                        http_request(accept_on, "POST", &path, Some(r#"{"version": 1}"#), Some(&staff))
                            .unwrap();
                    match status {
                        200 => {
                            accepted += 1;
                            break;
                        }
                        409 => assert!(answer.contains("not_enough_beds"), "{answer}"),
                        other => panic!("acceptance answered {other}: {answer}"),
                    }
                    let path = format!("/api/v1/placements/{id}/cancel");
                    let (status, _, answer) =
                        http_request(ask_on, "POST", &path, Some(r#"{"version": 1}"#), Some(&worker))
                            .unwrap();
                    assert_eq!(status, 200, "{answer}");
                }
                accepted
            })
        })
        .collect();
    let accepted: i32 = threads.into_iter().map(|t| t.join().unwrap()).sum();
    for server in servers {
        server.stop();
    }
    assert_eq!(accepted, 10, "exactly as many acceptances as beds, across both servers");
    let mut conn = db.conn();
    assert_eq!(
        binhan::store::placements::beds_taken(&mut conn, &w.house, Utc::now().naive_utc()).unwrap(),
        10
    );
    binhan::store::audit::verify(&mut conn).expect("the audit chain is whole");
}

on_both_backends! {
    fn a_stay_past_its_expected_end_is_flagged(db: TestDb) {
        let mut conn = db.migrated();
        let mut w = world(&db, &mut conn, 3);
        let case = consented_case(&mut conn, &w.worker, "Ngô Thị Lệ");
        let start = Utc::now();
        let asked = PlacementRequest { expected_end_on: Some((start + Duration::days(2)).date_naive()), ..asking(&w.house, &[]) };
        let id = request_placement(&mut conn, &w.worker, case, &asked).unwrap();
        handling::accept(&mut conn, &w.staff, id, 1, Duration::hours(24)).unwrap();
        handling::check_in(&mut conn, &w.staff, id, 2).unwrap();
        let board = |conn: &mut binhan::store::DbConn, staff: &Caller| boards::house_board(conn, staff, &w.house).unwrap();
        assert!(!board(&mut conn, &w.staff).placements[0].overdue);
        w.staff.now = start + Duration::days(4);
        assert!(board(&mut conn, &w.staff).placements[0].overdue, "four days on, two days past the expected end");
    }
}

on_both_backends! {
    async fn a_childs_placement_without_consent_goes_ahead_once_a_supervisor_overrides_it(db: TestDb) {
        let mut conn = db.migrated();
        let w = world(&db, &mut conn, 3);
        let dung = account(&db, &mut conn, "dung", Role::Supervisor);
        binhan::services::auth::enrol_with_secret(&mut conn, &db.keys(), dung.id, crate::support::api::SECRET, Utc::now().naive_utc()).unwrap();
        let adult = intake::record_intake(&mut conn, &w.worker, &draft("Hà Thị Nhung")).unwrap().id;
        let mut girl = draft("Hà Thị Ngân");
        girl.survivor.age_group = String::new();
        girl.survivor.birth_date = Some((Utc::now() - Duration::days(365 * 13)).date_naive());
        let case = intake::record_intake(&mut conn, &w.worker, &girl).unwrap().id;
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let ask = json!({"safe_house_id": w.house, "alias": "Bé N."});
        let path = format!("/cases/{case}/placements");
        assert_eq!(send(&app, post(&path, &hanh, ask.clone())).await.1["code"], "consent_required");

        let dung = sign_in(&app, "dung", true).await;
        let why = json!({"purpose": "placement", "reason": "Cha dượng đang tìm em; mẹ em không đồng ý"});
        let adults = format!("/cases/{adult}/consent-overrides");
        assert_eq!(send(&app, post(&adults, &dung, why.clone())).await.0, 403, "an adult's refusal stands");
        let (status, problem) = send(&app, post(&adults, &hanh, why.clone())).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("override_only_for_children")));
        let (status, given) = send(&app, post(&format!("/cases/{case}/consent-overrides"), &dung, why)).await;
        assert_eq!((status, given["status"].as_str()), (201, Some("approved")));
        let (status, created) = send(&app, post(&path, &hanh, ask.clone())).await;
        assert_eq!(status, 201, "the override lets it through");
        let cancel = format!("/placements/{}/cancel", created["id"].as_str().unwrap());
        assert_eq!(send(&app, post(&cancel, &hanh, json!({"version": 1}))).await.0, 200);
        assert_eq!(
            send(&app, post(&path, &hanh, ask)).await.1["code"],
            "consent_required",
            "one override covers one placement"
        );

        use binhan::store::schema::audit_events as events;
        use diesel::prelude::*;
        let audited: i64 = events::table
            .filter(events::action.eq("case.override_consent"))
            .filter(events::resource_id.eq(case.to_string()))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(audited, 1, "the override is in the audit log");
    }
}

on_both_backends! {
    async fn a_case_holds_one_open_placement_and_a_second_request_answers_409_naming_it(db: TestDb) {
        let mut conn = db.migrated();
        let w = world(&db, &mut conn, 4);
        let other = safe_house(&db, &mut conn, "Nhà tạm lánh Cẩm Xuyên", 6);
        let case = consented_case(&mut conn, &w.worker, "Bùi Thị Nguyệt");
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let mai = sign_in(&app, "mai", false).await;
        let path = format!("/cases/{case}/placements");
        let ask = |house: &str| json!({"safe_house_id": house, "alias": "Chị N."});

        let (status, first) = send(&app, post(&path, &hanh, ask(&w.house))).await;
        assert_eq!(status, 201, "{first}");
        let first = first["id"].as_str().unwrap().to_string();
        let step = |action: &str, body: Value| post(&format!("/placements/{first}/{action}"), &mai, body);
        for (expected, then) in [
            ("requested", Some(("accept", json!({"version": 1})))),
            ("accepted", Some(("check-in", json!({"version": 2})))),
            ("checked_in", None),
        ] {
            let res = actix_web::test::call_service(&app, post(&path, &hanh, ask(&other)).to_request()).await;
            assert_eq!(res.status(), 409);
            assert_eq!(res.headers().get("content-type").unwrap(), "application/problem+json");
            let problem: Value = actix_web::test::read_body_json(res).await;
            assert_eq!(problem["code"], "placement_open", "{problem}");
            assert_eq!(problem["placement_id"], first.as_str());
            assert_eq!(problem["placement_status"], expected);
            for personal in ["Bùi", "Nguyệt", "Chị N.", "Cẩm Xuyên", "Thạch Hạ"] {
                assert!(!problem.to_string().contains(personal), "{personal} in {problem}");
            }
            if let Some((action, body)) = then {
                assert_eq!(send(&app, step(action, body)).await.0, 200, "{action}");
            }
        }
        let (_, mine) = send(&app, get(&path, &hanh)).await;
        assert_eq!(mine["placements"].as_array().unwrap().len(), 1, "nothing was added: {mine}");

        // A transfer is explicit: the house checks her out as moved elsewhere, then the worker asks again.
        let (status, left) = send(&app, step("check-out", json!({"version": 3, "outcome": "transferred"}))).await;
        assert_eq!((status, left["status"].as_str()), (200, Some("checked_out")), "{left}");
        let (status, second) = send(&app, post(&path, &hanh, ask(&other))).await;
        assert_eq!(status, 201, "{second}");
        let (_, mine) = send(&app, get(&path, &hanh)).await;
        assert_eq!(mine["placements"][0]["outcome"], "transferred", "{mine}");
    }
}

on_both_backends! {
    fn two_requests_at_once_for_one_case_make_one_open_placement(db: TestDb) {
        let mut conn = db.migrated();
        let w = world(&db, &mut conn, 10);
        let other = safe_house(&db, &mut conn, "Nhà tạm lánh Cẩm Xuyên", 10);
        let case = consented_case(&mut conn, &w.worker, "Cao Thị Vân");
        let (pool, w) = (db.pool(), Arc::new(w));
        // As many at once as the pool has connections, each holding one before the start.
        let barrier = Arc::new(std::sync::Barrier::new(4));
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let (pool, w, barrier) = (pool.clone(), w.clone(), barrier.clone());
                let house = if i % 2 == 0 { w.house.clone() } else { other.clone() };
                std::thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    barrier.wait();
                    request_placement(&mut conn, &w.worker, case, &asking(&house, &[]))
                })
            })
            .collect();
        let answers: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        let made: Vec<&Uuid> = answers.iter().filter_map(|a| a.as_ref().ok()).collect();
        assert_eq!(made.len(), 1, "{answers:?}");
        for refused in answers.iter().filter_map(|a| a.as_ref().err()) {
            match refused {
                CaseError::PlacementOpen { id, .. } => assert_eq!(id, &made[0].to_string()),
                other => panic!("refused otherwise: {other}"),
            }
        }
        let open = binhan::store::placements::placements_of_case(&mut conn, &case.to_string()).unwrap();
        assert_eq!(open.len(), 1);
    }
}

on_both_backends! {
    async fn refusals_of_a_placement_speak_of_the_placement_in_both_languages_with_no_broken_plural(db: TestDb) {
        let mut conn = db.migrated();
        let w = world(&db, &mut conn, 1);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let mai = sign_in(&app, "mai", false).await;
        let case = consented_case(&mut conn, &w.worker, "Đỗ Thị Hương");
        let path = format!("/cases/{case}/placements");
        let ask = |children: Value| json!({"safe_house_id": w.house, "alias": "Chị Đ.", "children": children});

        let (status, problem) = send(&app, post(&path, &hanh, ask(json!(["6-11"])))).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("not_enough_beds")), "two people, one place");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("Nơi này chỉ có 1 chỗ, cần 2 chỗ"), "{detail}");
        assert!(detail.contains("This house has one place in all; 2 are needed"), "{detail}");

        let (status, created) = send(&app, post(&path, &hanh, ask(json!([])))).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_str().unwrap();
        let (status, problem) = send(&app, post(&format!("/placements/{id}/accept"), &mai, json!({"version": 7}))).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("stale_version")));
        let said = format!("{} {}", problem["title"], problem["detail"]);
        assert!(said.contains("Lượt tạm lánh") && said.contains("placement"), "{said}");
        assert!(!said.contains("Hồ sơ") && !said.contains("case"), "a placement is not the case: {said}");
    }
}

on_both_backends! {
    async fn accepting_takes_only_the_version_and_a_reason_or_outcome_there_is_refused_naming_it(db: TestDb) {
        let mut conn = db.migrated();
        let w = world(&db, &mut conn, 2);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let mai = sign_in(&app, "mai", false).await;
        let case = consented_case(&mut conn, &w.worker, "Lê Thị Quỳnh");
        let ask = json!({"safe_house_id": w.house, "alias": "Chị Q."});
        let (status, created) = send(&app, post(&format!("/cases/{case}/placements"), &hanh, ask)).await;
        assert_eq!(status, 201, "{created}");
        let accept = format!("/placements/{}/accept", created["id"].as_str().unwrap());

        for (body, field) in [
            (json!({"version": 1, "reason": "AAA"}), "reason"),
            (json!({"version": 1, "outcome": "with_relatives"}), "outcome"),
        ] {
            let (status, problem) = send(&app, post(&accept, &mai, body)).await;
            assert_eq!(status, 400, "{problem}");
            assert_eq!(problem["errors"][0]["field"], field, "{problem}");
        }
        assert_eq!(send(&app, post(&accept, &mai, json!({"version": 1}))).await.0, 200, "nothing had changed");
    }
}
