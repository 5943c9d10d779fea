//! A supervisor's and a worker's view of the work (issue 15, items 5–8): communes
//! named as they are since 2025, the approvals list that says what is asked and
//! why, decisions from the case page, reopening with a reason, and who recorded
//! each piece of work — through the real app, on both databases.

use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::init_service;
use binhan::domain::intake::{IncidentDraft, IntakeDraft, PerpetratorDraft, SurvivorDraft};
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::cases::intake::record_intake;
use binhan::store::schema::audit_events;
use chrono::{TimeZone, Utc};
use diesel::prelude::*;
use serde_json::json;

use crate::case_pages::{case_number, intake, new_case, people, send_intake, signed_in};
use crate::on_both_backends;
use crate::sign_in_pages::{Browser, Page};
use crate::support::api::{get, post, send, sign_in};
use crate::support::app::{account, caller, state};

const THANH_SEN: &str = "18073";
/// Bắc Hà went wholly into Thành Sen on 1 July 2025; Đại Nài was split.
const BAC_HA: &str = "18077";
const DAI_NAI: &str = "18082";
const NAME: &str = "Nguyễn Thị Hoa";
const REASON: &str = "Chồng quay về nhà và lại đe dọa chị tối qua.";

/// The part of a page from the element with `id` to the next section.
fn section<'p>(page: &'p Page, id: &str) -> &'p str {
    let from = page.html.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("no #{id}"));
    let rest = &page.html[from..];
    let to = rest[1..].find("<section").map_or(rest.len(), |i| i + 1);
    &rest[..to]
}

/// Sends a form of the case page with its token and version.
async fn submit<S, B>(app: &S, who: &mut Browser, case: &str, action: &str, fields: &[(&str, &str)]) -> Page
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let page = who.send(app, who.get(case)).await;
    let (token, version) = (page.field("csrf_token"), page.field("version"));
    let mut all = vec![("csrf_token", token.as_str()), ("version", version.as_str())];
    all.extend_from_slice(fields);
    who.send(app, who.post(&format!("{case}/{action}"), &all)).await
}

/// A woman not in danger tonight: her case is not high risk, so its worker closes
/// it without a supervisor's approval.
async fn calm_case<S, B>(app: &S, hanh: &mut Browser) -> String
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut fields = intake(NAME, THANH_SEN);
    fields.retain(|(name, _)| *name != "immediate_danger");
    let res = send_intake(app, hanh, &fields).await;
    assert_eq!(res.status, 303, "{}", res.html);
    res.location.trim_end_matches("?done=created").to_string()
}

/// A girl of 12–15: her case's closure waits for a supervisor.
async fn child_case_waiting_for_closure<S, B>(app: &S, hanh: &mut Browser) -> String
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut fields = intake(NAME, THANH_SEN);
    for field in &mut fields {
        if field.0 == "survivor.age_group" {
            field.1 = "12-15".into();
        }
    }
    let res = send_intake(app, hanh, &fields).await;
    assert_eq!(res.status, 303, "{}", res.html);
    let case = res.location.trim_end_matches("?done=created").to_string();
    let asked = submit(
        app,
        hanh,
        &case,
        "transition",
        &[
            ("to", "closed"),
            ("closure_reason", "safe_and_stable"),
            ("comment", "Em đã về ở với bà ngoại, an toàn."),
        ],
    )
    .await;
    assert!(asked.location.contains("done=closure-requested"), "{} {}", asked.location, asked.html);
    case
}

