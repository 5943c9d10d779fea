//! The case pages (issue 6) through the real app, as a browser uses them: the
//! intake form refused and accepted, two workers saving the same case, a refused
//! step of the lifecycle, the search by name however it is typed, the scope of
//! the lists, and titles that never name the survivor.

use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::init_service;
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::auth::{current_code, enrol_with_secret};
use chrono::{Duration, Utc};

use crate::on_both_backends;
use crate::sign_in_pages::{Browser, Page, sign_in};
use crate::support::app::{PASSWORD, account, state};
use crate::support::db::{TestDb, load_units};

const SECRET: &[u8; 20] = b"twenty bytes secret!";
/// Thành Sen, where the test social workers work; Trần Phú is outside their scope.
const THANH_SEN: &str = "18073";
const TRAN_PHU: &str = "18100";
const NAME: &str = "Nguyễn Thị Hoa";

/// Two social workers of Thành Sen and a supervisor with a second factor.
pub(crate) fn people(db: &TestDb) {
    let mut conn = db.migrated();
    load_units(&mut conn);
    account(db, &mut conn, "hanh", Role::SocialWorker);
    account(db, &mut conn, "lan", Role::SocialWorker);
    let dung = account(db, &mut conn, "dung", Role::Supervisor);
    enrol_with_secret(&mut conn, &db.keys(), dung.id, SECRET, Utc::now().naive_utc()).expect("enrol");
}

pub(crate) async fn signed_in<S, B>(app: &S, username: &str) -> Browser
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut browser = Browser::default();
    let code = if username == "dung" {
        current_code(SECRET, Utc::now().naive_utc()).expect("code")
    } else {
        String::new()
    };
    let res = sign_in(app, &mut browser, username, PASSWORD, &code).await;
    assert_eq!(res.status, 303, "{username} signs in: {}", res.html);
    browser
}

/// The report an hour ago, as the browser's date-time field sends it (Vietnam time).
fn an_hour_ago() -> String {
    (Utc::now() - Duration::hours(1) + Duration::hours(7)).format("%Y-%m-%dT%H:%M").to_string()
}

/// A complete intake of `name` in `commune`.
pub(crate) fn intake(name: &str, commune: &str) -> Vec<(&'static str, String)> {
    vec![
        ("intent", "save".into()),
        ("immediate_danger", "1".into()),
        ("report_source", "village_head".into()),
        ("report_channel", "phone".into()),
        ("reported_at", an_hour_ago()),
        ("commune_code", commune.into()),
        ("survivor.full_name", name.into()),
        ("survivor.sex", "female".into()),
        ("survivor.age_group", "25-59".into()),
        ("survivor.phone", "0912 345 678".into()),
        ("incident.forms", "physical".into()),
        ("incident.acts", "harm_health_life".into()),
        ("incident.narrative", "Chồng đánh chị lúc 21 giờ, đe dọa giết nếu chị bỏ đi.".into()),
        ("perpetrator.relationship", "spouse".into()),
        ("survivor.safe_contact", "Không gọi số nhà; nhắn tin cho chị gái.".into()),
    ]
}

/// Opens the intake form and sends `fields` with its token.
pub(crate) async fn send_intake<S, B>(app: &S, browser: &mut Browser, fields: &[(&str, String)]) -> Page
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let form = browser.send(app, browser.get("/cases/new")).await;
    assert_eq!(form.status, 200, "{}", form.html);
    let token = form.field("csrf_token");
    let mut all: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.push(("csrf_token", &token));
    browser.send(app, browser.post("/cases/new", &all)).await
}

/// Records a case through the form; returns its page's address.
pub(crate) async fn new_case<S, B>(app: &S, browser: &mut Browser, name: &str, commune: &str) -> String
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let res = send_intake(app, browser, &intake(name, commune)).await;
    assert_eq!(res.status, 303, "the intake is saved: {}", res.html);
    assert!(
        res.location.starts_with("/cases/") && res.location.ends_with("?done=created"),
        "{}",
        res.location
    );
    res.location.trim_end_matches("?done=created").to_string()
}

/// The case number shown in a case page's heading.
pub(crate) fn case_number(page: &Page) -> String {
    let title = page.title();
    title.rsplit(' ').next().expect("number").to_string()
}

fn assert_title_names_no_one(page: &Page) {
    let title = page.title();
    assert!(title.starts_with("Bình An – "), "{title}");
    for personal in ["Hoa", "Nguyễn", "hoa"] {
        assert!(!title.contains(personal), "the title names the survivor: {title}");
    }
}

