//! Who viewed this case (issue 17): a supervisor, and the case's own social
//! workers, see every read and change of it (who, role, when, what: ids and action
//! names only); administrators and committee members never see it.

use actix_web::test::init_service;
use binhan::domain::role::Role;
use binhan::http::app;
use serde_json::Value;

use crate::on_both_backends;
use crate::sign_in_pages::{Browser, sign_in};
use crate::support::api::{SECRET, get, post, send};
use crate::support::app::{PASSWORD, account, state, worker_of};
use crate::support::db::{TestDb, load_units};
use crate::support::intake::intake_json;

fn people(db: &TestDb) -> binhan::store::DbConn {
    let mut conn = db.migrated();
    load_units(&mut conn);
    for (username, role) in [
        ("hanh", Role::SocialWorker),
        ("giamsat", Role::Supervisor),
        ("ban", Role::CommitteeMember),
        ("quantri", Role::Admin),
        ("mai", Role::SafeHouseStaff),
    ] {
        let user = account(db, &mut conn, username, role);
        if role.requires_second_factor() {
            binhan::services::auth::enrol_with_secret(
                &mut conn,
                &db.keys(),
                user.id,
                SECRET,
                chrono::Utc::now().naive_utc(),
            )
            .expect("second factor");
        }
    }
    worker_of(db, &mut conn, "tuan", &["18100"]);
    conn
}

/// (role, action, outcome) of each entry.
fn entries(log: &Value) -> Vec<(String, String, String)> {
    log["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["role"].as_str().unwrap_or("").to_string(),
                e["action"].as_str().unwrap_or("").to_string(),
                e["outcome"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

on_both_backends! {
    async fn the_access_log_lists_the_reads_of_each_role_that_read_the_case(db: TestDb) {
        let _conn = people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = crate::support::api::sign_in(&app, "hanh", false).await;
        let (_, case) = send(&app, post("/cases", &hanh, intake_json("Nguyễn Thị Lan", "18073"))).await;
        let id = case["id"].as_str().unwrap().to_string();
        assert_eq!(send(&app, get(&format!("/cases/{id}"), &hanh)).await.0, 200);
        let giamsat = crate::support::api::sign_in(&app, "giamsat", true).await;
        assert_eq!(send(&app, get(&format!("/cases/{id}"), &giamsat)).await.0, 200);
        let tuan = crate::support::api::sign_in(&app, "tuan", false).await;
        assert_eq!(send(&app, get(&format!("/cases/{id}"), &tuan)).await.0, 404);

        let (status, log) = send(&app, get(&format!("/cases/{id}/access-log"), &giamsat)).await;
        assert_eq!(status, 200, "{log}");
        let seen = entries(&log);
        for expected in [("social_worker", "case.create", "success"), ("social_worker", "case.read", "success"),
            ("supervisor", "case.read", "success"), ("social_worker", "case.read", "denied")] {
            let expected = (expected.0.to_string(), expected.1.to_string(), expected.2.to_string());
            assert!(seen.contains(&expected), "{expected:?} in {seen:?}");
        }
        assert_eq!(seen[0].1, "case.read_access_log", "newest first, this read included");
        assert!(log.to_string().find("Nguyễn Thị Lan").is_none(), "no personal data");

        // Her own worker sees it too, on the page, in words.
        let mut browser = Browser::default();
        assert_eq!(sign_in(&app, &mut browser, "hanh", PASSWORD, "").await.status, 303);
        let case_page = browser.send(&app, browser.get(&format!("/cases/{id}"))).await;
        assert!(case_page.html.contains(r#"id="access-log-link""#));
        let page = browser.send(&app, browser.get(&format!("/cases/{id}/access-log"))).await;
        assert_eq!(page.status, 200);
        assert!(page.html.contains("Xem hồ sơ") && page.html.contains("Cán bộ giám sát") || page.html.contains("giamsat"), "{}", page.html);
        assert!(page.html.contains("bị từ chối"), "the refused read is shown as refused");
    }
}

on_both_backends! {
    async fn the_access_log_is_empty_for_a_role_that_never_read_the_case(db: TestDb) {
        let _conn = people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = crate::support::api::sign_in(&app, "hanh", false).await;
        let (_, case) = send(&app, post("/cases", &hanh, intake_json("Nguyễn Thị Lan", "18073"))).await;
        let id = case["id"].as_str().unwrap().to_string();
        let (status, log) = send(&app, get(&format!("/cases/{id}/access-log"), &hanh)).await;
        assert_eq!(status, 200, "{log}");
        let seen = entries(&log);
        for role in ["supervisor", "safe_house_staff", "committee_member", "admin"] {
            assert!(seen.iter().all(|(r, _, _)| r != role), "{role} never read it: {seen:?}");
        }
        assert!(seen.iter().all(|(_, action, _)| action.starts_with("case.")), "{seen:?}");
    }
}

on_both_backends! {
    async fn an_admin_and_a_committee_member_never_see_an_access_log(db: TestDb) {
        let _conn = people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = crate::support::api::sign_in(&app, "hanh", false).await;
        let (_, case) = send(&app, post("/cases", &hanh, intake_json("Nguyễn Thị Lan", "18073"))).await;
        let id = case["id"].as_str().unwrap().to_string();
        // The page first: a second-factor code is accepted once.
        let mut browser = Browser::default();
        let code = binhan::services::auth::current_code(SECRET, chrono::Utc::now().naive_utc()).unwrap();
        assert_eq!(sign_in(&app, &mut browser, "quantri", PASSWORD, &code).await.status, 303);
        assert_eq!(browser.send(&app, browser.get(&format!("/cases/{id}/access-log"))).await.status, 404);
        for (username, second_factor) in [("ban", true), ("mai", false), ("tuan", false)] {
            let cookie = crate::support::api::sign_in(&app, username, second_factor).await;
            let (status, body) = send(&app, get(&format!("/cases/{id}/access-log"), &cookie)).await;
            assert_eq!(status, 404, "{username}: {body}");
        }
        // The administrator, through the API, with the next code.
        let later = binhan::services::auth::current_code(SECRET, chrono::Utc::now().naive_utc() + chrono::Duration::seconds(30)).unwrap();
        let login = actix_web::test::TestRequest::post().uri("/api/v1/auth/login")
            .set_json(serde_json::json!({"username": "quantri", "password": PASSWORD, "totp": later}));
        let res = actix_web::test::call_service(&app, login.to_request()).await;
        assert_eq!(res.status(), 200);
        let cookie = res.response().cookies().find(|c| c.name() == binhan::http::session::SESSION_COOKIE).unwrap().into_owned();
        assert_eq!(send(&app, get(&format!("/cases/{id}/access-log"), &cookie)).await.0, 404);
    }
}
