//! Issue 16 item 1: the intake in steps, through the real app on both databases.
//! Every step posts the whole form, so nothing typed is lost; forward checks only
//! the step being left, back never checks; leaving the person runs the duplicate
//! check; the save records the risk checklist and the consents given now with the
//! case, in its transaction.

use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::init_service;
use binhan::http::app;
use binhan::store::schema::{audit_events, cases, consents, risk_assessments};
use diesel::prelude::*;

use crate::case_pages::{intake, new_case, people, signed_in};
use crate::on_both_backends;
use crate::sign_in_pages::{Browser, Page};
use crate::support::app::state;
use crate::support::db::TestDb;

const THANH_SEN: &str = "18073";
const TRAN_PHU: &str = "18100";

/// The whole intake of `name` (without its button), as every step posts it.
fn typed(name: &str, commune: &str) -> Vec<(&'static str, String)> {
    intake(name, commune).into_iter().filter(|(k, _)| *k != "intent").collect()
}

/// Posts the form from `step` with `button` (name, value) pressed.
async fn press<S, B>(
    app: &S,
    browser: &mut Browser,
    fields: &[(&'static str, String)],
    step: &str,
    button: (&'static str, &str),
) -> Page
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let form = browser.send(app, browser.get("/cases/new")).await;
    assert_eq!(form.status, 200, "{}", form.html);
    let token = form.field("csrf_token");
    let mut all: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.extend([("csrf_token", token.as_str()), ("step", step), button]);
    browser.send(app, browser.post("/cases/new", &all)).await
}

/// The step the page shows (the progress list's current item).
fn current_step(page: &Page) -> String {
    let form = page.html.split(r#"id="intake-form""#).nth(1).expect("the intake form");
    let marker = r#"data-step=""#;
    let rest = &form[form.find(marker).expect("data-step") + marker.len()..];
    rest[..rest.find('"').expect("end")].to_string()
}

/// Whether the guardian's fields are shown.
fn guardian_shown(page: &Page) -> bool {
    let div = page.html.split(r#"<div class="stack" id="guardian""#).nth(1).expect("the guardian's fields");
    !div.split('>').next().expect("attributes").contains("hidden")
}

fn count_actions(db: &TestDb, action: &str) -> i64 {
    audit_events::table
        .filter(audit_events::action.eq(action))
        .filter(audit_events::outcome.eq("success"))
        .count()
        .get_result(&mut db.conn())
        .expect("count")
}

on_both_backends! {
    async fn a_step_post_keeps_every_value_of_every_step_and_shows_the_progress(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let mut fields = typed("Nguyễn Thị Hoa", THANH_SEN);
        fields.extend([
            ("risk_factors", "threats_to_kill".to_string()),
            ("consent_purposes", "placement".to_string()),
            ("consent_givers", "survivor".to_string()),
            ("perpetrator.full_name", "Trần Văn Bình".to_string()),
        ]);
        let page = press(&app, &mut hanh, &fields, "incident", ("go", "perpetrator")).await;
        assert_eq!(page.status, 200, "{}", page.html);
        assert_eq!(current_step(&page), "perpetrator");
        crate::pages::assert_csp_safe("intake step", &page.html);
        assert!(page.html.contains("Bước 3/5 · Người có hành vi bạo lực"), "the progress names the step");
        assert!(page.html.contains(r#"<li aria-current="step"><span class="n" aria-hidden="true">3</span>"#));
        for kept in [
            r#"value="Nguyễn Thị Hoa""#,
            r#"value="0912 345 678""#,
            r#"value="Trần Văn Bình""#,
            "Chồng đánh chị lúc 21 giờ, đe dọa giết nếu chị bỏ đi.",
            "Không gọi số nhà; nhắn tin cho chị gái.",
            r#"value="physical" checked"#,
            r#"value="threats_to_kill" checked"#,
            r#"value="placement" checked"#,
            r#"value="survivor" checked"#,
            r#"<option value="spouse" selected>"#,
            r#"id="immediate_danger" name="immediate_danger" value="1" checked"#,
        ] {
            assert!(page.html.contains(kept), "not kept: {kept}");
        }
        assert!(page.html.contains(r#"<div class="intake-step stack" id="step-person" hidden>"#), "other steps are hidden");
        assert!(page.html.contains(r#"<div class="intake-step stack" id="step-perpetrator">"#));
        assert!(page.html.contains(r#"data-swap"#) && page.html.contains(r#"name="go" value="safety""#));
        assert!(!page.title().contains("Hoa"), "{}", page.title());

        // The review shows what was entered, each step with its edit button, and the save.
        let review = press(&app, &mut hanh, &fields, "safety", ("go", "review")).await;
        assert_eq!((review.status, current_step(&review).as_str()), (200, "review"), "{}", review.html);
        for shown in ["Nguyễn Thị Hoa", "Bạo lực thể chất", "Đe dọa giết người bị bạo lực hoặc con", "Đến nơi tạm lánh (Người bị bạo lực)"] {
            assert!(review.html.contains(&format!("<dd>{shown}</dd>")), "the review shows {shown}");
        }
        assert!(review.html.contains(r#"name="go" value="incident" class="button secondary small">Sửa<span class="visually-hidden">: Vụ việc</span></button>"#));
        assert!(review.html.contains(r#"name="intent" value="save" class="button primary wide" data-no-swap>Lưu hồ sơ</button>"#));
    }
}

on_both_backends! {
    async fn a_forward_step_with_a_problem_stays_and_names_it_and_back_never_checks(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        // No form of violence, and no relationship (a problem of a later step).
        let fields: Vec<_> = typed("Nguyễn Thị Hoa", THANH_SEN)
            .into_iter()
            .filter(|(k, _)| *k != "incident.forms" && *k != "perpetrator.relationship")
            .collect();
        let stays = press(&app, &mut hanh, &fields, "incident", ("go", "perpetrator")).await;
        assert_eq!((stays.status, current_step(&stays).as_str()), (422, "incident"), "{}", stays.html);
        assert!(stays.html.contains(r##"<a href="#incident-forms">"##), "the summary names the field");
        assert!(!stays.html.contains(r##"<a href="#perpetrator-relationship">"##), "only this step's problems");
        assert!(stays.html.contains("Chồng đánh chị lúc 21 giờ"), "what was typed is kept");

        let back = press(&app, &mut hanh, &fields, "incident", ("go", "person")).await;
        assert_eq!((back.status, current_step(&back).as_str()), (200, "person"), "{}", back.html);
        assert!(!back.html.contains("error-summary"), "back does not check");
        let empty = press(&app, &mut hanh, &[], "perpetrator", ("go", "incident")).await;
        assert_eq!((empty.status, current_step(&empty).as_str()), (200, "incident"), "not even an empty form");

        // The save checks everything and goes to the first step with a problem.
        let save = press(&app, &mut hanh, &fields, "review", ("intent", "save")).await;
        assert_eq!((save.status, current_step(&save).as_str()), (422, "incident"), "{}", save.html);
        assert!(save.html.contains("Bước «Người có hành vi bạo lực» còn ô cần sửa."), "the other step is named");
        assert_eq!(count_actions(&db, "case.create"), 0, "nothing was saved");
    }
}

on_both_backends! {
    async fn leaving_the_person_step_runs_the_duplicate_check_and_stays_on_a_case_she_may_open(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = new_case(&app, &mut hanh, "Nguyễn Thị Hoa", THANH_SEN).await;
        let number = crate::case_pages::case_number(&hanh.send(&app, hanh.get(&case)).await);

        let fields = typed("Nguyễn Thị Hoa", THANH_SEN);
        let found = press(&app, &mut hanh, &fields, "person", ("go", "incident")).await;
        assert_eq!((found.status, current_step(&found).as_str()), (200, "person"), "{}", found.html);
        assert!(found.html.contains(&format!(r#"<a href="{case}">{number}</a>"#)), "the case is linked: {}", found.html);
        assert!(found.html.contains(r#"name="anyway" value="incident""#), "she may go on anyway");

        let anyway = press(&app, &mut hanh, &fields, "person", ("anyway", "incident")).await;
        assert_eq!((anyway.status, current_step(&anyway).as_str()), (200, "incident"), "{}", anyway.html);

        let mut other = typed("Lê Thị Mai", THANH_SEN);
        other.retain(|(k, _)| *k != "survivor.phone");
        let none = press(&app, &mut hanh, &other, "person", ("go", "incident")).await;
        assert_eq!((none.status, current_step(&none).as_str()), (200, "incident"), "{}", none.html);
        assert!(none.html.contains("Đã kiểm tra: không tìm thấy hồ sơ nào của người này."));

        // The explicit check is still there, and says what is missing.
        let missing = press(&app, &mut hanh, &typed("", THANH_SEN), "person", ("intent", "check")).await;
        assert!(missing.html.contains("Hãy chọn xã, phường và nhập họ tên trước khi kiểm tra."), "{}", missing.html);
        // Outside her communes the check names the commune, and tells nothing.
        let outside = press(&app, &mut hanh, &typed("Nguyễn Thị Hoa", TRAN_PHU), "person", ("go", "incident")).await;
        assert_eq!((outside.status, current_step(&outside).as_str()), (422, "person"));
        assert!(outside.html.contains("Bạn chỉ được tiếp nhận hồ sơ ở xã, phường mình phụ trách."));
        assert!(!outside.html.contains(&number));
    }
}

on_both_backends! {
    async fn a_save_with_risk_factors_and_consents_records_them_with_the_case_and_a_refused_save_records_nothing(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let mut fields = typed("Nguyễn Thị Hoa", THANH_SEN);
        fields.extend([
            ("child_at_risk", "1".to_string()),
            ("risk_factors", "threats_to_kill".to_string()),
            ("consent_purposes", "placement".to_string()),
            ("consent_purposes", "share_health".to_string()),
            ("consent_givers", "survivor".to_string()),
        ]);

        // An adult's guardian does not consent for her: the save goes to the safety step.
        let mut wrong = fields.clone();
        wrong.push(("consent_givers", "guardian".to_string()));
        let refused = press(&app, &mut hanh, &wrong, "review", ("intent", "save")).await;
        assert_eq!((refused.status, current_step(&refused).as_str()), (422, "safety"), "{}", refused.html);
        assert!(refused.html.contains(r##"<a href="#consent_givers">"##), "{}", refused.html);
        // Outside her communes: refused, and nothing written.
        let outside: Vec<_> = fields.iter().map(|(k, v)| (*k, if *k == "commune_code" { TRAN_PHU.to_string() } else { v.clone() })).collect();
        let refused = press(&app, &mut hanh, &outside, "review", ("intent", "save")).await;
        assert_eq!((refused.status, current_step(&refused).as_str()), (422, "person"), "{}", refused.html);
        let mut conn = db.conn();
        assert_eq!(cases::table.count().get_result::<i64>(&mut conn).unwrap(), 0);
        assert_eq!(consents::table.count().get_result::<i64>(&mut conn).unwrap(), 0);
        assert_eq!(risk_assessments::table.count().get_result::<i64>(&mut conn).unwrap(), 0);

        let saved = press(&app, &mut hanh, &fields, "review", ("intent", "save")).await;
        assert_eq!(saved.status, 303, "{}", saved.html);
        let case_id = saved.location.trim_start_matches("/cases/").trim_end_matches("?done=created").to_string();
        let given: Vec<(String, String)> = consents::table
            .filter(consents::case_id.eq(&case_id))
            .select((consents::purpose, consents::given_by))
            .order(consents::purpose)
            .load(&mut conn)
            .unwrap();
        assert_eq!(given, [("placement".into(), "survivor".into()), ("share_health".into(), "survivor".into())]);
        let level: String = risk_assessments::table
            .filter(risk_assessments::case_id.eq(&case_id))
            .select(risk_assessments::level)
            .first(&mut conn)
            .unwrap();
        // Journey 1: in danger tonight, a threat to kill, a child present.
        assert!(level == "high" || level == "severe", "{level}");
        let events: Vec<String> = audit_events::table
            .filter(audit_events::resource_id.eq(&case_id))
            .filter(audit_events::outcome.eq("success"))
            .select(audit_events::action)
            .order(audit_events::seq)
            .load(&mut conn)
            .unwrap();
        assert_eq!(events, ["case.create", "case.update", "case.record_consent", "case.record_consent"]);
        let page = hanh.send(&app, hanh.get(&format!("/cases/{case_id}"))).await;
        assert!(page.html.contains("Đến nơi tạm lánh"), "the case page lists the consent");
    }
}

on_both_backends! {
    async fn a_child_shows_the_guardian_fields_and_a_typed_guardian_is_never_lost(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let adult = press(&app, &mut hanh, &typed("Nguyễn Thị Hoa", THANH_SEN), "incident", ("go", "person")).await;
        assert!(!guardian_shown(&adult), "an adult has no guardian fields shown");

        let child: Vec<_> = typed("Nguyễn Thị Hoa", THANH_SEN)
            .into_iter()
            .map(|(k, v)| (k, if k == "survivor.age_group" { "12-15".to_string() } else { v }))
            .collect();
        let page = press(&app, &mut hanh, &child, "incident", ("go", "person")).await;
        assert!(guardian_shown(&page), "a girl of 12–15 has her guardian asked for");
        assert!(page.html.contains(r#"id="survivor-guardian_name" name="survivor.guardian_name""#));

        let mut born = typed("Nguyễn Thị Hoa", THANH_SEN);
        born.retain(|(k, _)| *k != "survivor.age_group");
        born.push(("survivor.birth_date", (chrono::Utc::now() - chrono::Duration::days(365 * 10)).format("%Y-%m-%d").to_string()));
        let page = press(&app, &mut hanh, &born, "incident", ("go", "person")).await;
        assert!(guardian_shown(&page), "a birth date ten years ago is a child's");

        let mut typed_guardian = typed("Nguyễn Thị Hoa", THANH_SEN);
        typed_guardian.push(("survivor.guardian_name", "Nguyễn Văn An".to_string()));
        let page = press(&app, &mut hanh, &typed_guardian, "incident", ("go", "person")).await;
        assert!(guardian_shown(&page) && page.html.contains(r#"value="Nguyễn Văn An""#), "a typed guardian stays");
    }
}

on_both_backends! {
    async fn the_api_takes_the_consents_given_at_intake_as_an_optional_list(db: TestDb) {
        use crate::support::api::{get, post, send, sign_in};
        use crate::support::intake::intake_json;
        use serde_json::json;

        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let mut body = intake_json("Võ Thị Hằng", THANH_SEN);
        body["consents"] = json!([{"purpose": "placement", "given_by": "survivor"}]);
        let (status, created) = send(&app, post("/cases", &hanh, body.clone())).await;
        assert_eq!(status, 201, "{created}");
        let (_, case) = send(&app, get(&format!("/cases/{}", created["id"].as_str().unwrap()), &hanh)).await;
        assert_eq!(case["consents"][0]["purpose"], "placement", "{case}");
        assert_eq!(case["consents"][0]["given_by"], "survivor", "{case}");

        body["consents"] = json!([{"purpose": "placement", "given_by": "guardian"}]);
        let (status, problem) = send(&app, post("/cases", &hanh, body.clone())).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("consents")), "{problem}");
        body["consents"] = json!("placement");
        let (status, problem) = send(&app, post("/cases", &hanh, body)).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (400, Some("consents")), "{problem}");

        let doc = serde_json::to_value(<binhan::http::api::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
        let consent = &doc["components"]["schemas"]["IntakeConsentBody"];
        assert_eq!(consent["properties"]["given_by"]["enum"], json!(["survivor", "guardian", "child"]), "{consent}");
    }
}

on_both_backends! {
    async fn leaving_the_person_step_over_the_lookups_limit_stays_and_says_how_long_to_wait(db: TestDb) {
        people(&db);
        let app = init_service(app(crate::support::app::state_with(&db, |c| c.lookups_per_minute = 1))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let fields = typed("Lê Thị Mai", THANH_SEN);
        let first = press(&app, &mut hanh, &fields, "person", ("go", "incident")).await;
        assert_eq!((first.status, current_step(&first).as_str()), (200, "incident"), "{}", first.html);

        let again = press(&app, &mut hanh, &fields, "person", ("go", "incident")).await;
        assert_eq!(current_step(&again), "person", "no check, no next step: {}", again.html);
        assert!(again.html.contains("quá nhiều lần trong một phút"), "{}", again.html);
        assert!(!again.html.contains("Đã kiểm tra"), "nothing was checked");
        assert_eq!(count_actions(&db, "case.duplicate_check"), 1, "one check");
        let refused: i64 = audit_events::table
            .filter(audit_events::action.eq("case.duplicate_check"))
            .filter(audit_events::outcome.eq("denied"))
            .filter(audit_events::reason.eq("rate_limited"))
            .count()
            .get_result(&mut db.conn())
            .expect("count");
        assert_eq!(refused, 1, "and the refusal, audited");
    }
}
