//! Issue 15 item 1: a case flagged as in danger is never shown as low risk, and a
//! case nobody assessed says so, on the pages and through the API, on both
//! databases.

use actix_web::test::init_service;
use binhan::domain::role::Role;
use binhan::http::app;
use serde_json::json;

use crate::case_pages::{intake, new_case, send_intake};
use crate::on_both_backends;
use crate::sign_in_pages::{Browser, Page, sign_in};
use crate::support::api::{get, post, send, sign_in as api_sign_in};
use crate::support::app::{PASSWORD, account, state};
use crate::support::db::{TestDb, load_units};
use crate::support::intake::intake_json;

const THANH_SEN: &str = "18073";

fn worker(db: &TestDb) {
    let mut conn = db.migrated();
    load_units(&mut conn);
    account(db, &mut conn, "hanh", Role::SocialWorker);
}

/// The risk shown in a case page's summary.
fn summary_risk(page: &Page) -> String {
    let summary = page.html.split(r#"id="summary""#).nth(1).expect("the summary");
    let after = summary.split("<dt>Mức độ nguy cơ</dt><dd>").nth(1).expect("the summary's risk row");
    after.split("</dd>").next().expect("risk value").to_string()
}

/// The risk shown in the first line of the case list.
fn listed_risk(page: &Page) -> String {
    let after = page.html.split(r#"<td data-label="Mức độ nguy cơ">"#).nth(1).expect("a listed case");
    after.split("</td>").next().expect("risk value").to_string()
}

on_both_backends! {
    async fn an_intake_in_immediate_danger_with_a_child_at_risk_is_shown_high_on_the_case_page_and_the_list(db: TestDb) {
        worker(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = Browser::default();
        assert_eq!(sign_in(&app, &mut hanh, "hanh", PASSWORD, "").await.status, 303);
        let mut fields = intake("Nguyễn Thị Hoa", THANH_SEN);
        fields.push(("child_at_risk", "1".into()));
        let saved = send_intake(&app, &mut hanh, &fields).await;
        assert_eq!(saved.status, 303, "{}", saved.html);
        let case = hanh.send(&app, hanh.get(saved.location.trim_end_matches("?done=created"))).await;
        assert!(case.html.contains(r#"<p class="message error flag">"#), "the danger flag");
        assert_eq!(summary_risk(&case), "Cao");
        let first = case.html.split(r#"<li><span class="risk high">Cao</span>"#).nth(1).expect("the first assessment");
        let first = first.split("</li>").next().expect("its line");
        assert!(first.contains("Đang gặp nguy hiểm ngay"), "the danger is a factor: {first}");
        assert!(first.contains("Trẻ em gặp nguy hiểm hoặc đã bị tổn hại"), "{first}");
        let list = hanh.send(&app, hanh.get("/cases")).await;
        assert_eq!(listed_risk(&list), "Cao");
    }
}

on_both_backends! {
    async fn a_case_nobody_assessed_reads_not_assessed_never_low(db: TestDb) {
        worker(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = Browser::default();
        assert_eq!(sign_in(&app, &mut hanh, "hanh", PASSWORD, "").await.status, 303);
        let fields: Vec<(&str, String)> =
            intake("Phạm Thị Lan", THANH_SEN).into_iter().filter(|(k, _)| *k != "immediate_danger").collect();
        let saved = send_intake(&app, &mut hanh, &fields).await;
        assert_eq!(saved.status, 303, "{}", saved.html);
        let case = hanh.send(&app, hanh.get(saved.location.trim_end_matches("?done=created"))).await;
        assert_eq!(summary_risk(&case), "Chưa đánh giá");
        let list = hanh.send(&app, hanh.get("/cases")).await;
        assert_eq!(listed_risk(&list), "Chưa đánh giá");
        assert!(!list.html.contains(">Thấp<"), "no level nobody chose");
    }
}

on_both_backends! {
    async fn an_intake_in_immediate_danger_through_the_api_is_assessed_high_with_the_danger_as_a_factor(db: TestDb) {
        worker(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = api_sign_in(&app, "hanh", false).await;
        let mut body = intake_json("Võ Thị Hằng", THANH_SEN);
        body["immediate_danger"] = json!(true);
        body["risk_factors"] = json!(["children_at_risk"]);
        let (status, created) = send(&app, post("/cases", &hanh, body)).await;
        assert_eq!(status, 201, "{created}");
        let (_, case) = send(&app, get(&format!("/cases/{}", created["id"].as_str().unwrap()), &hanh)).await;
        assert_eq!(case["risk_level"], "high");
        assert_eq!(case["risk_assessments"][0]["factors"], json!(["children_at_risk", "immediate_danger"]));

        let (_, quiet) = send(&app, post("/cases", &hanh, intake_json("Lê Thị Thu", THANH_SEN))).await;
        let (_, quiet) = send(&app, get(&format!("/cases/{}", quiet["id"].as_str().unwrap()), &hanh)).await;
        assert_eq!(quiet["risk_level"], json!(null), "nobody assessed it: no level");
        assert_eq!(quiet["risk_assessments"], json!([]));
        // The page helper records a case in danger too (shared with the other page tests).
        let mut browser = Browser::default();
        assert_eq!(sign_in(&app, &mut browser, "hanh", PASSWORD, "").await.status, 303);
        let page = new_case(&app, &mut browser, "Trần Thị Na", THANH_SEN).await;
        let page = browser.send(&app, browser.get(&page)).await;
        assert_eq!(summary_risk(&page), "Cao");
    }
}

on_both_backends! {
    async fn a_reassessment_of_a_case_flagged_in_danger_never_reads_below_high(db: TestDb) {
        worker(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = api_sign_in(&app, "hanh", false).await;
        let mut body = intake_json("Đoàn Thị Hạnh", THANH_SEN);
        body["immediate_danger"] = json!(true);
        let (_, created) = send(&app, post("/cases", &hanh, body)).await;
        let case = format!("/cases/{}", created["id"].as_str().unwrap());
        let (status, assessed) = send(&app, post(&format!("{case}/risk-assessments"), &hanh, json!({"factors": []}))).await;
        assert_eq!((status, assessed["level"].as_str()), (201, Some("high")), "{assessed}");

        // Ticking the danger on a quiet case flags it, so banner and level agree.
        let (_, quiet) = send(&app, post("/cases", &hanh, intake_json("Đoàn Thị Lụa", THANH_SEN))).await;
        let quiet = format!("/cases/{}", quiet["id"].as_str().unwrap());
        let danger = json!({"factors": ["immediate_danger"]});
        assert_eq!(send(&app, post(&format!("{quiet}/risk-assessments"), &hanh, danger)).await.1["level"], "high");
        assert_eq!(send(&app, get(&quiet, &hanh)).await.1["immediate_danger"], true);
    }
}
