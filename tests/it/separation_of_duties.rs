//! Two people to open a door (issue 17): an administrator alone never obtains a
//! session that reads a case. An account that reads people (social worker,
//! supervisor, safe-house staff), and any change that widens one, waits for a
//! supervisor; a new or reset account gets a one-time enrolment code (72 hours,
//! used once) that goes to the confirming supervisor, never to the administrator.

use actix_web::body::MessageBody;
use actix_web::cookie::Cookie;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::{TestRequest, call_service, init_service};
use binhan::audit::Actor;
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::http::session::SESSION_COOKIE;
use binhan::services::auth::{AuthSettings, enrol_with_secret};
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::onboarding::{admin, two_factor_code};
use crate::sign_in_pages::{Browser, Page, sign_in};
use crate::support::api::{SECRET, get, post, send};
use crate::support::app::{PASSWORD, account, state};
use crate::support::db::{TestDb, load_units};
use crate::support::intake::intake_json;

/// A supervisor with her second factor set up.
fn supervisor(db: &TestDb, conn: &mut binhan::store::DbConn, username: &str) {
    let user = account(db, conn, username, Role::Supervisor);
    enrol_with_secret(conn, &db.keys(), user.id, SECRET, Utc::now().naive_utc()).expect("second factor");
}

/// The province with an administrator (quantri), a supervisor (giamsat) and one
/// case in Thành Sen recorded by its social worker (hanh).
fn province(db: &TestDb) -> binhan::store::DbConn {
    let mut conn = db.migrated();
    load_units(&mut conn);
    admin(db, &mut conn);
    supervisor(db, &mut conn, "giamsat");
    account(db, &mut conn, "hanh", Role::SocialWorker);
    conn
}

async fn a_case<S, B>(app: &S) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let hanh = crate::support::api::sign_in(app, "hanh", false).await;
    let (status, case) = send(app, post("/cases", &hanh, intake_json("Nguyễn Thị Lan", "18073"))).await;
    assert_eq!(status, 201, "{case}");
    case["id"].as_str().expect("id").to_string()
}

/// The administrator, signed in through the pages.
async fn quantri<S, B>(app: &S) -> Browser
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut browser = Browser::default();
    assert_eq!(sign_in(app, &mut browser, "quantri", PASSWORD, &two_factor_code()).await.status, 303);
    browser
}

/// What the administrator gets from an action of the account list, after its
/// confirmation page.
async fn admin_does<S, B>(app: &S, quantri: &mut Browser, username: &str, action: &str) -> Page
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let path = format!("/admin/users/{username}/{action}");
    let confirm = quantri.send(app, quantri.get(&path)).await;
    assert_eq!(confirm.status, 200, "{}", confirm.html);
    let token = confirm.field("csrf_token");
    quantri.send(app, quantri.post(&path, &[("csrf_token", &token)])).await
}

/// The administrator creates an account through the pages.
async fn admin_creates<S, B>(app: &S, quantri: &mut Browser, fields: &[(&str, &str)]) -> Page
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let form = quantri.send(app, quantri.get("/admin/users/new")).await;
    let token = form.field("csrf_token");
    let mut posted = vec![("csrf_token", token.as_str())];
    posted.extend_from_slice(fields);
    quantri.send(app, quantri.post("/admin/users", &posted)).await
}

/// The enrolment code a page shows, if any.
fn code_on(page: &Page) -> Option<String> {
    let marker = r#"<code class="secret" id="enrolment-code">"#;
    let at = page.html.find(marker)? + marker.len();
    Some(page.html[at..at + page.html[at..].find("</code>")?].to_string())
}