fn draft(commune: &str) -> IntakeDraft {
    IntakeDraft {
        report_source: "hotline".into(),
        report_channel: "phone".into(),
        reported_at: Some(Utc.with_ymd_and_hms(2025, 3, 10, 3, 0, 0).unwrap()),
        commune_code: commune.into(),
        survivor: SurvivorDraft {
            full_name: "Trần Thị Mơ".into(),
            sex: "female".into(),
            age_group: "25-59".into(),
            ..Default::default()
        },
        incident: IncidentDraft { forms: vec!["economic".into()], ..Default::default() },
        perpetrator: PerpetratorDraft {
            relationship: "spouse".into(),
            sex: "male".into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

on_both_backends! {
    async fn every_commune_is_shown_by_its_2025_name_and_a_split_one_as_former(db: TestDb) {
        people(&db);
        {
            // Cases reported in March 2025, before the reform, in communes that no longer exist.
            let mut conn = db.conn();
            let minh = account(&db, &mut conn, "minh", Role::Supervisor);
            let who = caller(&db, &minh);
            record_intake(&mut conn, &who, &draft(BAC_HA)).expect("Bắc Hà");
            record_intake(&mut conn, &who, &draft(DAI_NAI)).expect("Đại Nài");
        }
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        new_case(&app, &mut hanh, NAME, THANH_SEN).await;
        let mut dung = signed_in(&app, "dung").await;

        let overview = dung.send(&app, dung.get("/overview")).await;
        assert_eq!(overview.status, 200);
        assert_eq!(
            overview.html.matches(">Phường Thành Sen</th>").count(),
            1,
            "Bắc Hà's case counts in Thành Sen's row: {}",
            overview.html
        );
        let thanh_sen = overview.html.split(">Phường Thành Sen</th>").nth(1).expect("row");
        assert!(thanh_sen.trim_start().starts_with(r#"<td data-label="Đang mở">2</td>"#), "{thanh_sen}");
        assert!(overview.html.contains("Đại Nài (cũ)</th>"), "{}", overview.html);

        let list = dung.send(&app, dung.get("/cases")).await;
        for page in [&overview, &list] {
            for code in [BAC_HA, DAI_NAI] {
                assert!(!page.html.contains(&format!(">{code}<")), "a bare code {code}: {}", page.html);
            }
        }
        assert!(list.html.contains("Đại Nài (cũ)") && list.html.contains(">Phường Thành Sen<"), "{}", list.html);
    }
}

on_both_backends! {
    async fn the_approvals_list_shows_the_reason_case_number_commune_age_group_risk_and_deadline(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = child_case_waiting_for_closure(&app, &mut hanh).await;
        let number = case_number(&hanh.send(&app, hanh.get(&case)).await);
        let mut dung = signed_in(&app, "dung").await;
        let list = dung.send(&app, dung.get("/approvals")).await;
        assert_eq!(list.status, 200);
        for shown in [
            "Em đã về ở với bà ngoại, an toàn.",
            number.as_str(),
            "Phường Thành Sen",
            "12–15 tuổi",
            // She was in danger at intake: the automatic assessment is high (item 1).
            "Cao",
            "Hạn quyết định",
            "Người bị bạo lực đã an toàn, ổn định",
        ] {
            assert!(list.html.contains(shown), "the list shows {shown}: {}", list.html);
        }
        let mut conn = db.conn();
        let reads: i64 = audit_events::table
            .filter(audit_events::action.eq("approval.read"))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(reads, 1, "opening the worker's reason is an audited read");
    }
}

on_both_backends! {
    async fn a_supervisor_approves_a_closure_from_the_case_page(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = child_case_waiting_for_closure(&app, &mut hanh).await;
        let before = hanh.send(&app, hanh.get(&case)).await;
        assert!(!section(&before, "approvals").contains("approvals/"), "a worker gets no decision form");

        let mut dung = signed_in(&app, "dung").await;
        let page = dung.send(&app, dung.get(&case)).await;
        let approvals = section(&page, "approvals");
        let action = approvals.split(r#"action=""#).nth(1).and_then(|a| a.split('"').next()).expect("decision form");
        assert!(action.starts_with(&format!("{case}/approvals/")), "{action}");
        let token = page.field("csrf_token");
        let decided = dung
            .send(&app, dung.post(action, &[("csrf_token", &token), ("comment", "Đồng ý."), ("approve", "1")]))
            .await;
        assert_eq!(decided.status, 303, "{}", decided.html);
        assert_eq!(decided.location, format!("{case}?done=approved#approvals"));
        let after = dung.send(&app, dung.get(&decided.location)).await;
        assert!(after.html.contains("Đã phê duyệt."), "{}", after.html);
        assert!(section(&after, "summary").contains("Đã đóng"), "the case is closed");
        assert!(!section(&after, "approvals").contains("approvals/"), "nothing left to decide");
        assert!(dung.send(&app, dung.get("/approvals")).await.html.contains("Không có yêu cầu nào đang chờ."));
    }
}

on_both_backends! {
    async fn reopening_a_closed_case_asks_why_and_the_timeline_shows_it(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = calm_case(&app, &mut hanh).await;
        let closed = submit(&app, &mut hanh, &case, "transition", &[("to", "closed"), ("closure_reason", "goals_met")]).await;
        assert!(closed.location.contains("done=closed"), "{}", closed.html);

        let page = hanh.send(&app, hanh.get(&case)).await;
        let actions = section(&page, "actions");
        assert!(actions.contains("Mở lại hồ sơ") && !actions.contains("Chuyển sang:"), "{actions}");

        let refused = submit(&app, &mut hanh, &case, "transition", &[("to", "assessment"), ("reason", "  ")]).await;
        assert_eq!(refused.status, 422, "{}", refused.html);
        assert!(section(&refused, "actions").contains(r#"id="reopen-reason-error">Hãy điền ô này."#), "{}", refused.html);
        assert!(section(&refused, "summary").contains("Đã đóng"), "still closed");

        let reopened = submit(&app, &mut hanh, &case, "transition", &[("to", "assessment"), ("reason", REASON)]).await;
        assert_eq!(reopened.status, 303, "{}", reopened.html);
        let page = hanh.send(&app, hanh.get(&reopened.location)).await;
        assert!(page.html.contains("Đã mở lại hồ sơ."));
        let timeline = section(&page, "timeline");
        assert!(timeline.contains("Mở lại hồ sơ") && timeline.contains(REASON), "{timeline}");

        let mut conn = db.conn();
        let events: Vec<(String, Option<String>)> =
            audit_events::table.select((audit_events::action, audit_events::reason)).load(&mut conn).unwrap();
        assert!(events.iter().any(|(action, _)| action == "case.reopen"), "{events:?}");
        assert!(events.iter().all(|(_, reason)| !reason.as_deref().unwrap_or("").contains("đe dọa")), "no typed text");
        let stored = crate::support::db::database_bytes(&db, &mut conn);
        assert!(!String::from_utf8_lossy(&stored).contains(REASON), "the reason is stored sealed");
    }
}

on_both_backends! {
    async fn reopening_through_the_api_needs_a_reason_named_in_the_answer(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let (_, created) = send(&app, post("/cases", &hanh, crate::support::intake::intake_json(NAME, THANH_SEN))).await;
        let path = format!("/cases/{}/transitions", created["id"].as_str().unwrap());
        let (status, _) = send(&app, post(&path, &hanh, json!({"to": "closed", "version": 1, "closure_reason": "goals_met"}))).await;
        assert_eq!(status, 200);
        let (status, problem) = send(&app, post(&path, &hanh, json!({"to": "assessment", "version": 2}))).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "reason", "{problem}");
        let (status, moved) = send(&app, post(&path, &hanh, json!({"to": "assessment", "version": 2, "reason": REASON}))).await;
        assert_eq!((status, moved["status"].as_str()), (200, Some("assessment")), "{moved}");
        let (_, case) = send(&app, get(&format!("/cases/{}", created["id"].as_str().unwrap()), &hanh)).await;
        let last = case["timeline"].as_array().and_then(|t| t.last().cloned()).expect("timeline");
        assert_eq!((last["comment"].as_str(), last["recorded_by"].as_str()), (Some(REASON), Some("Người dùng hanh")));
    }
}

on_both_backends! {
    async fn each_risk_consent_measure_note_and_step_names_who_recorded_it(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = new_case(&app, &mut hanh, NAME, THANH_SEN).await;
        for (action, fields) in [
            ("risk", vec![("factors", "threats_to_kill")]),
            ("consents", vec![("purpose", "services"), ("given_by", "survivor")]),
            ("measures", vec![("measure_type", "medical_care")]),
            ("notes", vec![("kind", "note"), ("body", "Đã gọi cho chị lúc 9 giờ.")]),
            ("transition", vec![("to", "assessment")]),
        ] {
            let done = submit(&app, &mut hanh, &case, action, &fields).await;
            assert_eq!(done.status, 303, "{action}: {}", done.html);
        }
        let mut lan = signed_in(&app, "lan").await;
        let page = lan.send(&app, lan.get(&case)).await;
        for id in ["risk", "consents", "measures", "notes", "timeline"] {
            assert!(section(&page, id).contains("Người ghi: Người dùng hanh"), "{id}: {}", section(&page, id));
        }
    }
}
