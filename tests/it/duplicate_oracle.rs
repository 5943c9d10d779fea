//! No existence oracle (issue 17): the duplicate check of a worker of commune B
//! answers the same whether a survivor of commune A matches or nobody does; a
//! case she records that matches one she may not see becomes a possible duplicate
//! for a supervisor, who links or dismisses it; searches and duplicate checks are
//! limited per account and audited — through the real app, on both databases.

use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::auth::enrol_with_secret;
use binhan::store::DbConn;
use binhan::store::schema::audit_events;
use chrono::{Duration, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::case_pages::signed_in;
use crate::on_both_backends;
use crate::support::api::{SECRET, get, post, send, sign_in};
use crate::support::app::{account, state, state_with, worker_of};
use crate::support::db::{TestDb, load_units};

const THANH_SEN: &str = "18073";
const TRAN_PHU: &str = "18100";

/// Hạnh works in Thành Sen (A), Bình in Trần Phú (B); Dũng supervises the province.
fn people(db: &TestDb) {
    let mut conn = db.migrated();
    load_units(&mut conn);
    account(db, &mut conn, "hanh", Role::SocialWorker);
    worker_of(db, &mut conn, "binh", &[TRAN_PHU]);
    // Two supervisors: Dũng on the API, Đào on the pages (a code is used once per account).
    for name in ["dung", "dao"] {
        let supervisor = account(db, &mut conn, name, Role::Supervisor);
        enrol_with_secret(&mut conn, &db.keys(), supervisor.id, SECRET, Utc::now().naive_utc()).unwrap();
    }
}

/// Đào, the second supervisor, signed in on the pages.
async fn dao_on_pages<S, B>(app: &S) -> crate::sign_in_pages::Browser
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut browser = crate::sign_in_pages::Browser::default();
    let code = binhan::services::auth::current_code(SECRET, Utc::now().naive_utc()).unwrap();
    let signed =
        crate::sign_in_pages::sign_in(app, &mut browser, "dao", crate::support::app::PASSWORD, &code).await;
    assert_eq!(signed.status, 303, "Đào signs in");
    browser
}

/// An intake of a woman born on 12 April 1991.
fn intake(name: &str, phone: &str, id_number: &str, commune: &str) -> Value {
    json!({
        "report_source": "village_head",
        "report_channel": "phone",
        "reported_at": (Utc::now() - Duration::hours(2)).to_rfc3339(),
        "commune_code": commune,
        "survivor": {
            "full_name": name, "sex": "female", "birth_date": "1991-04-12", "phone": phone,
            "id_number": id_number
        },
        "incident": {
            "occurred_on": (Utc::now() - Duration::days(1)).date_naive().to_string(),
            "forms": ["physical"], "acts": ["harm_health_life"],
            "narrative": "Chồng đánh.", "place": "Tại nhà"
        },
        "perpetrator": {"full_name": "Trần Văn Bạo", "sex": "male", "relationship": "spouse"}
    })
}

/// Status, the headers that matter, and the body's bytes, as sent.
async fn raw<S, B>(app: &S, req: TestRequest) -> (u16, Option<String>, Vec<u8>)
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let res = call_service(app, req.to_request()).await;
    let status = res.status().as_u16();
    let retry = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
    (status, retry, read_body(res).await.to_vec())
}

/// (outcome, reason, resource type) of every event of `action`, oldest first.
fn events(conn: &mut DbConn, action: &str) -> Vec<(String, Option<String>, Option<String>)> {
    audit_events::table
        .filter(audit_events::action.eq(action))
        .order_by(audit_events::seq)
        .select((audit_events::outcome, audit_events::reason, audit_events::resource_type))
        .load(conn)
        .unwrap()
}

fn id_of(created: &Value) -> String {
    created["id"].as_str().unwrap().to_string()
}