/// Everything the administrator could try with what she saw: every code-like text
/// of her pages as a password and as an enrolment code. None opens a session.
async fn nothing_opens<S, B>(app: &S, username: &str, seen: &[&Page])
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut tries: Vec<String> = seen.iter().filter_map(|p| code_on(p)).collect();
    tries.push(PASSWORD.into());
    for secret in &tries {
        let login = TestRequest::post()
            .uri("/api/v1/auth/login")
            .set_json(json!({"username": username, "password": secret, "totp": two_factor_code()}));
        assert_eq!(send(app, login).await.0, 401, "{username} signs in with {secret}");
        let enrol = TestRequest::post().uri("/api/v1/auth/enrol").set_json(
            json!({"username": username, "code": secret, "password": "một mật khẩu rất dài của quản trị"}),
        );
        assert_eq!(send(app, enrol).await.0, 401, "{username} enrols with {secret}");
    }
}

/// The changes waiting, as a supervisor's API shows them.
async fn waiting<S, B>(app: &S, cookie: &Cookie<'static>) -> Vec<Value>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let (status, body) = send(app, get("/account-changes", cookie)).await;
    assert_eq!(status, 200, "{body}");
    body["waiting"].as_array().cloned().unwrap_or_default()
}

fn change_of<'a>(changes: &'a [Value], username: &str) -> &'a Value {
    changes.iter().find(|c| c["username"] == username).unwrap_or_else(|| panic!("no change of {username}"))
}

/// A supervisor confirms the change of `username`; the enrolment code it gave, if any.
async fn confirm<S, B>(app: &S, supervisor: &Cookie<'static>, username: &str) -> Option<String>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let changes = waiting(app, supervisor).await;
    let id = change_of(&changes, username)["id"].as_str().expect("id").to_string();
    let (status, decided) = send(
        app,
        post(&format!("/account-changes/{id}/decision"), supervisor, json!({"decision": "confirm"})),
    )
    .await;
    assert_eq!(status, 200, "{decided}");
    decided["enrolment_code"].as_str().map(str::to_string)
}

/// Enrols through the API; the session cookie when it worked, else the status.
async fn enrol<S, B>(app: &S, username: &str, code: &str, password: &str) -> Result<Cookie<'static>, u16>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let req = TestRequest::post()
        .uri("/api/v1/auth/enrol")
        .set_json(json!({"username": username, "code": code, "password": password}));
    let res = call_service(app, req.to_request()).await;
    if res.status() != 200 {
        return Err(res.status().as_u16());
    }
    Ok(res.response().cookies().find(|c| c.name() == SESSION_COOKIE).expect("session").into_owned())
}

const HER_OWN: &str = "gió Lào thổi qua cánh đồng";

