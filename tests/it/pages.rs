//! The web shell, driven in-process through the real actix app: languages, the
//! language switch, static files, error pages, security headers, CSP-safe markup
//! and neutral titles.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use actix_web::{HttpMessage, HttpResponse};
use binhan::domain::role::Role;
use binhan::http::pages::{
    CsrfToken, Lang, LoginForm, LoginMessage, PageContext, Scope, UserView, render_error, render_home,
    render_login,
};
use binhan::http::{AppState, app};

use crate::support::db::TestDb;

fn state(db: &TestDb) -> AppState {
    crate::support::app::state(db)
}

/// The headers of design §5 (as in http_basics.rs) except `Cache-Control`, which
/// static files set to their own value.
pub(crate) const SECURITY_HEADERS: [(&str, &str); 5] = [
    ("content-security-policy", "script-src 'self'"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("strict-transport-security", "includeSubDomains"),
];

const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

fn header<'a, B>(res: &'a ServiceResponse<B>, name: &str) -> &'a str {
    res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_else(|| panic!("no {name} header"))
}

async fn text_of<B: MessageBody>(res: ServiceResponse<B>) -> String {
    String::from_utf8(read_body(res).await.to_vec()).expect("utf-8 body")
}

async fn response_text(res: HttpResponse) -> String {
    let bytes = actix_web::body::to_bytes(res.into_body()).await.unwrap_or_default();
    String::from_utf8(bytes.to_vec()).expect("utf-8 body")
}

fn title_of(html: &str) -> &str {
    html.split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(title, _)| title)
        .expect("a <title>")
}

/// No inline script, no inline style, no event-handler attribute: the page works
/// under `script-src 'self'; style-src 'self'`.
pub(crate) fn assert_csp_safe(name: &str, html: &str) {
    let lower = html.to_ascii_lowercase();
    for (at, _) in lower.match_indices("<script") {
        let tag = &lower[at..at + lower[at..].find('>').expect("tag end")];
        assert!(tag.contains(" src="), "{name}: inline <script>: {tag}");
        assert!(lower[at..].starts_with(&format!("{tag}></script>")), "{name}: script with a body");
    }
    assert!(!lower.contains("<style"), "{name}: <style> element");
    assert!(!lower.contains(" style="), "{name}: style= attribute");
    assert!(!lower.contains("javascript:"), "{name}: javascript: URL");
    let bytes = lower.as_bytes();
    for (at, _) in lower.match_indices(" on") {
        let name_end = bytes[at + 1..].iter().position(|b| !b.is_ascii_lowercase()).map(|n| at + 1 + n);
        if let Some(end) = name_end {
            assert!(
                !(bytes[end] == b'=' && lower[..at].rfind('<') > lower[..at].rfind('>')),
                "{name}: event handler attribute {}",
                &lower[at..end]
            );
        }
    }
}

fn assert_security_headers<B>(uri: &str, res: &ServiceResponse<B>) {
    for (name, expected) in SECURITY_HEADERS {
        assert!(header(res, name).contains(expected), "{uri}: {name}");
    }
}

fn staff(role: Role, scope: Scope) -> UserView {
    UserView { display_name: "Nguyễn Thị Hạnh".into(), role, scope }
}

fn all_roles() -> Vec<UserView> {
    vec![
        staff(Role::SocialWorker, Scope::Communes(vec!["Xã Cẩm Xuyên".into()])),
        staff(Role::Supervisor, Scope::Province("Hà Tĩnh".into())),
        staff(Role::SafeHouseStaff, Scope::SafeHouse("Nhà Hoa Sen".into())),
        staff(Role::CommitteeMember, Scope::Province("Hà Tĩnh".into())),
        staff(Role::Admin, Scope::System),
    ]
}