on_both_backends! {
    async fn a_worker_of_another_commune_gets_the_same_answer_as_for_no_match(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let binh = sign_in(&app, "binh", false).await;
        let (status, _) =
            send(&app, post("/cases", &hanh, intake("Nguyễn Thị Hoa", "0912 345 678", "042191000123", THANH_SEN))).await;
        assert_eq!(status, 201);

        let probe = |name: &str, birth: Option<&str>, phone: Option<&str>, id: Option<&str>| {
            json!({"commune_code": TRAN_PHU, "full_name": name, "birth_date": birth, "phone": phone, "id_number": id})
        };
        let pairs = [
            // Her phone against an unknown phone.
            (probe("Lê Thị Mai", None, Some("0912 345 678"), None), probe("Lê Thị Mai", None, Some("0988 111 222"), None)),
            // Her ID number against an unknown one.
            (probe("Lê Thị Mai", None, None, Some("042191000123")), probe("Lê Thị Mai", None, None, Some("042191999999"))),
            // Her name and birth date against someone else's.
            (probe("nguyen thi hoa", Some("1991-04-12"), None, None), probe("Đinh Thị Xuân", Some("1980-05-05"), None, None)),
        ];
        let mut conn = db.conn();
        for (known, unknown) in pairs {
            let before = events(&mut conn, "case.duplicate_check").len();
            let (status_known, _, body_known) = raw(&app, post("/cases/duplicates", &binh, known.clone())).await;
            let after_known = events(&mut conn, "case.duplicate_check");
            let (status_unknown, _, body_unknown) = raw(&app, post("/cases/duplicates", &binh, unknown.clone())).await;
            let after_unknown = events(&mut conn, "case.duplicate_check");
            assert_eq!(status_known, 200, "{known}");
            assert_eq!(status_known, status_unknown, "{known} vs {unknown}");
            assert_eq!(body_known, body_unknown, "{known}: the same bytes as for nobody");
            let answer: Value = serde_json::from_slice(&body_known).unwrap();
            assert_eq!(answer, json!({"may_already_have_case": false, "cases": []}));
            assert_eq!(after_known.len(), before + 1, "one event per check");
            assert_eq!(after_known[before], after_unknown[before + 1], "the same audit event either way");
        }

        // The same probe by the worker of A, who may see the case, is answered.
        let (status, check) = send(&app, post("/cases/duplicates", &hanh, json!({
            "commune_code": THANH_SEN, "full_name": "Lê Thị Mai", "phone": "0912 345 678"
        }))).await;
        assert_eq!(status, 200);
        assert_eq!(check["may_already_have_case"], true, "a case she may see is told");
        assert_eq!(check["cases"].as_array().unwrap().len(), 1);
    }
}