on_both_backends! {
    async fn an_administrator_alone_cannot_read_cases_by_creating_a_worker(db: TestDb) {
        let _conn = province(&db);
        let app = init_service(app(state(&db))).await;
        a_case(&app).await;
        let mut quantri = quantri(&app).await;
        let created = admin_creates(&app, &mut quantri, &[("username", "lan"), ("display_name", "Hồ Thị Lan"),
            ("role", "social_worker"), ("communes", "18073")]).await;
        assert_eq!(created.status, 200, "{}", created.html);
        assert!(created.html.contains(r#"id="waiting-notice""#), "the administrator is told it waits");
        assert_eq!(code_on(&created), None, "no code is shown to the administrator");
        let list = quantri.send(&app, quantri.get("/admin/users")).await;
        assert!(list.html.contains("Chờ cán bộ giám sát xác nhận"));
        // She cannot decide it herself, on the page or the API.
        assert_eq!(quantri.send(&app, quantri.get("/account-changes")).await.status, 403);
        nothing_opens(&app, "lan", &[&created, &list]).await;
    }
}

on_both_backends! {
    async fn an_administrator_alone_cannot_read_cases_by_resetting_a_password(db: TestDb) {
        let _conn = province(&db);
        let app = init_service(app(state(&db))).await;
        a_case(&app).await;
        let mut quantri = quantri(&app).await;
        let reset = admin_does(&app, &mut quantri, "hanh", "reset-password").await;
        assert_eq!(reset.status, 200, "{}", reset.html);
        assert!(reset.html.contains(r#"id="waiting-notice""#));
        assert_eq!(code_on(&reset), None);
        // Until a supervisor decides, nothing changed: her own password still works.
        let hanh = crate::support::api::sign_in(&app, "hanh", false).await;
        assert_eq!(send(&app, get("/cases", &hanh)).await.0, 200);

        let giamsat = crate::support::api::sign_in(&app, "giamsat", true).await;
        let code = confirm(&app, &giamsat, "hanh").await.expect("the supervisor gets the code");
        assert_eq!(send(&app, get("/me", &hanh)).await.0, 401, "her sessions ended");
        let old = TestRequest::post().uri("/api/v1/auth/login").set_json(json!({"username": "hanh", "password": PASSWORD}));
        assert_eq!(send(&app, old).await.0, 401, "her old password ended");
        nothing_opens(&app, "hanh", &[&reset]).await;
        assert!(enrol(&app, "hanh", &code, HER_OWN).await.is_ok(), "the code handed to her works");
    }
}

on_both_backends! {
    async fn an_administrator_alone_cannot_read_cases_by_resetting_a_second_factor(db: TestDb) {
        let mut conn = province(&db);
        supervisor(&db, &mut conn, "dung");
        let app = init_service(app(state(&db))).await;
        let mut quantri = quantri(&app).await;
        let reset = admin_does(&app, &mut quantri, "dung", "reset-second-factor").await;
        assert_eq!(reset.status, 200, "{}", reset.html);
        assert!(reset.html.contains(r#"id="waiting-notice""#));
        let dung = binhan::store::users::by_username(&mut conn, "dung").unwrap().unwrap();
        assert!(dung.totp_secret.is_some() && dung.totp_last_step.is_some(), "her second factor stays until confirmed");
        // Her password alone opens no session while it waits.
        let login = TestRequest::post().uri("/api/v1/auth/login").set_json(json!({"username": "dung", "password": PASSWORD}));
        assert_eq!(send(&app, login).await.0, 401);

        // She cannot confirm the reset of her own second factor; another supervisor can.
        let dung_session = crate::support::api::sign_in(&app, "dung", true).await;
        let changes = waiting(&app, &dung_session).await;
        let mine = change_of(&changes, "dung");
        assert_eq!(mine["may_decide"], false);
        let id = mine["id"].as_str().unwrap().to_string();
        let (status, _) = send(&app, post(&format!("/account-changes/{id}/decision"), &dung_session, json!({"decision": "confirm"}))).await;
        assert_eq!(status, 403);
        let giamsat = crate::support::api::sign_in(&app, "giamsat", true).await;
        assert_eq!(confirm(&app, &giamsat, "dung").await, None, "a second-factor reset gives no code");
        let dung = binhan::store::users::by_username(&mut conn, "dung").unwrap().unwrap();
        assert!(dung.totp_secret.is_none(), "confirmed, the second factor is gone");
        let actions: Vec<String> = binhan::store::audit::actions_on(&mut conn, "user", &dung.id).unwrap().into_iter()
            .map(|(action, outcome)| format!("{action}:{outcome}")).collect();
        assert!(actions.contains(&"account.request_change:success".to_string()), "{actions:?}");
        assert!(actions.contains(&"account.confirm_change:denied".to_string()), "{actions:?}");
        assert!(actions.contains(&"account.confirm_change:success".to_string()), "{actions:?}");
    }
}

on_both_backends! {
    async fn an_administrator_alone_cannot_read_cases_by_widening_communes(db: TestDb) {
        let _conn = province(&db);
        let app = init_service(app(state(&db))).await;
        let case = a_case(&app).await;
        let mut quantri = quantri(&app).await;
        // An account that reads nobody: its code goes to the administrator, who enrols as it.
        let created = admin_creates(&app, &mut quantri, &[("username", "ban"), ("display_name", "Thành viên Ban"),
            ("role", "committee_member")]).await;
        let code = code_on(&created).expect("a committee member's code is the administrator's to hand over");
        let ban = enrol(&app, "ban", &code, HER_OWN).await.expect("enrolled");
        // She widens it into a social worker of Thành Sen: it waits.
        let form = quantri.send(&app, quantri.get("/admin/users/ban/access")).await;
        assert_eq!(form.status, 200, "{}", form.html);
        let token = form.field("csrf_token");
        let widened = quantri.send(&app, quantri.post("/admin/users/ban/access",
            &[("csrf_token", &token), ("role", "social_worker"), ("communes", "18073")])).await;
        assert_eq!(widened.status, 200, "{}", widened.html);
        assert!(widened.html.contains(r#"id="waiting-notice""#));
        let me = send(&app, get("/me", &ban)).await.1;
        assert_eq!(me["role"], "committee_member", "nothing changed yet");
        let status = send(&app, get(&format!("/cases/{case}"), &ban)).await.0;
        assert!(status == 403 || status == 404, "a committee member reads no case: {status}");

        // Confirmed, the role changes but the administrator's credentials die with it.
        let giamsat = crate::support::api::sign_in(&app, "giamsat", true).await;
        let fresh = confirm(&app, &giamsat, "ban").await.expect("a new code, for the supervisor");
        assert_eq!(send(&app, get("/me", &ban)).await.0, 401, "the administrator's session ended");
        let login = TestRequest::post().uri("/api/v1/auth/login").set_json(json!({"username": "ban", "password": HER_OWN}));
        assert_eq!(send(&app, login).await.0, 401, "the password she chose ended");
        nothing_opens(&app, "ban", &[&created, &widened]).await;
        // A worker whose communes are widened keeps her account; the wider scope waits too.
        let token = quantri.send(&app, quantri.get("/admin/users/hanh/access")).await.field("csrf_token");
        let wider = quantri.send(&app, quantri.post("/admin/users/hanh/access",
            &[("csrf_token", &token), ("role", "social_worker"), ("communes", "18073"), ("communes", "18100")])).await;
        assert!(wider.html.contains(r#"id="waiting-notice""#), "{}", wider.html);
        let hanh = crate::support::api::sign_in(&app, "hanh", false).await;
        assert_eq!(send(&app, get("/me", &hanh)).await.1["communes"], json!(["18073"]));
        assert!(fresh.len() >= 16);
    }
}

on_both_backends! {
    async fn an_unconfirmed_account_cannot_sign_in(db: TestDb) {
        let mut conn = province(&db);
        let app = init_service(app(state(&db))).await;
        let mut quantri = quantri(&app).await;
        admin_creates(&app, &mut quantri, &[("username", "tam"), ("display_name", "Trần Thị Tâm"),
            ("role", "supervisor")]).await;
        let tam = binhan::store::users::by_username(&mut conn, "tam").unwrap().unwrap();
        assert!(binhan::services::enrolment::awaits_enrolment(&tam.password_hash));
        assert_eq!(binhan::store::account_changes::code_expiry(&mut conn, &tam.id).unwrap(), None, "no code exists yet");
        nothing_opens(&app, "tam", &[]).await;
        // Refused, it never opens.
        let giamsat = crate::support::api::sign_in(&app, "giamsat", true).await;
        let id = change_of(&waiting(&app, &giamsat).await, "tam")["id"].as_str().unwrap().to_string();
        let (status, _) = send(&app, post(&format!("/account-changes/{id}/decision"), &giamsat, json!({"decision": "refuse"}))).await;
        assert_eq!(status, 200);
        assert!(binhan::store::users::by_username(&mut conn, "tam").unwrap().unwrap().disabled_at.is_some());
        let (status, _) = send(&app, post(&format!("/account-changes/{id}/decision"), &giamsat, json!({"decision": "confirm"}))).await;
        assert_eq!(status, 404, "a decided change is decided");
    }
}

on_both_backends! {
    async fn a_confirmed_account_enrols_with_its_code_and_reads_its_cases(db: TestDb) {
        let _conn = province(&db);
        let app = init_service(app(state(&db))).await;
        let case = a_case(&app).await;
        let mut quantri = quantri(&app).await;
        admin_creates(&app, &mut quantri, &[("username", "lan"), ("display_name", "Hồ Thị Lan"),
            ("role", "social_worker"), ("communes", "18073")]).await;
        // The supervisor confirms on her page and reads the code once.
        let mut giamsat = Browser::default();
        assert_eq!(sign_in(&app, &mut giamsat, "giamsat", PASSWORD, &two_factor_code()).await.status, 303);
        let home = giamsat.send(&app, giamsat.get("/")).await;
        assert!(home.html.contains(r#"id="home-account-changes""#) && home.html.contains("(lan)"), "her home page tells her");
        let list = giamsat.send(&app, giamsat.get("/account-changes")).await;
        assert!(list.html.contains("Tài khoản mới") && list.html.contains("Hồ Thị Lan"), "{}", list.html);
        let marker = r#"<form method="post" action="/account-changes/"#;
        let at = list.html.find(marker).expect("a confirm form") + marker.len();
        let id = &list.html[at..at + list.html[at..].find('"').unwrap()];
        let token = list.field("csrf_token");
        let confirmed = giamsat.send(&app, giamsat.post(&format!("/account-changes/{id}"),
            &[("csrf_token", &token), ("decision", "confirm")])).await;
        assert_eq!(confirmed.status, 200, "{}", confirmed.html);
        let code = code_on(&confirmed).expect("the code, shown once");

        // Lan enrols through the page and works.
        let mut lan = Browser::default();
        let form = lan.send(&app, lan.get("/enrol")).await;
        assert_eq!(form.status, 200);
        let token = form.field("csrf_token");
        let done = lan.send(&app, lan.post("/enrol", &[("csrf_token", &token), ("username", "lan"), ("code", &code),
            ("new_password", HER_OWN), ("repeat_password", HER_OWN)])).await;
        assert_eq!((done.status, done.location.as_str()), (303, "/"), "{}", done.html);
        let page = lan.send(&app, lan.get(&format!("/cases/{case}"))).await;
        assert_eq!(page.status, 200, "she reads her commune's case");
        let recent = giamsat.send(&app, giamsat.get("/account-changes")).await;
        assert!(recent.html.contains("Xác nhận bởi giamsat"), "the decision is listed");
    }
}

on_both_backends! {
    async fn an_enrolment_code_works_once(db: TestDb) {
        let _conn = province(&db);
        let app = init_service(app(state(&db))).await;
        let mut quantri = quantri(&app).await;
        admin_creates(&app, &mut quantri, &[("username", "lan"), ("display_name", "Hồ Thị Lan"),
            ("role", "social_worker"), ("communes", "18073")]).await;
        let giamsat = crate::support::api::sign_in(&app, "giamsat", true).await;
        let code = confirm(&app, &giamsat, "lan").await.expect("code");
        // A refused password leaves the code unused.
        let req = TestRequest::post().uri("/api/v1/auth/enrol")
            .set_json(json!({"username": "lan", "code": code, "password": "short"}));
        let (status, problem) = send(&app, req).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "new_password");
        let typed = code.to_uppercase().replace('-', " ");
        assert!(enrol(&app, "lan", &typed, HER_OWN).await.is_ok(), "typed in capitals with spaces, it still works");
        assert_eq!(enrol(&app, "lan", &code, "một mật khẩu khác hẳn cho lần hai").await.err(), Some(401), "used once");
    }
}

on_both_backends! {
    async fn an_enrolment_code_expires_after_72_hours(db: TestDb) {
        let mut conn = province(&db);
        let now = Utc::now().naive_utc();
        let code = binhan::services::accounts::reset_password(&mut conn, &Actor::command("user reset-password"), "hanh", now)
            .expect("a code");
        let settings = AuthSettings::from_config(&crate::support::app::config(&db));
        let late = binhan::services::enrolment::enrol(&mut conn, &db.keys(), &settings, &Actor::command("test"), "hanh",
            &code, None, HER_OWN, now + Duration::hours(72) + Duration::seconds(1));
        assert!(late.is_err(), "after 72 hours the code is refused");
        let in_time = binhan::services::enrolment::enrol(&mut conn, &db.keys(), &settings, &Actor::command("test"), "hanh",
            &code, None, HER_OWN, now + Duration::hours(71));
        assert!(in_time.is_ok(), "within 72 hours it works");
    }
}

on_both_backends! {
    async fn a_new_supervisor_is_confirmed_by_another_supervisor(db: TestDb) {
        let mut conn = province(&db);
        let app = init_service(app(state(&db))).await;
        let mut quantri = quantri(&app).await;
        admin_creates(&app, &mut quantri, &[("username", "tam"), ("display_name", "Trần Thị Tâm"),
            ("role", "supervisor")]).await;
        let giamsat = crate::support::api::sign_in(&app, "giamsat", true).await;
        let code = confirm(&app, &giamsat, "tam").await.expect("code");
        let tam = enrol(&app, "tam", &code, HER_OWN).await.expect("enrolled");
        let (_, me) = send(&app, get("/me", &tam)).await;
        assert_eq!(me["stage"], "enrol_second_factor", "a supervisor sets up her second factor next");
        // Her own second-factor reset later is not hers to confirm.
        let row = binhan::store::users::by_username(&mut conn, "tam").unwrap().unwrap();
        enrol_with_secret(&mut conn, &db.keys(), row.id.parse().unwrap(), SECRET, Utc::now().naive_utc()).unwrap();
        admin_does(&app, &mut quantri, "tam", "reset-second-factor").await;
        let login = TestRequest::post().uri("/api/v1/auth/login")
            .set_json(json!({"username": "tam", "password": HER_OWN, "totp": two_factor_code()}));
        let res = call_service(&app, login.to_request()).await;
        assert_eq!(res.status(), 200);
        let tam = res.response().cookies().find(|c| c.name() == SESSION_COOKIE).unwrap().into_owned();
        let changes = waiting(&app, &tam).await;
        assert_eq!(change_of(&changes, "tam")["may_decide"], false);
        assert_eq!(confirm(&app, &giamsat, "tam").await, None);
    }
}

on_both_backends! {
    async fn the_cli_break_glass_account_is_audited_as_such(db: TestDb) {
        use crate::support::process::{binhan, run_within};
        let data = db.data_dir();
        let run = |args: &[&str]| {
            let mut cmd = binhan();
            cmd.env("BINHAN_DATA_DIR", &data).env("BINHAN_DATABASE_URL", &db.url_text).args(args);
            cmd
        };
        assert!(run_within(run(&["init"]), std::time::Duration::from_secs(60)).status.success());
        let added = run_within(
            run(&["user", "add", "giamsat", "--name", "Nguyễn Văn Giám", "--role", "supervisor"]),
            std::time::Duration::from_secs(60),
        );
        assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
        let said = String::from_utf8_lossy(&added.stdout);
        assert!(said.contains("break-glass") && said.contains("Enrolment code"), "{said}");
        let mut conn = db.conn();
        let user = binhan::store::users::by_username(&mut conn, "giamsat").unwrap().unwrap();
        let reasons = binhan::store::audit::reasons_on(&mut conn, "user", &user.id).unwrap();
        assert!(
            reasons.iter().any(|(action, reason)| action == "account.create" && reason.as_deref() == Some("supervisor break_glass")),
            "{reasons:?}"
        );
        assert!(binhan::store::account_changes::pending_of(&mut conn, &user.id).unwrap().is_none(), "nothing waits");
    }
}