#[actix_web::test]
async fn the_sign_in_page_is_in_vietnamese_by_default() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    let res = call_service(&app, TestRequest::get().uri("/login").to_request()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), "text/html; charset=utf-8");
    let html = text_of(res).await;
    assert!(html.contains(r#"<html lang="vi">"#));
    assert_eq!(title_of(&html), "Bình An – Đăng nhập");
    assert!(html.contains(r#"<label for="username">Tên đăng nhập</label>"#));
}

#[actix_web::test]
async fn the_sign_in_page_is_in_english_with_the_language_cookie_or_the_browser_preference() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    let by_cookie = TestRequest::get()
        .uri("/login")
        .cookie(actix_web::cookie::Cookie::new("__Host-lang", "en"))
        .insert_header(("accept-language", "vi-VN,vi;q=0.9"))
        .to_request();
    let by_browser = TestRequest::get()
        .uri("/login")
        .insert_header(("accept-language", "en-US,en;q=0.9,vi;q=0.5"))
        .to_request();
    for req in [by_cookie, by_browser] {
        let html = text_of(call_service(&app, req).await).await;
        assert!(html.contains(r#"<html lang="en">"#));
        assert_eq!(title_of(&html), "Bình An – Sign in");
        assert!(html.contains(r#"<label for="password">Password</label>"#));
    }
    let cookie_wins = TestRequest::get()
        .uri("/login")
        .cookie(actix_web::cookie::Cookie::new("__Host-lang", "vi"))
        .insert_header(("accept-language", "en"))
        .to_request();
    let html = text_of(call_service(&app, cookie_wins).await).await;
    assert!(html.contains(r#"<html lang="vi">"#));
}

#[actix_web::test]
async fn the_sign_in_form_has_labelled_fields_autocomplete_and_the_csrf_field() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    let html = text_of(call_service(&app, TestRequest::get().uri("/login").to_request()).await).await;
    for expected in [
        r#"<form method="post" action="/login""#,
        r#"<input type="hidden" name="csrf_token" value=""#,
        r#"autocomplete="username""#,
        r#"autocomplete="current-password""#,
        r#"autocomplete="one-time-code""#,
        r#"<label for="totp">"#,
        r#"aria-live="polite""#,
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    // Recovery codes (abcde-fghjk) go into the code field too: no digits-only
    // keyboard, pattern or 6-character limit.
    let totp = html.split(r#"id="totp""#).nth(1).and_then(|rest| rest.split('>').next()).expect("code field");
    for narrowing in ["inputmode=\"numeric\"", "pattern=", "maxlength=\"6\""] {
        assert!(!totp.contains(narrowing), "{narrowing} in {totp}");
    }
}

#[actix_web::test]
async fn the_root_sends_someone_not_signed_in_to_the_sign_in_page() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    let res = call_service(&app, TestRequest::get().uri("/").to_request()).await;
    assert_eq!(res.status(), 303);
    assert_eq!(header(&res, "location"), "/login");
}

#[actix_web::test]
async fn a_notice_after_sign_out_is_shown_on_the_sign_in_page() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    let req = TestRequest::get().uri("/login?notice=signed-out").to_request();
    let html = text_of(call_service(&app, req).await).await;
    assert!(html.contains("Bạn đã đăng xuất."));
    let req = TestRequest::get().uri("/login?notice=whatever").to_request();
    let html = text_of(call_service(&app, req).await).await;
    assert!(!html.contains(r#"role="status""#));
}

#[actix_web::test]
async fn the_language_switch_sets_a_strict_cookie_and_returns_to_the_page() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    let req = TestRequest::get().uri("/lang/en?next=/login").to_request();
    let res = call_service(&app, req).await;
    assert_eq!(res.status(), 303);
    assert_eq!(header(&res, "location"), "/login");
    let cookie = header(&res, "set-cookie");
    // ASVS 3.3.1–3.3.4: __Host- name, Secure, Path=/, no Domain, SameSite, HttpOnly.
    assert!(cookie.starts_with("__Host-lang=en;"), "{cookie}");
    for attribute in ["SameSite=Strict", "Path=/", "Secure", "HttpOnly"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    assert_security_headers("/lang/en", &res);
}

#[actix_web::test]
async fn the_language_switch_refuses_an_open_redirect() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    for next in [
        "https://evil.example",
        "https:%2F%2Fevil.example",
        "//evil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "/\\evil.example",
        "evil.example",
        "/login%0D%0ASet-Cookie:%20x=1",
        "",
    ] {
        let req = TestRequest::get().uri(&format!("/lang/en?next={next}")).to_request();
        let res = call_service(&app, req).await;
        assert_eq!(res.status(), 303, "{next}");
        assert_eq!(header(&res, "location"), "/", "next={next} must stay on this site");
    }
    let res = call_service(&app, TestRequest::get().uri("/lang/en").to_request()).await;
    assert_eq!(header(&res, "location"), "/");
}

#[actix_web::test]
async fn an_unknown_language_is_not_found() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    let res = call_service(&app, TestRequest::get().uri("/lang/fr?next=/login").to_request()).await;
    assert_eq!(res.status(), 404);
    assert!(res.headers().get("set-cookie").is_none());
}

#[actix_web::test]
async fn static_files_have_their_content_type_and_a_one_hour_public_cache() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    for (uri, content_type) in [
        ("/static/app.css", "text/css; charset=utf-8"),
        ("/static/app.js", "text/javascript; charset=utf-8"),
        ("/static/favicon.svg", "image/svg+xml"),
    ] {
        let res = call_service(&app, TestRequest::get().uri(uri).to_request()).await;
        assert_eq!(res.status(), 200, "{uri}");
        assert_eq!(header(&res, "content-type"), content_type, "{uri}");
        assert_eq!(header(&res, "cache-control"), "public, max-age=3600", "{uri}");
        assert_security_headers(uri, &res);
        let etag = header(&res, "etag").to_string();
        assert!(!read_body(res).await.is_empty(), "{uri} is empty");

        let again = TestRequest::get().uri(uri).insert_header(("if-none-match", etag)).to_request();
        let res = call_service(&app, again).await;
        assert_eq!(res.status(), 304, "{uri} unchanged");
    }
}

#[actix_web::test]
async fn a_static_file_linked_with_its_current_version_is_cached_for_good() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    let html = text_of(call_service(&app, TestRequest::get().uri("/login").to_request()).await).await;
    for file in ["app.css", "app.js", "favicon.svg"] {
        let start = format!("/static/{file}?v=");
        let link =
            html.split(&start).nth(1).and_then(|rest| rest.split('"').next()).expect("a versioned link");
        let res = call_service(&app, TestRequest::get().uri(&format!("{start}{link}")).to_request()).await;
        assert_eq!(res.status(), 200, "{file}");
        assert_eq!(header(&res, "cache-control"), "public, max-age=31536000, immutable", "{file}");
        let stale = TestRequest::get().uri(&format!("{start}0000000000000000")).to_request();
        let res = call_service(&app, stale).await;
        assert_eq!(header(&res, "cache-control"), "public, max-age=3600", "{file}: an old version's link");
    }
}

#[actix_web::test]
async fn pages_link_static_files_with_a_version_that_changes_with_their_content() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    let html = text_of(call_service(&app, TestRequest::get().uri("/login").to_request()).await).await;
    let css = html
        .split("href=\"/static/app.css?v=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("stylesheet link");
    assert_eq!(css.len(), 16);
    assert!(html.contains(r#"<script src="/static/app.js?v="#));
}

#[actix_web::test]
async fn an_unknown_static_file_is_not_found() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    let res = call_service(&app, TestRequest::get().uri("/static/../Cargo.toml").to_request()).await;
    assert_eq!(res.status(), 404);
    let res = call_service(&app, TestRequest::get().uri("/static/secret.txt").to_request()).await;
    assert_eq!(res.status(), 404);
}

#[actix_web::test]
async fn a_browser_gets_an_error_page_in_its_language_and_the_api_keeps_problem_json() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    let req = TestRequest::get()
        .uri("/no-such-page")
        .insert_header(("accept", BROWSER_ACCEPT))
        .insert_header(("accept-language", "en"))
        .to_request();
    let res = call_service(&app, req).await;
    assert_eq!(res.status(), 404);
    assert_eq!(header(&res, "content-type"), "text/html; charset=utf-8");
    assert_security_headers("/no-such-page", &res);
    assert_eq!(header(&res, "cache-control"), "no-store");
    let html = text_of(res).await;
    assert_eq!(title_of(&html), "Bình An – Page not found");

    for uri in ["/api/v1/nothing", "/readyz"] {
        let req = TestRequest::get().uri(uri).insert_header(("accept", BROWSER_ACCEPT)).to_request();
        let res = call_service(&app, req).await;
        assert_eq!(header(&res, "content-type"), "application/problem+json", "{uri}");
    }
    let req = TestRequest::get().uri("/no-such-page").to_request();
    let res = call_service(&app, req).await;
    assert_eq!(header(&res, "content-type"), "application/problem+json");
}

// Every route, signed in and not, pages and API: see
// `sign_in_pages::every_route_carries_the_security_headers`.

/// The session layer's part, played here by a wrapper: it puts the signed-in user
/// and the CSRF token into the request's extensions, and the pages do the rest.
#[actix_web::test]
async fn a_session_layer_that_puts_the_user_in_the_request_gets_the_home_page_of_the_role() {
    let db = TestDb::sqlite();
    for user in all_roles() {
        let role = user.role;
        let signed_in = app(state(&db)).wrap_fn(move |req, srv| {
            req.extensions_mut().insert(user.clone());
            req.extensions_mut().insert(CsrfToken("csrf-abc".into()));
            srv.call(req)
        });
        let app = init_service(signed_in).await;
        let res = call_service(&app, TestRequest::get().uri("/").to_request()).await;
        assert_eq!(res.status(), 200, "{role}");
        let html = text_of(res).await;
        assert!(html.contains("Nguyễn Thị Hạnh"), "{role}");
        assert!(html.contains(r#"<form method="post" action="/logout">"#), "{role}");
        assert!(html.contains(r#"name="csrf_token" value="csrf-abc""#), "{role}");
        assert!(html.contains(r#"data-idle-minutes="5""#), "{role}");
        assert!(html.contains(r#"id="lock-now""#), "{role}");
        assert!(html.contains(r#"action="/api/v1/auth/unlock""#), "{role}");
        assert!(!title_of(&html).contains("Hạnh"), "{role}");

        let res = call_service(&app, TestRequest::get().uri("/login").to_request()).await;
        assert_eq!(res.status(), 303, "{role}: signed in, /login goes home");
        assert_eq!(header(&res, "location"), "/");
    }
}

/// Every page the shell renders, for someone signed out and for each role.
async fn every_rendered_page() -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for lang in Lang::ALL {
        let anonymous = PageContext::new(lang, "/login");
        pages.push((
            format!("login {lang:?}"),
            response_text(render_login(&anonymous, &LoginForm::default())).await,
        ));
        for message in LoginMessage::ALL {
            let form = LoginForm { username: "hanh.nt".into(), message: Some(message) };
            pages.push((
                format!("login {lang:?} {message:?}"),
                response_text(render_login(&anonymous, &form)).await,
            ));
        }
        for user in all_roles() {
            let ctx = PageContext::new(lang, "/").with_user(user.clone()).with_csrf_token("t");
            pages.push((format!("home {lang:?} {}", user.role), response_text(render_home(&ctx)).await));
            for status in [403, 404, 500, 503] {
                let status = actix_web::http::StatusCode::from_u16(status).expect("status");
                pages.push((
                    format!("error {status} {lang:?} {}", user.role),
                    response_text(render_error(&ctx, status)).await,
                ));
            }
        }
    }
    pages
}

#[actix_web::test]
async fn no_page_has_inline_script_inline_style_or_event_handlers() {
    let pages = every_rendered_page().await;
    assert!(pages.len() > 40);
    for (name, html) in &pages {
        assert_csp_safe(name, html);
    }
}

#[actix_web::test]
async fn page_titles_are_neutral_and_never_name_a_person() {
    let neutral = [
        "Bình An – Đăng nhập",
        "Bình An – Sign in",
        "Bình An – Trang chính",
        "Bình An – Home",
        "Bình An – Không được phép",
        "Bình An – Not allowed",
        "Bình An – Không tìm thấy trang",
        "Bình An – Page not found",
        "Bình An – Lỗi hệ thống",
        "Bình An – System error",
        "Bình An – Hệ thống tạm ngừng phục vụ",
        "Bình An – System temporarily unavailable",
    ];
    for (name, html) in every_rendered_page().await {
        let title = title_of(&html);
        assert!(neutral.contains(&title), "{name}: title {title:?}");
        for personal in ["Nguyễn", "Hạnh", "hanh.nt", "Cẩm Xuyên", "Hoa Sen"] {
            assert!(!title.contains(personal), "{name}: {title}");
        }
    }
}

#[actix_web::test]
async fn no_page_shows_the_version_of_the_software() {
    // ASVS 13.4.6: no version banners.
    for (name, html) in every_rendered_page().await {
        assert!(!html.contains(env!("CARGO_PKG_VERSION")), "{name}");
    }
}

#[test]
fn the_markup_check_catches_inline_script_inline_style_and_event_handlers() {
    let caught = |html: &str| std::panic::catch_unwind(|| assert_csp_safe("probe", html)).is_err();
    assert!(caught("<p><script>alert(1)</script></p>"));
    assert!(caught(r#"<script src="/static/app.js">alert(1)</script>"#));
    assert!(caught(r#"<p style="color:red">x</p>"#));
    assert!(caught("<style>p{}</style>"));
    assert!(caught(r#"<button onclick="go()">x</button>"#));
    assert!(caught(r#"<a href="javascript:go()">x</a>"#));
    assert!(!caught(r#"<script src="/static/app.js"></script><p>Come on=in, only text</p>"#));
}