on_both_backends! {
    async fn an_intake_with_a_missing_name_and_a_future_date_comes_back_whole_with_a_vietnamese_message_per_field(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let mut fields = intake("", THANH_SEN);
        fields.push(("incident.occurred_on", "2099-03-08".into()));
        fields.push(("survivor.address", "Thôn Đông, phường Thành Sen".into()));
        let res = send_intake(&app, &mut hanh, &fields).await;
        assert_eq!(res.status, 422, "{}", res.html);
        crate::pages::assert_csp_safe("intake", &res.html);
        for kept in [
            r#"value="0912 345 678""#,
            r#"value="Thôn Đông, phường Thành Sen""#,
            r#"value="2099-03-08""#,
            "Chồng đánh chị lúc 21 giờ, đe dọa giết nếu chị bỏ đi.",
            "Không gọi số nhà; nhắn tin cho chị gái.",
            r#"value="harm_health_life" checked"#,
            r#"value="physical" checked"#,
            r#"<option value="village_head" selected>"#,
            r#"<option value="spouse" selected>"#,
            r#"id="immediate_danger" name="immediate_danger" value="1" checked"#,
        ] {
            assert!(res.html.contains(kept), "not kept: {kept}");
        }
        assert!(res.html.contains(r#"<p class="field-error" id="survivor-full_name-error">Hãy điền ô này.</p>"#), "{}", res.html);
        assert!(res.html.contains(r#"<p class="field-error" id="incident-occurred_on-error">Thời điểm này ở trong tương lai. Hãy kiểm tra lại.</p>"#));
        let name_field = res.html.split(r#"id="survivor-full_name" name="survivor.full_name""#).nth(1).expect("name field");
        let attrs = name_field.split('>').next().expect("attributes");
        assert!(attrs.contains(r#"aria-invalid="true""#) && attrs.contains("survivor-full_name-error") && attrs.contains("autofocus"), "{attrs}");
        assert!(res.html.contains(r##"<a href="#survivor-full_name">"##), "the summary links to the field");
        assert_title_names_no_one(&res);

        let list = hanh.send(&app, hanh.get("/cases")).await;
        assert!(list.html.contains("Không có hồ sơ nào."), "nothing was written");
    }
}

on_both_backends! {
    async fn a_valid_intake_goes_to_the_case_page_which_shows_the_survivor_and_her_safe_contact_note(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = new_case(&app, &mut hanh, NAME, THANH_SEN).await;
        let page = hanh.send(&app, hanh.get(&format!("{case}?done=created"))).await;
        assert_eq!(page.status, 200);
        crate::pages::assert_csp_safe("case", &page.html);
        assert!(page.html.contains("Đã lưu hồ sơ."));
        assert!(page.html.contains(NAME) && page.html.contains("0912 345 678"));
        let safe = page.html.find("Không gọi số nhà; nhắn tin cho chị gái.").expect("safe contact note");
        let phone = page.html.find("0912 345 678").expect("phone");
        assert!(safe < phone, "the safe-contact note comes before the phone number");
        assert!(page.html.contains("Chuyển sang: Đánh giá"), "the next step is offered");
        assert!(page.title().starts_with("Bình An – Hồ sơ 42-"), "{}", page.title());
        assert_title_names_no_one(&page);
    }
}

on_both_backends! {
    async fn when_two_workers_save_the_same_case_the_second_keeps_her_input_and_is_told_someone_saved_first(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let mut lan = signed_in(&app, "lan").await;
        let case = new_case(&app, &mut hanh, NAME, THANH_SEN).await;
        let hanh_page = hanh.send(&app, hanh.get(&case)).await;
        let lan_page = lan.send(&app, lan.get(&case)).await;
        let version = lan_page.field("version");
        let edit = |page: &Page, note: &'static str| {
            vec![
                ("csrf_token", page.field("csrf_token")),
                ("version", page.field("version")),
                ("survivor.full_name", NAME.to_string()),
                ("survivor.phone", "0912 345 678".to_string()),
                ("survivor.address", String::new()),
                ("survivor.guardian_name", String::new()),
                ("survivor.guardian_phone", String::new()),
                ("survivor.safe_contact", note.to_string()),
            ]
        };
        let first = edit(&hanh_page, "Nhắn tin cho chị gái trước.");
        let first: Vec<(&str, &str)> = first.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let saved = hanh.send(&app, hanh.post(&format!("{case}/edit"), &first)).await;
        assert_eq!(saved.status, 303, "{}", saved.html);

        let second = edit(&lan_page, "Chỉ gọi sau 20 giờ, khi chồng đi làm.");
        let second: Vec<(&str, &str)> = second.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = lan.send(&app, lan.post(&format!("{case}/edit"), &second)).await;
        assert_eq!(refused.status, 409, "{}", refused.html);
        assert!(refused.html.contains("Người khác vừa lưu hồ sơ này sau khi bạn mở nó."), "{}", refused.html);
        let form = refused.html.split(r#"action="/cases/"#).filter(|f| f.contains("/edit\"")).last().expect("the edit form");
        assert!(form.contains("Chỉ gọi sau 20 giờ, khi chồng đi làm."), "her input is kept: {form}");
        let new_version = refused.field("version");
        assert!(new_version.parse::<i32>().ok() > version.parse::<i32>().ok(), "the form carries the version saved first");
        let again: Vec<(&str, &str)> =
            second.iter().map(|&(k, v)| (k, if k == "version" { new_version.as_str() } else { v })).collect();
        let saved = lan.send(&app, lan.post(&format!("{case}/edit"), &again)).await;
        assert_eq!(saved.status, 303, "she can save again after review: {}", saved.html);
    }
}

on_both_backends! {
    async fn a_refused_step_says_which_steps_are_allowed(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = new_case(&app, &mut hanh, NAME, THANH_SEN).await;
        let page = hanh.send(&app, hanh.get(&case)).await;
        let fields = [
            ("csrf_token", page.field("csrf_token")),
            ("version", page.field("version")),
            ("to", "follow_up".to_string()),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = hanh.send(&app, hanh.post(&format!("{case}/transition"), &fields)).await;
        assert_eq!(refused.status, 409, "{}", refused.html);
        assert!(
            refused.html.contains("Hồ sơ đang ở bước “Tiếp nhận” nên không thể chuyển sang “Theo dõi”. Có thể chuyển sang: Đánh giá, Đã đóng."),
            "{}",
            refused.html
        );
        assert!(refused.html.contains(r#"role="alert""#));
        assert_title_names_no_one(&refused);
    }
}

on_both_backends! {
    async fn the_search_finds_a_name_typed_without_accents_and_lists_stay_within_the_workers_communes(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let mut dung = signed_in(&app, "dung").await;
        let mine = new_case(&app, &mut hanh, NAME, THANH_SEN).await;
        let elsewhere = new_case(&app, &mut dung, NAME, TRAN_PHU).await;
        let mine_number = case_number(&hanh.send(&app, hanh.get(&mine)).await);
        let elsewhere_number = case_number(&dung.send(&app, dung.get(&elsewhere)).await);

        let list = hanh.send(&app, hanh.get("/cases")).await;
        let token = list.field("csrf_token");
        let results = hanh.send(&app, hanh.post("/cases/search", &[("csrf_token", &token), ("name", "nguyen thi hoa"), ("phone", "")])).await;
        assert_eq!(results.status, 200, "{}", results.html);
        assert!(results.html.contains(&mine_number), "her case is found: {}", results.html);
        assert!(!results.html.contains(&elsewhere_number), "a case outside her communes is not");
        assert!(!results.html.contains(&format!(">{NAME}<")), "the list shows no name");
        assert_title_names_no_one(&results);

        for uri in ["/cases", &format!("/cases?commune={TRAN_PHU}"), "/cases?status=intake", "/"] {
            let page = hanh.send(&app, hanh.get(uri)).await;
            assert_eq!(page.status, 200, "{uri}");
            assert!(!page.html.contains(&elsewhere_number), "{uri} shows a case outside her scope");
        }
        assert!(hanh.send(&app, hanh.get("/cases")).await.html.contains(&mine_number));
        assert_eq!(hanh.send(&app, hanh.get(&elsewhere)).await.status, 404, "nor can she open it");

        let token = dung.send(&app, dung.get("/cases")).await.field("csrf_token");
        let all = dung.send(&app, dung.post("/cases/search", &[("csrf_token", &token), ("name", "NGUYEN THI HOA")])).await;
        assert!(all.html.contains(&mine_number) && all.html.contains(&elsewhere_number), "the supervisor sees the province");
    }
}

on_both_backends! {
    async fn no_page_of_a_case_names_the_survivor_in_its_title(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = new_case(&app, &mut hanh, NAME, THANH_SEN).await;
        for uri in [case.clone(), format!("{case}?done=risk"), "/cases".into(), "/cases/new".into(), "/".into()] {
            let page = hanh.send(&app, hanh.get(&uri)).await;
            assert_eq!(page.status, 200, "{uri}");
            crate::pages::assert_csp_safe(&uri, &page.html);
            assert_title_names_no_one(&page);
        }
    }
}
