//! Signing in, out and around through the pages, as a browser does: the sign-in
//! form with its CSRF cookie, each role's home, the second-factor set-up, the
//! account page and the administrator's account pages (issue 4; ASVS V3 web
//! frontend, V6 authentication, V7 sessions, V8 authorization).

use std::collections::BTreeMap;

use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::cookie::Cookie;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::test::{TestRequest, init_service, read_body};
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::auth::{self, current_code, enrol_with_secret};
use chrono::Utc;

use crate::on_both_backends;
use crate::support::app::{PASSWORD, account, safe_house, staff_of, state};
use crate::support::db::load_units;

const SECRET: &[u8; 20] = b"twenty bytes secret!";
const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// What came back: the status, where it sends the browser, the headers and the page.
pub(crate) struct Page {
    pub status: u16,
    pub location: String,
    pub headers: HeaderMap,
    pub html: String,
}

impl Page {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The value of the first form field called `name` (such as `csrf_token`).
    pub fn field(&self, name: &str) -> String {
        let marker = format!(r#"name="{name}" value=""#);
        let at = self.html.find(&marker).unwrap_or_else(|| panic!("no field {name} in {}", self.html));
        let rest = &self.html[at + marker.len()..];
        rest[..rest.find('"').expect("end of value")].to_string()
    }

    pub fn title(&self) -> &str {
        self.html
            .split_once("<title>")
            .and_then(|(_, rest)| rest.split_once("</title>"))
            .map(|(title, _)| title)
            .unwrap_or("")
    }
}

/// A browser: it keeps the cookies the site sets and sends them back.
#[derive(Default)]
pub(crate) struct Browser {
    jar: BTreeMap<String, String>,
}

impl Browser {
    fn with_cookies(&self, mut req: TestRequest) -> TestRequest {
        for (name, value) in &self.jar {
            req = req.cookie(Cookie::new(name.clone(), value.clone()));
        }
        req.insert_header(("accept", BROWSER_ACCEPT))
    }

    pub fn get(&self, uri: &str) -> TestRequest {
        self.with_cookies(TestRequest::get().uri(uri))
    }

    /// A form sent as Chromium sends it: under `Referrer-Policy: no-referrer` its
    /// `Origin` is `null`, and `Sec-Fetch-Site` says it comes from this site.
    pub fn post(&self, uri: &str, form: &[(&str, &str)]) -> TestRequest {
        self.with_cookies(TestRequest::post().uri(uri))
            .insert_header(("origin", "null"))
            .insert_header(("sec-fetch-site", "same-origin"))
            .set_form(form)
    }

    pub async fn send<S, B>(&mut self, app: &S, req: TestRequest) -> Page
    where
        S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
        B: MessageBody,
    {
        let res = app.call(req.to_request()).await.unwrap_or_else(|e| panic!("request failed: {e}"));
        for cookie in res.response().cookies() {
            let dead = cookie.max_age().is_some_and(|age| age.is_zero()) || cookie.value().is_empty();
            if dead {
                self.jar.remove(cookie.name());
            } else {
                self.jar.insert(cookie.name().to_string(), cookie.value().to_string());
            }
        }
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let html = String::from_utf8(read_body(res).await.to_vec()).expect("utf-8 body");
        Page { status, location, headers, html }
    }

    fn session(&self) -> Option<&String> {
        self.jar.get("__Host-binhan_session")
    }
}

/// Opens the sign-in page and sends the form, as a person would.
pub(crate) async fn sign_in<S, B>(
    app: &S,
    browser: &mut Browser,
    username: &str,
    password: &str,
    code: &str,
) -> Page
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let form = browser.send(app, browser.get("/login")).await;
    assert_eq!(form.status, 200);
    let token = form.field("csrf_token");
    let fields =
        [("username", username), ("password", password), ("totp", code), ("csrf_token", token.as_str())];
    browser.send(app, browser.post("/login", &fields)).await
}

fn now_code() -> String {
    current_code(SECRET, Utc::now().naive_utc()).expect("code")
}

/// The five demo people of the journeys, one per role.
const PEOPLE: [(&str, Role); 5] = [
    ("hanh", Role::SocialWorker),
    ("dung", Role::Supervisor),
    ("thu", Role::CommitteeMember),
    ("quantri", Role::Admin),
    ("mai", Role::SafeHouseStaff),
];

/// The safe house of the staff member in `PEOPLE`.
const HOUSE: &str = "Địa chỉ tin cậy Thạch Hạ";

/// Accounts for everyone in `PEOPLE`, the second factor set up where the role needs it.
fn everyone(db: &crate::support::db::TestDb) {
    let mut conn = db.migrated();
    load_units(&mut conn);
    let mut house = None;
    for (name, role) in PEOPLE {
        let user = if role == Role::SafeHouseStaff {
            // Staff belong to a registered house (the administrator, last in
            // PEOPLE, registers it).
            let house = house.get_or_insert_with(|| safe_house(db, &mut conn, HOUSE, 3));
            staff_of(db, &mut conn, name, house)
        } else {
            account(db, &mut conn, name, role)
        };
        if role.requires_second_factor() {
            enrol_with_secret(&mut conn, &db.keys(), user.id, SECRET, Utc::now().naive_utc()).expect("enrol");
        }
    }
}

fn code_for(role: Role) -> String {
    if role.requires_second_factor() { now_code() } else { String::new() }
}

/// Every page a test sees is checked the same way: CSP-safe markup and a neutral
/// title that names no one.
fn assert_decent(what: &str, page: &Page) {
    crate::pages::assert_csp_safe(what, &page.html);
    let title = page.title();
    assert!(title.is_empty() || title.starts_with("Bình An – "), "{what}: title {title:?}");
    for personal in ["Người dùng", "hanh", "quantri", "Thành Sen"] {
        assert!(!title.contains(personal), "{what}: title {title:?}");
    }
}