on_both_backends! {
    async fn an_out_of_scope_match_becomes_a_possible_duplicate_for_a_supervisor(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let binh = sign_in(&app, "binh", false).await;
        let dung = sign_in(&app, "dung", true).await;
        let (_, a_phone) =
            send(&app, post("/cases", &hanh, intake("Nguyễn Thị Hoa", "0912 345 678", "042191000123", THANH_SEN))).await;
        let (_, a_id) =
            send(&app, post("/cases", &hanh, intake("Phạm Thị Lan", "0912 000 001", "042185000777", THANH_SEN))).await;
        let (_, none) = send(&app, get("/possible-duplicates", &dung)).await;
        assert_eq!(none["possible_duplicates"], json!([]), "two cases of one commune, no match");

        // Bình records a woman with the phone of Hạnh's first case, then one with
        // the ID number of her second: her answers are those of any intake.
        let (status, b_phone) =
            send(&app, post("/cases", &binh, intake("Lê Thị Mai", "0912 345 678", "042199000001", TRAN_PHU))).await;
        assert_eq!(status, 201, "{b_phone}");
        let (status, b_id) =
            send(&app, post("/cases", &binh, intake("Võ Thị Hằng", "0977 000 002", "042185000777", TRAN_PHU))).await;
        assert_eq!(status, 201, "{b_id}");
        assert_eq!(
            b_phone.as_object().unwrap().keys().collect::<Vec<_>>(),
            b_id.as_object().unwrap().keys().collect::<Vec<_>>()
        );

        let (status, items) = send(&app, get("/possible-duplicates", &dung)).await;
        assert_eq!(status, 200, "{items}");
        let items = items["possible_duplicates"].as_array().unwrap().clone();
        assert_eq!(items.len(), 2, "{items:?}");
        let by_phone = items.iter().find(|i| i["new_case"]["id"] == b_phone["id"]).expect("the phone item");
        assert_eq!(by_phone["existing_case"]["id"], a_phone["id"]);
        assert_eq!(by_phone["new_case"]["case_number"], b_phone["case_number"]);
        assert_eq!(by_phone["existing_case"]["case_number"], a_phone["case_number"]);
        assert_eq!(by_phone["new_case"]["commune_code"], TRAN_PHU);
        assert_eq!(by_phone["existing_case"]["commune_code"], THANH_SEN);
        assert_eq!(by_phone["reasons"], json!(["phone"]));
        let by_id = items.iter().find(|i| i["new_case"]["id"] == b_id["id"]).expect("the ID number item");
        assert_eq!(by_id["existing_case"]["id"], a_id["id"]);
        assert_eq!(by_id["reasons"], json!(["id_number"]));
        let phone_item = by_phone["id"].as_str().unwrap().to_string();
        let id_item = by_id["id"].as_str().unwrap().to_string();

        // The supervisor's page shows both numbers and why, in words.
        let mut dung_pages = dao_on_pages(&app).await;
        let list = dung_pages.send(&app, dung_pages.get("/duplicates")).await;
        assert_eq!(list.status, 200);
        for number in [&b_phone["case_number"], &a_phone["case_number"], &b_id["case_number"], &a_id["case_number"]] {
            assert!(list.html.contains(number.as_str().unwrap()), "{number} on the page");
        }
        assert!(list.html.contains("số điện thoại") && list.html.contains("số căn cước"), "why they match");
        let home = dung_pages.send(&app, dung_pages.get("/")).await;
        let home = if home.status == 303 { dung_pages.send(&app, dung_pages.get(&home.location)).await } else { home };
        assert!(home.html.contains(r#"href="/duplicates""#), "linked from the supervisor's home page");

        // Nobody else learns the items exist.
        for who in [&binh, &hanh] {
            assert_eq!(send(&app, get("/possible-duplicates", who)).await.0, 404);
            let decided = post(&format!("/possible-duplicates/{phone_item}/decision"), who, json!({"decision": "link"}));
            assert_eq!(send(&app, decided).await.0, 404, "the item is not found for a worker");
        }
        let mut binh_pages = signed_in(&app, "binh").await;
        assert_eq!(binh_pages.send(&app, binh_pages.get("/duplicates")).await.status, 404);

        // Linked: both case pages show the other case to the supervisor.
        let (status, linked) = send(&app, post(&format!("/possible-duplicates/{phone_item}/decision"), &dung, json!({"decision": "link"}))).await;
        assert_eq!((status, linked), (200, json!({"status": "linked"})));
        let (status, _) = send(&app, post(&format!("/possible-duplicates/{phone_item}/decision"), &dung, json!({"decision": "dismiss"}))).await;
        assert_eq!(status, 409, "decided once");
        for (page_of, other) in [(&a_phone, &b_phone), (&b_phone, &a_phone)] {
            let page = dung_pages.send(&app, dung_pages.get(&format!("/cases/{}", id_of(page_of)))).await;
            assert_eq!(page.status, 200);
            assert!(page.html.contains(r#"id="related""#), "Hồ sơ liên quan on {}", page_of["case_number"]);
            assert!(page.html.contains(other["case_number"].as_str().unwrap()));
            assert!(page.html.contains("Hồ sơ liên quan"));
        }
        let (_, on_api) = send(&app, get(&format!("/cases/{}", id_of(&a_phone)), &dung)).await;
        assert_eq!(on_api["related_cases"][0]["id"], b_phone["id"], "on the API too");
        let (_, hers) = send(&app, get(&format!("/cases/{}", id_of(&b_phone)), &binh)).await;
        assert_eq!(hers["related_cases"], json!([]), "only cases she may open");
        // Bình still may not see Hạnh's case: her case page names no related case.
        let hers = binh_pages.send(&app, binh_pages.get(&format!("/cases/{}", id_of(&b_phone)))).await;
        assert_eq!(hers.status, 200);
        assert!(!hers.html.contains(r#"id="related""#));
        assert!(!hers.html.contains(a_phone["case_number"].as_str().unwrap()));

        // Dismissed from the page: the item is gone.
        let token = dung_pages.send(&app, dung_pages.get("/duplicates")).await.field("csrf_token");
        let dismissed = dung_pages
            .send(&app, dung_pages.post(&format!("/duplicates/{id_item}"), &[("csrf_token", &token), ("decision", "dismiss")]))
            .await;
        assert_eq!(dismissed.status, 303, "{}", dismissed.html);
        let (_, left) = send(&app, get("/possible-duplicates", &dung)).await;
        assert_eq!(left["possible_duplicates"], json!([]));
        let page = dung_pages.send(&app, dung_pages.get(&format!("/cases/{}", id_of(&b_id)))).await;
        assert!(!page.html.contains(r#"id="related""#), "a dismissed item links nothing");

        let mut conn = db.conn();
        let item = Some("possible_duplicate".to_string());
        assert_eq!(events(&mut conn, "case.duplicate_flag").len(), 2);
        assert_eq!(events(&mut conn, "case.duplicate_link"), vec![("success".into(), None, item.clone())]);
        assert_eq!(events(&mut conn, "case.duplicate_dismiss"), vec![("success".into(), None, item)]);
        let refused = events(&mut conn, "case.reconcile_duplicate");
        assert_eq!(refused.len(), 2, "the workers' attempts are audited: {refused:?}");
        assert!(refused.iter().all(|(outcome, reason, _)| outcome == "denied" && reason.as_deref() == Some("not_found")));
    }
}

on_both_backends! {
    async fn duplicate_checks_over_the_limit_are_refused_and_audited(db: TestDb) {
        people(&db);
        let app = init_service(app(state_with(&db, |c| c.lookups_per_minute = 3))).await;
        let binh = sign_in(&app, "binh", false).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let probe = json!({"commune_code": TRAN_PHU, "full_name": "Lê Thị Mai", "phone": "0912 345 678"});
        for _ in 0..3 {
            assert_eq!(raw(&app, post("/cases/duplicates", &binh, probe.clone())).await.0, 200);
        }
        let (status, retry, body) = raw(&app, post("/cases/duplicates", &binh, probe.clone())).await;
        assert_eq!(status, 429);
        let retry: u64 = retry.expect("Retry-After").parse().unwrap();
        assert!((1..=60).contains(&retry), "{retry}");
        let problem: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem["code"], "too_many_lookups");
        assert!(problem["title"].as_str().unwrap().starts_with("Quá nhiều"), "{problem}");
        // A search is a lookup too; another account has its own limit.
        assert_eq!(send(&app, post("/cases/search", &binh, json!({"name": "Lê Thị Mai"}))).await.0, 429);
        let other = json!({"commune_code": THANH_SEN, "full_name": "Lê Thị Mai"});
        assert_eq!(send(&app, post("/cases/duplicates", &hanh, other)).await.0, 200);

        let mut conn = db.conn();
        let checks = events(&mut conn, "case.duplicate_check");
        let ok = checks.iter().filter(|(o, _, _)| o == "success").count();
        let refused: Vec<_> = checks.iter().filter(|(o, _, _)| o == "denied").collect();
        assert_eq!(ok, 4, "three of hers and one of Hạnh's");
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].1.as_deref(), Some("rate_limited"));
    }
}

on_both_backends! {
    async fn searches_over_the_limit_are_refused_and_audited(db: TestDb) {
        people(&db);
        let app = init_service(app(state_with(&db, |c| c.lookups_per_minute = 2))).await;
        let binh = sign_in(&app, "binh", false).await;
        for _ in 0..2 {
            assert_eq!(send(&app, post("/cases/search", &binh, json!({"phone": "0912 345 678"}))).await.0, 200);
        }
        let (status, retry, body) = raw(&app, post("/cases/search", &binh, json!({"phone": "0912 345 678"}))).await;
        assert_eq!(status, 429);
        assert!(retry.is_some(), "Retry-After");
        assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["code"], "too_many_lookups");

        // On the page: a clear message in Vietnamese, and 429.
        let mut pages = signed_in(&app, "binh").await;
        let token = pages.send(&app, pages.get("/cases")).await.field("csrf_token");
        let refused = pages
            .send(&app, pages.post("/cases/search", &[("csrf_token", &token), ("name", "Lê Thị Mai"), ("phone", "")]))
            .await;
        assert_eq!(refused.status, 429);
        assert!(refused.header("retry-after").parse::<u64>().is_ok());
        assert!(refused.html.contains("quá nhiều lần trong một phút"), "{}", refused.html);

        let mut conn = db.conn();
        let searches = events(&mut conn, "case.search");
        assert_eq!(searches.iter().filter(|(o, _, _)| o == "success").count(), 2);
        let refused: Vec<_> = searches.iter().filter(|(o, _, _)| o == "denied").collect();
        assert_eq!(refused.len(), 2, "the API's and the page's");
        assert!(refused.iter().all(|(_, reason, _)| reason.as_deref() == Some("rate_limited")));
    }
}