on_both_backends! {
    // ASVS V6.1, V7.2.4: each role signs in through the form, gets a new session
    // cookie, lands on its own home page, and signs out through the form.
    async fn each_role_signs_in_through_the_form_lands_on_its_home_and_signs_out(db: TestDb) {
        everyone(&db);
        let app = init_service(app(state(&db))).await;
        for (name, role) in PEOPLE {
            let mut browser = Browser::default();
            let res = sign_in(&app, &mut browser, name, PASSWORD, &code_for(role)).await;
            assert_eq!((res.status, res.location.as_str()), (303, "/"), "{name}: {}", res.html);
            let cookie = res.header("set-cookie").to_string();
            assert!(res.headers.get_all("set-cookie").any(|c| {
                let c = c.to_str().unwrap_or("");
                c.starts_with("__Host-binhan_session=") && c.contains("HttpOnly") && c.contains("Secure") && c.contains("SameSite=Strict")
            }), "{name}: {cookie}");
            assert!(!browser.jar.contains_key("__Host-login_csrf"), "the sign-in form's cookie is used up");

            let home = browser.send(&app, browser.get("/")).await;
            assert_eq!(home.status, 200, "{name}");
            assert_decent(name, &home);
            let role_name = match role {
                Role::SocialWorker => "Cán bộ công tác xã hội cấp xã",
                Role::Supervisor => "Cán bộ giám sát",
                Role::SafeHouseStaff => "Nhân viên nhà tạm lánh",
                Role::CommitteeMember => "Thành viên Ban Vì sự tiến bộ của phụ nữ",
                Role::Admin => "Quản trị hệ thống",
            };
            assert!(home.html.contains(&format!("<h1>{role_name}</h1>")), "{name}: {}", home.html);
            assert!(home.html.contains(&format!("Người dùng {name}")), "{name}: the display name");
            let scope = match role {
                Role::SocialWorker => "Phường Thành Sen",
                Role::Supervisor | Role::CommitteeMember => "Toàn tỉnh Hà Tĩnh",
                Role::SafeHouseStaff => HOUSE,
                Role::Admin => "Toàn hệ thống",
            };
            assert!(home.html.contains(scope), "{name}: scope {scope}");
            assert!(home.html.contains(r#"<a href="/account">Tài khoản</a>"#), "{name}: account link");
            assert_eq!(home.html.contains(r#"href="/admin/users""#), role == Role::Admin, "{name}: admin link");

            let token = home.field("csrf_token");
            let out = browser.send(&app, browser.post("/logout", &[("csrf_token", &token)])).await;
            assert_eq!((out.status, out.location.as_str()), (303, "/login?notice=signed-out"), "{name}");
            assert_eq!(out.header("clear-site-data"), r#""cache", "storage""#);
            assert!(browser.session().is_none(), "{name}: the cookie is cleared");
            let notice = browser.send(&app, browser.get(&out.location)).await;
            assert!(notice.html.contains("Bạn đã đăng xuất."), "{name}");
            let again = browser.send(&app, browser.get("/")).await;
            assert_eq!((again.status, again.location.as_str()), (303, "/login"), "{name}");
        }
    }
}

on_both_backends! {
    // ASVS V3.5.1: a form posted without its session's CSRF token changes nothing.
    async fn forms_posted_without_their_csrf_token_are_refused(db: TestDb) {
        everyone(&db);
        let app = init_service(app(state(&db))).await;
        let mut admin = Browser::default();
        assert_eq!(sign_in(&app, &mut admin, "quantri", PASSWORD, &now_code()).await.status, 303);
        let new_account = [("username", "lan"), ("display_name", "Võ Thị Lan"), ("role", "supervisor")];
        let password = [("current_password", PASSWORD), ("new_password", "mây trắng bay qua đỉnh núi"), ("repeat_password", "mây trắng bay qua đỉnh núi")];
        for (uri, fields) in [
            ("/logout", &[][..]),
            ("/account/password", &password[..]),
            ("/admin/users", &new_account[..]),
            ("/admin/users/hanh/disable", &[][..]),
            ("/admin/users/hanh/reset-password", &[][..]),
        ] {
            let res = admin.send(&app, admin.post(uri, fields)).await;
            assert_eq!(res.status, 403, "{uri} without a token");
            assert!(res.html.contains("Không được phép"), "{uri}: the error page");
            let mut wrong = fields.to_vec();
            wrong.push(("csrf_token", "0123456789abcdef"));
            let res = admin.send(&app, admin.post(uri, &wrong)).await;
            assert_eq!(res.status, 403, "{uri} with a wrong token");
        }
        let text = admin.with_cookies(TestRequest::post().uri("/logout")).insert_header(("content-type", "text/plain")).set_payload("csrf_token=x");
        assert_eq!(admin.send(&app, text).await.status, 403, "a body that is no form holds no token");

        let home = admin.send(&app, admin.get("/")).await;
        assert_eq!(home.status, 200, "still signed in");
        let list = admin.send(&app, admin.get("/admin/users")).await;
        assert!(!list.html.contains("Võ Thị Lan"), "no account was created");
        assert!(!list.html.contains("Đã vô hiệu hóa"), "no account was disabled");
        let mut hanh = Browser::default();
        assert_eq!(sign_in(&app, &mut hanh, "hanh", PASSWORD, "").await.status, 303, "hanh's password is unchanged");
    }
}

on_both_backends! {
    // ASVS V3.5.1: the sign-in form is a double submit of a random token in a
    // __Host- cookie and in the form.
    async fn the_sign_in_form_without_its_cookie_is_refused(db: TestDb) {
        everyone(&db);
        let app = init_service(app(state(&db))).await;
        let mut browser = Browser::default();
        let form = browser.send(&app, browser.get("/login")).await;
        let cookie = form.header("set-cookie").to_string();
        assert!(cookie.starts_with("__Host-login_csrf="), "{cookie}");
        for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(attribute), "{attribute}: {cookie}");
        }
        let token = form.field("csrf_token");
        assert_eq!(token.len(), 64);
        assert_eq!(browser.jar["__Host-login_csrf"], token);
        let again = browser.send(&app, browser.get("/login")).await;
        assert_eq!(again.field("csrf_token"), token, "a second tab gets the same token");

        let fields = [("username", "hanh"), ("password", PASSWORD), ("totp", ""), ("csrf_token", token.as_str())];
        let mut stranger = Browser::default();
        let res = stranger.send(&app, stranger.post("/login", &fields)).await;
        assert_eq!(res.status, 403, "no cookie");
        assert!(res.html.contains("Trang đăng nhập đã mở quá lâu"));
        assert!(stranger.session().is_none());
        assert!(res.html.contains(r#"value="hanh""#), "the username is kept");

        let mut forged = fields;
        forged[3].1 = "not the token";
        let res = browser.send(&app, browser.post("/login", &forged)).await;
        assert_eq!(res.status, 403, "a token that is not the cookie's");
        assert!(browser.session().is_none());

        let from_elsewhere = browser.post("/login", &fields).insert_header(("sec-fetch-site", "cross-site"));
        let refused = browser.send(&app, from_elsewhere).await;
        assert_eq!(refused.status, 403, "another site's form");
        assert!(refused.html.contains("<h1>Không được phép</h1>"), "a page, not JSON, for a browser");
        let res = browser.send(&app, browser.post("/login", &fields)).await;
        assert_eq!(res.status, 303, "cookie and form agree");
    }
}

on_both_backends! {
    // ASVS V6.5.1, V6.5.4: the second factor is asked for, and a code is accepted once.
    async fn a_code_is_asked_for_and_a_replayed_code_is_refused_through_the_form(db: TestDb) {
        everyone(&db);
        let app = init_service(app(state(&db))).await;
        let mut browser = Browser::default();
        let res = sign_in(&app, &mut browser, "dung", PASSWORD, "").await;
        assert_eq!(res.status, 401);
        assert!(res.html.contains("Tài khoản này cần mã xác thực"));
        assert!(res.html.contains(r#"value="dung""#), "the username is kept");
        let totp = res.html.split(r#"id="totp""#).nth(1).expect("code field");
        assert!(totp.split('>').next().is_some_and(|a| a.contains(r#"aria-invalid="true""#)));
        assert!(browser.session().is_none());

        let res = sign_in(&app, &mut browser, "dung", PASSWORD, "12345").await;
        assert_eq!(res.status, 422, "not a code at all");

        let code = now_code();
        assert_eq!(sign_in(&app, &mut browser, "dung", PASSWORD, &code).await.status, 303);
        let mut thief = Browser::default();
        let replay = sign_in(&app, &mut thief, "dung", PASSWORD, &code).await;
        assert_eq!(replay.status, 401, "the same code again");
        assert!(replay.html.contains("Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng"));
        assert!(thief.session().is_none());
    }
}

on_both_backends! {
    // ASVS V6.3.1: five wrong passwords lock the account; the page says the same
    // for a locked account with the right password as for a wrong password.
    async fn five_wrong_passwords_then_the_right_one_get_the_same_page(db: TestDb) {
        everyone(&db);
        let app = init_service(app(state(&db))).await;
        let mut browser = Browser::default();
        let mut messages = Vec::new();
        for _ in 0..5 {
            let res = sign_in(&app, &mut browser, "hanh", "not the password at all", "").await;
            assert_eq!(res.status, 401);
            messages.push(res.html.split("login-message").nth(1).map(str::to_string));
        }
        let res = sign_in(&app, &mut browser, "hanh", PASSWORD, "").await;
        assert_eq!(res.status, 401, "locked");
        assert_eq!(res.html.split("login-message").nth(1).map(str::to_string), messages[0]);
        assert!(browser.session().is_none());
    }
}

#[actix_web::test]
async fn sign_in_attempts_through_the_form_are_limited_per_address() {
    // ASVS V6.3.1 (rate limiting), with a page that says to wait.
    let db = crate::support::db::TestDb::sqlite();
    everyone(&db);
    let app =
        init_service(app(crate::support::app::state_with(&db, |c| c.login_attempts_per_minute = 2))).await;
    let mut browser = Browser::default();
    let token = browser.send(&app, browser.get("/login")).await.field("csrf_token");
    let fields = [("username", "hanh"), ("password", "not the password"), ("csrf_token", token.as_str())];
    let from = |browser: &Browser, addr: &str| {
        browser.post("/login", &fields).peer_addr(addr.parse().expect("addr"))
    };
    for _ in 0..2 {
        assert_eq!(browser.send(&app, from(&browser, "10.0.0.7:5000")).await.status, 401);
    }
    let held = browser.send(&app, from(&browser, "10.0.0.7:5001")).await;
    assert_eq!(held.status, 429);
    assert!(held.html.contains("Hãy đợi một phút rồi thử lại."));
    assert_eq!(browser.send(&app, from(&browser, "10.0.0.8:5000")).await.status, 401, "another address");
}

on_both_backends! {
    // ASVS V7.3.1: a session that ended leaves a cookie that leads to the sign-in
    // page with a notice, and the cookie is cleared.
    async fn a_dead_session_cookie_leads_to_the_sign_in_page_with_a_notice(db: TestDb) {
        everyone(&db);
        let app = init_service(app(state(&db))).await;
        let mut browser = Browser::default();
        assert_eq!(sign_in(&app, &mut browser, "hanh", PASSWORD, "").await.status, 303);
        let token = browser.session().expect("session").clone();
        let mut conn = db.conn();
        auth::logout(&mut conn, &binhan::audit::Actor::default(), &token, Utc::now().naive_utc())
            .expect("end the session elsewhere");

        let stolen = browser.jar.clone();
        let res = browser.send(&app, browser.get("/")).await;
        assert_eq!((res.status, res.location.as_str()), (303, "/login?notice=session-ended"));
        assert!(res.header("set-cookie").starts_with("__Host-binhan_session=;"), "cleared: {}", res.header("set-cookie"));
        assert!(browser.session().is_none());
        let notice = browser.send(&app, browser.get(&res.location)).await;
        assert_eq!(notice.status, 200);
        assert!(notice.html.contains("Phiên làm việc đã kết thúc"));

        let mut replayed = Browser { jar: stolen };
        let res = replayed.send(&app, replayed.get("/account")).await;
        assert_eq!((res.status, res.location.as_str()), (303, "/login?notice=session-ended"), "any page");
    }
}

on_both_backends! {
    // ASVS V8.2.1: the account pages are the administrator's only (until the
    // policies of issue 5 decide).
    async fn the_admin_pages_are_forbidden_for_a_social_worker(db: TestDb) {
        everyone(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = Browser::default();
        assert_eq!(sign_in(&app, &mut hanh, "hanh", PASSWORD, "").await.status, 303);
        let token = hanh.send(&app, hanh.get("/")).await.field("csrf_token");
        for uri in ["/admin/users", "/admin/users/new", "/admin/users/dung/disable", "/admin/users/dung/reset-password"] {
            let res = hanh.send(&app, hanh.get(uri)).await;
            assert_eq!(res.status, 403, "{uri}");
            assert!(res.html.contains("<h1>Không được phép</h1>"), "{uri}");
            assert_decent(uri, &res);
        }
        let fields = [("csrf_token", token.as_str()), ("username", "lan"), ("display_name", "Lan"), ("role", "admin")];
        assert_eq!(hanh.send(&app, hanh.post("/admin/users", &fields)).await.status, 403);
        assert_eq!(hanh.send(&app, hanh.post("/admin/users/dung/disable", &fields[..1])).await.status, 403);
        let mut dung = Browser::default();
        assert_eq!(sign_in(&app, &mut dung, "dung", PASSWORD, &now_code()).await.status, 303, "dung is not disabled");
        let mut conn = db.conn();
        let denied = binhan::store::audit::last_actions(&mut conn, 50).expect("audit");
        assert!(denied.contains(&("user.manage".to_string(), "denied".to_string())), "each refusal is an audit event: {denied:?}");
    }
}

on_both_backends! {
    // ASVS V6.4.1: an administrator creates an account; the first password is
    // system-made, shown once, and works.
    async fn an_administrator_creates_an_account_a_supervisor_confirms_it_and_its_owner_enrols(db: TestDb) {
        everyone(&db);
        let app = init_service(app(state(&db))).await;
        let mut admin = Browser::default();
        assert_eq!(sign_in(&app, &mut admin, "quantri", PASSWORD, &now_code()).await.status, 303);
        let form = admin.send(&app, admin.get("/admin/users/new")).await;
        assert_eq!(form.status, 200);
        assert_decent("new account form", &form);
        let communes = form.html.matches(r#"name="communes""#).count();
        assert_eq!(communes, 69, "every commune and ward of Hà Tĩnh in force");
        assert!(form.html.contains("Phường Thành Sen") && form.html.contains(r#"<option value="social_worker" selected>"#));
        let token = form.field("csrf_token");

        let missing = [("csrf_token", token.as_str()), ("username", "lan"), ("display_name", "Võ Thị Lan"), ("role", "social_worker")];
        let res = admin.send(&app, admin.post("/admin/users", &missing)).await;
        assert_eq!(res.status, 422);
        assert!(res.html.contains("Cán bộ xã cần ít nhất một xã, phường phụ trách."));
        assert!(res.html.contains(r#"value="Võ Thị Lan""#), "what was typed stays");

        let mut fields = missing.to_vec();
        fields.extend([("communes", "18073"), ("communes", "18100")]);
        let created = admin.send(&app, admin.post("/admin/users", &fields)).await;
        assert_eq!(created.status, 200, "{}", created.html);
        assert_decent("created", &created);
        assert!(created.html.contains("Đang chờ cán bộ giám sát xác nhận"), "a social worker waits for a supervisor");
        assert!(!created.html.contains("enrolment-code"), "the administrator sees no code");

        let list = admin.send(&app, admin.get("/admin/users")).await;
        assert_eq!(list.status, 200);
        assert_decent("list", &list);
        assert!(list.html.contains("Võ Thị Lan") && list.html.contains("Phường Thành Sen, Phường Trần Phú"));
        assert!(list.html.contains("Chờ cán bộ giám sát xác nhận"));

        // The supervisor confirms and reads the code once, to hand over.
        let mut supervisor = Browser::default();
        let later = binhan::services::auth::current_code(SECRET, Utc::now().naive_utc() + chrono::Duration::seconds(30)).unwrap();
        assert_eq!(sign_in(&app, &mut supervisor, "dung", PASSWORD, &later).await.status, 303);
        let changes = supervisor.send(&app, supervisor.get("/account-changes")).await;
        assert_decent("account changes", &changes);
        let marker = r#"<form method="post" action="/account-changes/"#;
        let at = changes.html.find(marker).expect("a change to confirm") + marker.len();
        let id = changes.html[at..at + changes.html[at..].find('"').unwrap()].to_string();
        let token = changes.field("csrf_token");
        let confirmed = supervisor.send(&app, supervisor.post(&format!("/account-changes/{id}"), &[("csrf_token", &token), ("decision", "confirm")])).await;
        assert_decent("code", &confirmed);
        let code = confirmed.html.split(r#"<code class="secret" id="enrolment-code">"#).nth(1)
            .and_then(|rest| rest.split('<').next()).expect("the enrolment code").to_string();
        assert_eq!(code.len(), 19, "4 groups of 4: {code}");
        let again = supervisor.send(&app, supervisor.get("/account-changes")).await;
        assert!(!again.html.contains(&code), "the code is shown once only");

        let mut lan = Browser::default();
        let form = lan.send(&app, lan.get("/enrol")).await;
        assert_decent("enrol", &form);
        let token = form.field("csrf_token");
        let own = "hoa sen nở giữa đầm lầy";
        let enrolled = lan.send(&app, lan.post("/enrol", &[("csrf_token", &token), ("username", "lan"), ("code", &code),
            ("new_password", own), ("repeat_password", own)])).await;
        assert_eq!((enrolled.status, enrolled.location.as_str()), (303, "/"));
        let home = lan.send(&app, lan.get("/")).await;
        assert!(home.html.contains("Võ Thị Lan") && home.html.contains("Phường Trần Phú"));

        let taken = admin.send(&app, admin.post("/admin/users", &fields)).await;
        assert_eq!(taken.status, 422);
        assert!(taken.html.contains("Tên đăng nhập này đã có người dùng"));
    }
}

on_both_backends! {
    // ASVS V7.4.2: disabling an account through the page ends its sessions at once.
    async fn disabling_an_account_through_the_page_ends_its_sessions(db: TestDb) {
        everyone(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = Browser::default();
        assert_eq!(sign_in(&app, &mut hanh, "hanh", PASSWORD, "").await.status, 303);
        let mut admin = Browser::default();
        assert_eq!(sign_in(&app, &mut admin, "quantri", PASSWORD, &now_code()).await.status, 303);

        let confirm = admin.send(&app, admin.get("/admin/users/hanh/disable")).await;
        assert_eq!(confirm.status, 200);
        assert!(confirm.html.contains("Vô hiệu hóa tài khoản?") && confirm.html.contains("Người dùng hanh"));
        assert_eq!(hanh.send(&app, hanh.get("/")).await.status, 200, "asking changes nothing");
        let token = confirm.field("csrf_token");
        let done = admin.send(&app, admin.post("/admin/users/hanh/disable", &[("csrf_token", &token)])).await;
        assert_eq!((done.status, done.location.as_str()), (303, "/admin/users?notice=disabled"));
        let list = admin.send(&app, admin.get(&done.location)).await;
        assert!(list.html.contains("Tài khoản đã bị vô hiệu hóa"));
        assert!(list.html.contains("Đã vô hiệu hóa"));

        let res = hanh.send(&app, hanh.get("/")).await;
        assert_eq!((res.status, res.location.as_str()), (303, "/login?notice=session-ended"));
        assert_eq!(sign_in(&app, &mut hanh, "hanh", PASSWORD, "").await.status, 401, "disabled");

        let own = admin.send(&app, admin.post("/admin/users/quantri/disable", &[("csrf_token", &token)])).await;
        assert_eq!(own.status, 403, "an administrator cannot lock herself out");
        let nobody = admin.send(&app, admin.get("/admin/users/nobody/disable")).await;
        assert_eq!(nobody.status, 404);
    }
}

on_both_backends! {
    // ASVS V6.4.1, V7.4.2: a password reset waits for a supervisor, ends the
    // account's sessions once confirmed, and its code (shown to the supervisor) works.
    async fn resetting_a_password_through_the_page_waits_for_a_supervisor_and_ends_sessions(db: TestDb) {
        everyone(&db);
        let app = init_service(app(state(&db))).await;
        let mut mai = Browser::default();
        assert_eq!(sign_in(&app, &mut mai, "mai", PASSWORD, "").await.status, 303);
        let mut admin = Browser::default();
        assert_eq!(sign_in(&app, &mut admin, "quantri", PASSWORD, &now_code()).await.status, 303);
        let confirm = admin.send(&app, admin.get("/admin/users/mai/reset-password")).await;
        let token = confirm.field("csrf_token");
        let done = admin.send(&app, admin.post("/admin/users/mai/reset-password", &[("csrf_token", &token)])).await;
        assert_eq!(done.status, 200);
        assert!(done.html.contains("Đang chờ cán bộ giám sát xác nhận"), "{}", done.html);
        assert_eq!(mai.send(&app, mai.get("/")).await.status, 200, "nothing changes until a supervisor confirms");

        let later = binhan::services::auth::current_code(SECRET, Utc::now().naive_utc() + chrono::Duration::seconds(30)).unwrap();
        let login = TestRequest::post().uri("/api/v1/auth/login")
            .set_json(serde_json::json!({"username": "dung", "password": PASSWORD, "totp": later}));
        let res = actix_web::test::call_service(&app, login.to_request()).await;
        let dung = res.response().cookies().find(|c| c.name() == binhan::http::session::SESSION_COOKIE).expect("session").into_owned();
        let (_, changes) = crate::support::api::send(&app, crate::support::api::get("/account-changes", &dung)).await;
        let id = changes["waiting"][0]["id"].as_str().expect("the reset waits").to_string();
        let (status, decided) = crate::support::api::send(&app, crate::support::api::post(&format!("/account-changes/{id}/decision"), &dung,
            serde_json::json!({"decision": "confirm"}))).await;
        assert_eq!(status, 200, "{decided}");
        let code = decided["enrolment_code"].as_str().expect("code").to_string();

        assert_eq!(mai.send(&app, mai.get("/")).await.location, "/login?notice=session-ended");
        assert_eq!(sign_in(&app, &mut mai, "mai", PASSWORD, "").await.status, 401, "the old password");
        let form = mai.send(&app, mai.get("/enrol")).await;
        let token = form.field("csrf_token");
        let own = "bến sông quê nhà ngày nắng";
        let enrolled = mai.send(&app, mai.post("/enrol", &[("csrf_token", &token), ("username", "mai"), ("code", &code),
            ("new_password", own), ("repeat_password", own)])).await;
        assert_eq!((enrolled.status, enrolled.location.as_str()), (303, "/"));
    }
}

on_both_backends! {
    // ASVS V6.2.1, V6.2.2, V7.4.3: changing one's password on the account page, with
    // the reason for a refused one, ends every session of the account.
    async fn changing_the_password_on_the_account_page_ends_every_session(db: TestDb) {
        everyone(&db);
        let app = init_service(app(state(&db))).await;
        let mut phone = Browser::default();
        assert_eq!(sign_in(&app, &mut phone, "hanh", PASSWORD, "").await.status, 303);
        let mut browser = Browser::default();
        assert_eq!(sign_in(&app, &mut browser, "hanh", PASSWORD, "").await.status, 303);
        let page = browser.send(&app, browser.get("/account")).await;
        assert_eq!(page.status, 200);
        assert_decent("account", &page);
        assert!(page.html.contains("Người dùng hanh") && page.html.contains("Chưa bật"));
        let token = page.field("csrf_token");
        let new = "mây trắng bay qua đỉnh núi";
        for (current, fresh, repeat, expected) in [
            (PASSWORD, "ngắn quá", "ngắn quá", "Mật khẩu mới phải có ít nhất 12 ký tự."),
            (PASSWORD, "password1234", "password1234", "Mật khẩu mới quá phổ biến hoặc dễ đoán"),
            (PASSWORD, new, "mây trắng bay qua đỉnh", "Hai lần nhập mật khẩu mới không giống nhau."),
            ("not my password at all", new, new, "Mật khẩu hiện tại không đúng."),
        ] {
            let fields = [("csrf_token", token.as_str()), ("current_password", current), ("new_password", fresh), ("repeat_password", repeat)];
            let res = browser.send(&app, browser.post("/account/password", &fields)).await;
            assert_eq!(res.status, 422, "{expected}");
            assert!(res.html.contains(expected), "{expected}: {}", res.html);
            assert!(res.html.contains(r#"aria-invalid="true""#));
        }
        let fields = [("csrf_token", token.as_str()), ("current_password", PASSWORD), ("new_password", new), ("repeat_password", new)];
        let res = browser.send(&app, browser.post("/account/password", &fields)).await;
        assert_eq!((res.status, res.location.as_str()), (303, "/login?notice=password-changed"));
        assert!(browser.session().is_none());
        let notice = browser.send(&app, browser.get(&res.location)).await;
        assert!(notice.html.contains("Mật khẩu đã được đổi"));
        assert_eq!(phone.send(&app, phone.get("/")).await.location, "/login?notice=session-ended", "the other session too");
        assert_eq!(sign_in(&app, &mut browser, "hanh", new, "").await.status, 303);
    }
}

/// Base32 (RFC 4648, no padding), as the set-up page shows a secret.
fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut count, mut out) = (0u64, 0, Vec::new());
    for c in text.bytes().filter(|c| c.is_ascii_alphanumeric()) {
        bits = (bits << 5) | ALPHABET.iter().position(|a| *a == c).expect("base32") as u64;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

on_both_backends! {
    // ASVS V6.5.2, V6.5.3: a supervisor without a second factor sets one up before
    // anything else; the ten recovery codes are shown once and each works once.
    async fn a_new_supervisor_sets_up_the_second_factor_before_anything_else(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        account(&db, &mut conn, "dung", Role::Supervisor);
        let app = init_service(app(state(&db))).await;
        let mut browser = Browser::default();
        let res = sign_in(&app, &mut browser, "dung", PASSWORD, "").await;
        assert_eq!((res.status, res.location.as_str()), (303, "/account/second-factor"));
        for uri in ["/", "/account", "/login"] {
            let res = browser.send(&app, browser.get(uri)).await;
            assert_eq!((res.status, res.location.as_str()), (303, "/account/second-factor"), "{uri}");
        }
        let setup = browser.send(&app, browser.get("/account/second-factor")).await;
        assert_eq!(setup.status, 200);
        assert_decent("set-up", &setup);
        assert!(setup.html.contains("<svg") && !setup.html.contains("<?xml"), "the QR code in the page");
        assert!(setup.html.contains(r#"href="otpauth://totp/"#));
        let secret = setup.html.split(r#"<code class="secret" aria-labelledby="secret-label">"#).nth(1).and_then(|r| r.split('<').next()).expect("secret").to_string();
        assert!(secret.split(' ').all(|group| group.len() <= 4), "grouped by four: {secret}");
        let token = setup.field("csrf_token");

        let wrong = browser.send(&app, browser.post("/account/second-factor", &[("csrf_token", &token), ("code", "000000")])).await;
        assert_eq!(wrong.status, 422);
        assert!(wrong.html.contains("Mã chưa đúng"));
        let code = current_code(&base32_decode(&secret), Utc::now().naive_utc()).expect("code");
        let done = browser.send(&app, browser.post("/account/second-factor", &[("csrf_token", &token), ("code", &code)])).await;
        assert_eq!(done.status, 200, "{}", done.html);
        assert_decent("recovery codes", &done);
        let codes: Vec<String> = done.html.split("<li><code>").skip(1).filter_map(|r| r.split('<').next()).map(str::to_string).collect();
        assert_eq!(codes.len(), 10);
        assert!(done.html.contains("Mỗi mã chỉ dùng được một lần"));
        let home = browser.send(&app, browser.get("/")).await;
        assert_eq!(home.status, 200, "the session goes on in full");
        assert!(home.html.contains("<h1>Cán bộ giám sát</h1>"));

        let mut lost_phone = Browser::default();
        assert_eq!(sign_in(&app, &mut lost_phone, "dung", PASSWORD, &codes[0]).await.status, 303, "a recovery code");
        let mut again = Browser::default();
        assert_eq!(sign_in(&app, &mut again, "dung", PASSWORD, &codes[0]).await.status, 401, "works once");
        let account_page = lost_phone.send(&app, lost_phone.get("/account")).await;
        assert!(account_page.html.contains("Đang bật"));
        let replace = lost_phone.send(&app, lost_phone.get("/account/second-factor")).await;
        assert_eq!(replace.status, 200);
        assert!(!replace.html.contains("second-factor/new") && !replace.html.contains(r#"name="code""#), "a factor in force is not replaced from a session");
        assert!(replace.html.contains("quản trị hệ thống"), "an administrator resets it");
    }
}

/// Who sends a request in the route table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Nobody,
    /// hanh, a social worker.
    Worker,
    /// quantri, the administrator.
    Admin,
    /// tuan, a supervisor who has not set up the second factor yet.
    Enrolling,
}

/// What a request carries: nothing, a form (`{csrf}` becomes the session's token),
/// or JSON.
#[derive(Debug, Clone, Copy)]
enum Body {
    Empty,
    Form(&'static str),
    Json(&'static str),
}

/// Every route of the application, for people signed in and not, GET and POST,
/// answered with success and with errors (acceptance 6: the headers of design §5 on
/// every route).
const ROUTES: &[(Who, &str, &str, Body, u16)] = &[
    // Pages, signed out.
    (Who::Nobody, "GET", "/", Body::Empty, 303),
    (Who::Nobody, "GET", "/login", Body::Empty, 200),
    (Who::Nobody, "GET", "/login?notice=session-ended", Body::Empty, 200),
    (Who::Nobody, "POST", "/login", Body::Form("username=hanh&password=x&csrf_token=forged"), 403),
    (Who::Nobody, "POST", "/logout", Body::Form("csrf_token=x"), 303),
    (Who::Nobody, "GET", "/account", Body::Empty, 303),
    (Who::Nobody, "GET", "/account/second-factor", Body::Empty, 303),
    (Who::Nobody, "GET", "/account/new-password", Body::Empty, 303),
    (Who::Nobody, "GET", "/admin/safe-houses", Body::Empty, 303),
    (Who::Nobody, "GET", "/admin/users", Body::Empty, 303),
    (Who::Nobody, "POST", "/admin/users", Body::Form("username=x"), 303),
    (Who::Nobody, "GET", "/lang/en?next=/login", Body::Empty, 303),
    (Who::Nobody, "GET", "/lang/fr", Body::Empty, 404),
    (Who::Nobody, "GET", "/static/app.css", Body::Empty, 200),
    (Who::Nobody, "GET", "/static/app.js", Body::Empty, 200),
    (Who::Nobody, "GET", "/static/favicon.svg", Body::Empty, 200),
    (Who::Nobody, "GET", "/static/nothing.txt", Body::Empty, 404),
    (Who::Nobody, "GET", "/no-such-page", Body::Empty, 404),
    (Who::Nobody, "PUT", "/login", Body::Empty, 404),
    // Health checks.
    (Who::Nobody, "GET", "/healthz", Body::Empty, 200),
    (Who::Nobody, "GET", "/readyz", Body::Empty, 200),
    // The JSON API.
    (
        Who::Nobody,
        "POST",
        "/api/v1/auth/login",
        Body::Json(r#"{"username":"hanh","password":"wrong password!"}"#),
        401,
    ),
    (Who::Nobody, "POST", "/api/v1/auth/login", Body::Json("{"), 400),
    (Who::Nobody, "POST", "/api/v1/auth/logout", Body::Empty, 204),
    (Who::Nobody, "POST", "/api/v1/auth/unlock", Body::Json(r#"{"password":"x"}"#), 401),
    (Who::Nobody, "POST", "/api/v1/auth/lock", Body::Empty, 401),
    (Who::Nobody, "GET", "/api/v1/me", Body::Empty, 401),
    (Who::Nobody, "GET", "/api/v1/openapi.json", Body::Empty, 200),
    (Who::Nobody, "POST", "/api/v1/me/password", Body::Json("{}"), 401),
    (Who::Nobody, "POST", "/api/v1/me/second-factor", Body::Empty, 401),
    (Who::Nobody, "POST", "/api/v1/me/second-factor/confirm", Body::Json(r#"{"code":"123456"}"#), 401),
    (Who::Nobody, "GET", "/api/v1/nothing", Body::Empty, 404),
    (Who::Worker, "GET", "/api/v1/me", Body::Empty, 200),
    (Who::Worker, "POST", "/api/v1/auth/unlock", Body::Json(r#"{"password":"lúa chín vàng đồng quê"}"#), 204),
    (
        Who::Worker,
        "POST",
        "/api/v1/me/password",
        Body::Json(r#"{"current_password":"x","new_password":"y"}"#),
        422,
    ),
    (Who::Enrolling, "POST", "/api/v1/me/second-factor/confirm", Body::Json(r#"{"code":"000000"}"#), 401),
    // Pages of a social worker.
    (Who::Worker, "GET", "/", Body::Empty, 200),
    (Who::Worker, "GET", "/login", Body::Empty, 303),
    (Who::Worker, "GET", "/account", Body::Empty, 200),
    (
        Who::Worker,
        "POST",
        "/account/password",
        Body::Form("csrf_token={csrf}&current_password=x&new_password=short&repeat_password=short"),
        422,
    ),
    (Who::Worker, "POST", "/account/password", Body::Form("current_password=x"), 403),
    (Who::Worker, "GET", "/account/second-factor", Body::Empty, 200),
    (Who::Worker, "POST", "/account/second-factor", Body::Form("csrf_token={csrf}&code=000000"), 422),
    (Who::Worker, "GET", "/admin/users", Body::Empty, 403),
    (Who::Worker, "GET", "/account/new-password", Body::Empty, 303),
    (Who::Worker, "GET", "/admin/safe-houses", Body::Empty, 403),
    (Who::Worker, "POST", "/admin/safe-houses", Body::Form("csrf_token={csrf}&capacity=x"), 403),
    (Who::Worker, "POST", "/admin/users", Body::Form("csrf_token={csrf}&username=x"), 403),
    (Who::Worker, "GET", "/no-such-page", Body::Empty, 404),
    (Who::Worker, "POST", "/logout", Body::Form("csrf_token=wrong"), 403),
    // Pages of the administrator.
    (Who::Admin, "GET", "/", Body::Empty, 200),
    (Who::Admin, "GET", "/account", Body::Empty, 200),
    (Who::Admin, "GET", "/account/second-factor", Body::Empty, 200),
    (Who::Admin, "GET", "/admin/users", Body::Empty, 200),
    (Who::Admin, "GET", "/admin/users?notice=disabled", Body::Empty, 200),
    (Who::Admin, "GET", "/admin/users/new", Body::Empty, 200),
    (Who::Admin, "GET", "/admin/safe-houses", Body::Empty, 200),
    (Who::Admin, "GET", "/admin/safe-houses?done=updated", Body::Empty, 200),
    (Who::Admin, "GET", "/admin/safe-houses/new", Body::Empty, 200),
    (Who::Admin, "POST", "/admin/safe-houses", Body::Form("csrf_token={csrf}&name=&capacity=x"), 422),
    (Who::Admin, "POST", "/admin/safe-houses", Body::Form("name=x"), 403),
    (Who::Admin, "GET", "/admin/safe-houses/0199c0de-0000-7000-8000-00000000ffff", Body::Empty, 404),
    (Who::Admin, "GET", "/admin/safe-houses/not-an-id/deactivate", Body::Empty, 404),
    (Who::Admin, "POST", "/admin/users", Body::Form("csrf_token={csrf}&username=x&role=social_worker"), 422),
    (
        Who::Admin,
        "POST",
        "/admin/users",
        Body::Form("csrf_token={csrf}&username=lan&display_name=Lan&role=supervisor"),
        200,
    ),
    (Who::Admin, "POST", "/admin/users", Body::Form("username=x"), 403),
    (Who::Admin, "GET", "/admin/users/hanh/disable", Body::Empty, 200),
    (Who::Admin, "GET", "/admin/users/hanh/reset-password", Body::Empty, 200),
    (Who::Admin, "GET", "/admin/users/nobody/disable", Body::Empty, 404),
    // Lan's account waits for a supervisor already: a second change is refused.
    (Who::Admin, "POST", "/admin/users/lan/reset-password", Body::Form("csrf_token={csrf}"), 303),
    (Who::Admin, "GET", "/admin/users/hanh/access", Body::Empty, 200),
    (Who::Admin, "GET", "/admin/users/hanh/reset-second-factor", Body::Empty, 200),
    (Who::Admin, "GET", "/account-changes", Body::Empty, 403),
    (Who::Worker, "GET", "/account-changes", Body::Empty, 403),
    (Who::Nobody, "GET", "/enrol", Body::Empty, 200),
    (Who::Admin, "POST", "/admin/users/lan/disable", Body::Form("csrf_token={csrf}"), 303),
    (Who::Admin, "POST", "/admin/users/lan/disable", Body::Form(""), 403),
    // A supervisor who must set up the second factor first.
    (Who::Enrolling, "GET", "/", Body::Empty, 303),
    (Who::Enrolling, "GET", "/account/second-factor", Body::Empty, 200),
    (Who::Enrolling, "POST", "/account/second-factor", Body::Form("csrf_token={csrf}&code=000000"), 422),
    (Who::Enrolling, "GET", "/admin/users", Body::Empty, 303),
    // Signing out last: each signed-in browser ends its session.
    (Who::Worker, "POST", "/logout", Body::Form("csrf_token={csrf}"), 303),
    (Who::Admin, "POST", "/logout", Body::Form("csrf_token={csrf}"), 303),
    (Who::Enrolling, "POST", "/logout", Body::Form("csrf_token={csrf}"), 303),
];

on_both_backends! {
    // ASVS V3.4, V14.3: CSP, no-store, nosniff, no-referrer and frame-ancestors on
    // every answer of every route.
    async fn every_route_carries_the_security_headers(db: TestDb) {
        everyone(&db);
        let mut conn = db.conn();
        account(&db, &mut conn, "tuan", Role::Supervisor);
        let app = init_service(app(state(&db))).await;
        let mut browsers: BTreeMap<&str, (Browser, String)> = BTreeMap::new();
        for (who, name, code) in [(Who::Worker, "hanh", String::new()), (Who::Admin, "quantri", now_code()), (Who::Enrolling, "tuan", String::new())] {
            let mut browser = Browser::default();
            assert_eq!(sign_in(&app, &mut browser, name, PASSWORD, &code).await.status, 303);
            let page = if who == Who::Enrolling { "/account/second-factor" } else { "/account" };
            let token = browser.send(&app, browser.get(page)).await.field("csrf_token");
            browsers.insert(name, (browser, token));
        }
        let mut nobody = Browser::default();
        for &(who, method, uri, body, expected) in ROUTES {
            let (browser, token) = match who {
                Who::Nobody => (&mut nobody, String::new()),
                Who::Worker => browsers.get_mut("hanh").map(|(b, t)| (b, t.clone())).expect("hanh"),
                Who::Admin => browsers.get_mut("quantri").map(|(b, t)| (b, t.clone())).expect("quantri"),
                Who::Enrolling => browsers.get_mut("tuan").map(|(b, t)| (b, t.clone())).expect("tuan"),
            };
            let method_of = actix_web::http::Method::from_bytes(method.as_bytes()).expect("method");
            let mut req = browser.with_cookies(TestRequest::default().method(method_of).uri(uri));
            req = match body {
                Body::Empty => req,
                Body::Form(form) => req
                    .insert_header(("content-type", "application/x-www-form-urlencoded"))
                    .set_payload(form.replace("{csrf}", &token)),
                Body::Json(json) => req.insert_header(("content-type", "application/json")).set_payload(json),
            };
            let res = browser.send(&app, req).await;
            let what = format!("{who:?} {method} {uri}");
            assert_eq!(res.status, expected, "{what}: {}", res.html);
            for (name, value) in crate::pages::SECURITY_HEADERS {
                assert!(res.header(name).contains(value), "{what}: {name} is {:?}", res.header(name));
            }
            assert!(res.header("content-security-policy").contains("frame-ancestors 'none'"), "{what}");
            if uri.starts_with("/static/") && expected == 200 {
                assert_eq!(res.header("cache-control"), "public, max-age=3600", "{what}");
            } else {
                assert_eq!(res.header("cache-control"), "no-store", "{what}");
            }
            if res.header("content-type").starts_with("text/html") {
                assert_decent(&what, &res);
            }
        }
    }
}
