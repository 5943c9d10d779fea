//! ASVS 5.0 chapters V1–V7 (encoding, validation, web frontend, API, files,
//! authentication, sessions): the checks docs/SECURITY.md names that no other
//! module made. Each test is one requirement's scenario and fails when the
//! requirement stops holding.

use std::path::{Path, PathBuf};

use actix_web::cookie::Cookie;
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use binhan::audit::Actor;
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::http::session::SESSION_COOKIE;
use binhan::services::auth::{self, AuthSettings, Stage, current_code, enrol_with_secret};
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::api::{SECRET, get, post, send, sign_in};
use crate::support::app::{PASSWORD, account, state};
use crate::support::db::{TestDb, load_units};
use crate::support::intake::intake_json;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `.html` template, as (file name, text).
fn templates() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(repo("frontend/templates")).expect("templates") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "html") {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            out.push((name, std::fs::read_to_string(&path).expect("template")));
        }
    }
    assert!(out.len() > 20, "the templates were found");
    out
}

/// The tags `<tag …>` of a text, lower-cased.
fn tags<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    html.match_indices(&open).map(|(at, _)| &html[at..at + html[at..].find('>').unwrap_or(0) + 1]).collect()
}

/// A worker (hanh) and a supervisor with a second factor (dung), with the units.
fn people(db: &TestDb) {
    let mut conn = db.migrated();
    load_units(&mut conn);
    account(db, &mut conn, "hanh", Role::SocialWorker);
    let dung = account(db, &mut conn, "dung", Role::Supervisor);
    enrol_with_secret(&mut conn, &db.keys(), dung.id, SECRET, Utc::now().naive_utc()).expect("enrol");
}

fn header<B>(res: &actix_web::dev::ServiceResponse<B>, name: &str) -> String {
    res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

fn session_of<B>(res: &actix_web::dev::ServiceResponse<B>) -> Option<String> {
    res.response().cookies().find(|c| c.name() == SESSION_COOKIE).map(|c| c.value().to_string())
}

fn cookie(value: &str) -> Cookie<'static> {
    Cookie::new(SESSION_COOKIE, value.to_string())
}

/// Records an intake through the API whose safe-contact note and story are the
/// texts given; returns the case as the API reads it back and the case page.
async fn case_with_texts<S, B>(
    app: &S,
    worker: &Cookie<'static>,
    safe_contact: &str,
    narrative: &str,
) -> (Value, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let mut body = intake_json("Nguyễn Thị Hoa", "18073");
    body["survivor"]["safe_contact"] = json!(safe_contact);
    body["incident"]["narrative"] = json!(narrative);
    let (status, created) = send(app, post("/cases", worker, body)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("id").to_string();
    let (status, case) = send(app, get(&format!("/cases/{id}"), worker)).await;
    assert_eq!(status, 200, "{case}");
    let page = TestRequest::get()
        .uri(&format!("/cases/{id}"))
        .cookie(worker.clone())
        .insert_header(("accept", "text/html"))
        .to_request();
    let res = call_service(app, page).await;
    assert_eq!(res.status(), 200);
    let html = String::from_utf8(read_body(res).await.to_vec()).expect("utf-8");
    (case, html)
}

// ---- V1 Encoding and sanitization ----------------------------------------------

on_both_backends! {
    // ASVS 1.1.2, 1.2.1: stored as typed, escaped once, at output.
    async fn markup_typed_in_a_case_is_stored_as_typed_and_shown_escaped_once(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let typed = r#"<script>alert(1)</script> <b>&</b> "x" 'y'"#;
        let (case, html) = case_with_texts(&app, &hanh, typed, "Chuyện kể.").await;
        assert_eq!(case["safe_contact"], typed, "the API gives back exactly what was typed");
        assert!(!html.contains("<script>alert(1)"), "no markup of hers reaches the page");
        // askama writes numeric character references: &#60; for <, &#38; for &.
        assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "shown as text");
        assert!(html.contains("&#60;b&#62;&#38;&#60;/b&#62; &#34;x&#34; &#39;y&#39;"), "each character escaped once");
        assert!(!html.contains("&#38;#") && !html.contains("&amp;"), "never escaped twice");
    }
}

on_both_backends! {
    // ASVS 1.3.7: templates are compiled; text that looks like template syntax is text.
    async fn template_syntax_typed_in_a_case_is_shown_as_text(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let typed = "{{ 7*7 }} {% if true %}có{% endif %} ${7*7}";
        let (_, html) = case_with_texts(&app, &hanh, typed, "Chuyện kể.").await;
        assert!(html.contains(typed), "the template syntax she typed is shown as she typed it");
    }
}

on_both_backends! {
    // ASVS 1.2.3: JSON is produced by serde: quotes, script ends and line
    // separators cannot change its structure.
    async fn quotes_script_ends_and_line_separators_round_trip_through_the_api(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let story = "Chị nói \"đừng\"; </script><script>alert(1)</script> \u{2028}\u{2029} \\ {\"a\":1}";
        let (case, _) = case_with_texts(&app, &hanh, "", story).await;
        assert_eq!(case["incident"]["narrative"], story);
        assert_eq!(case["survivor"]["full_name"], "Nguyễn Thị Hoa", "the fields around it are intact");
    }
}

on_both_backends! {
    // ASVS 1.1.1: input is decoded once; what remains encoded stays as it is.
    async fn percent_signs_in_input_are_decoded_once_and_kept(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let story = "100%25 %3Cb%3E %252e%252e%252f";
        let (case, _) = case_with_texts(&app, &hanh, "", story).await;
        assert_eq!(case["incident"]["narrative"], story, "a JSON string is never URL-decoded");
        for (next, location) in [("%2Fcases", "/cases"), ("%252Fcases", "/"), ("%252F%252Fevil.example", "/")] {
            let res = call_service(&app, TestRequest::get().uri(&format!("/lang/en?next={next}")).to_request()).await;
            assert_eq!(res.status(), 303, "{next}");
            assert_eq!(header(&res, "location"), location, "next={next} is decoded exactly once");
        }
    }
}

on_both_backends! {
    // ASVS 1.2.4: diesel binds every value; SQL in a value is data.
    async fn sql_metacharacters_are_searched_and_stored_as_plain_text(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let story = "x'); DROP TABLE cases; -- ' OR '1'='1";
        let (case, _) = case_with_texts(&app, &hanh, "", story).await;
        assert_eq!(case["incident"]["narrative"], story);
        let (status, found) = send(&app, post("/cases/search", &hanh, json!({"name": "' OR '1'='1' --"}))).await;
        assert!(status == 200 || status == 422, "{status}: {found}");
        if status == 200 {
            assert_eq!(found["cases"].as_array().map(Vec::len), Some(0), "{found}");
        }
        let (status, _) = send(&app, get("/cases?status=%27%20OR%201%3D1--", &hanh)).await;
        assert!(status == 400 || status == 422, "a filter that is no status: {status}");
        let (status, found) = send(&app, post("/cases/search", &hanh, json!({"name": "Nguyễn Thị Hoa"}))).await;
        assert_eq!(status, 200);
        assert_eq!(found["cases"].as_array().map(Vec::len), Some(1), "the table is still there: {found}");
    }
}

on_both_backends! {
    // ASVS 1.4.2: numbers out of range are refused, never wrapped.
    async fn out_of_range_numbers_in_a_query_are_refused_not_wrapped(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        for limit in ["18446744073709551616", "-1", "1e30", "99999999999"] {
            let res = call_service(&app, get(&format!("/cases?limit={limit}"), &hanh).to_request()).await;
            let status = res.status().as_u16();
            assert!(status == 400 || status == 422, "limit={limit}: {status}");
            assert_eq!(header(&res, "content-type"), "application/problem+json", "limit={limit}");
        }
    }
}

#[test]
fn release_builds_check_integer_overflow() {
    // ASVS 1.4.2: arithmetic that overflows stops instead of wrapping.
    let manifest: toml::Table = read("Cargo.toml").parse().expect("Cargo.toml");
    assert_eq!(manifest["profile"]["release"]["overflow-checks"].as_bool(), Some(true));
}

#[test]
fn unsafe_code_is_only_in_the_reviewed_allocator_and_sqlite_modules() {
    // ASVS 1.4.1, 1.4.3: memory safety is the compiler's, except in three small
    // FFI modules where each unsafe block says why it is sound.
    const REVIEWED: [&str; 3] = ["src/memory.rs", "src/store/backup.rs", "src/store/sqlite_wait.rs"];
    let mut stack = vec![repo("src")];
    let mut blocks = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel =
                path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&path).expect("source");
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                let words: Vec<&str> = code.split(|c: char| !c.is_alphanumeric() && c != '_').collect();
                if !words.contains(&"unsafe") {
                    continue;
                }
                assert!(
                    REVIEWED.contains(&rel.as_str()),
                    "{rel}:{}: unsafe code outside the reviewed modules",
                    i + 1
                );
                if code.contains("unsafe {") || code.trim_end().ends_with("unsafe") {
                    blocks += 1;
                    let before = &lines[i.saturating_sub(6)..=i];
                    assert!(
                        before.iter().any(|l| l.contains("SAFETY")),
                        "{rel}:{}: an unsafe block without its SAFETY note",
                        i + 1
                    );
                }
            }
        }
    }
    assert!(blocks > 0, "the scan found the known blocks");
}

#[test]
fn the_sites_script_never_writes_html_from_strings_or_evaluates_code() {
    // ASVS 3.2.2, 1.3.2: the first-party script sets text, never HTML from strings,
    // and never runs code built at run time. (The one DOMParser call parses a page
    // fragment this server rendered with escaping, then adopts its nodes.)
    let js = read("frontend/static/app.js");
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "setTimeout('",
        "setTimeout(\"",
        "setInterval('",
        "setInterval(\"",
        "createContextualFragment",
        "javascript:",
        "addEventListener('message'",
        "addEventListener(\"message\"",
    ] {
        assert!(!js.contains(sink), "app.js uses {sink}");
    }
    assert_eq!(js.matches("DOMParser").count(), 1, "one reviewed parse of our own fragment");
}

#[test]
fn no_template_embeds_a_plugin_or_a_frame() {
    // ASVS 3.7.1: no plugins, applets or frames; CSP default-src 'none' keeps objects out.
    for (name, html) in templates() {
        let lower = html.to_ascii_lowercase();
        for tag in ["<object", "<embed", "<applet", "<iframe", "<frame"] {
            assert!(!lower.contains(tag), "{name} has {tag}");
        }
    }
}

// ---- V3 Web frontend ------------------------------------------------------------

#[actix_web::test]
async fn every_answer_has_hsts_for_a_year_and_a_csp_without_inline_or_eval() {
    // ASVS 3.4.1, 3.4.3, 3.4.6, 1.3.2: pages, API answers, errors and static files.
    let db = TestDb::sqlite();
    db.migrated();
    let app = init_service(app(state(&db))).await;
    let requests = [
        ("GET", "/login"),
        ("GET", "/healthz"),
        ("GET", "/no-such-page"),
        ("GET", "/static/app.css"),
        ("GET", "/static/no-such-file.js"),
        ("GET", "/api/v1/openapi.json"),
        ("GET", "/api/v1/me"),
        ("PUT", "/api/v1/me"),
        ("POST", "/api/v1/auth/login"),
    ];
    for (method, uri) in requests {
        let method = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
        let res =
            call_service(&app, TestRequest::default().method(method.clone()).uri(uri).to_request()).await;
        let what = format!("{method} {uri} ({})", res.status());
        let hsts = header(&res, "strict-transport-security");
        let max_age: u64 = hsts
            .split(';')
            .find_map(|d| d.trim().strip_prefix("max-age="))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{what}: HSTS {hsts:?}"));
        assert!(max_age >= 31_536_000, "{what}: HSTS max-age {max_age}");
        assert!(hsts.contains("includeSubDomains"), "{what}");
        let csp = header(&res, "content-security-policy");
        let directive = |name: &str| -> Option<String> {
            csp.split(';').map(str::trim).find_map(|d| d.strip_prefix(name).map(|v| v.trim().to_string()))
        };
        let default = directive("default-src ").unwrap_or_default();
        let script = directive("script-src ").unwrap_or_else(|| default.clone());
        for unsafe_source in
            ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:"]
        {
            assert!(!script.split_whitespace().any(|s| s == unsafe_source), "{what}: script-src {script}");
        }
        let object = directive("object-src ").unwrap_or_else(|| default.clone());
        assert_eq!(object, "'none'", "{what}: objects");
        assert_eq!(directive("base-uri ").as_deref(), Some("'none'"), "{what}");
        assert_eq!(directive("frame-ancestors ").as_deref(), Some("'none'"), "{what}");
        assert_eq!(header(&res, "x-content-type-options"), "nosniff", "{what}");
    }
}

on_both_backends! {
    // ASVS 3.4.2: no CORS: another origin never gets a reading permission.
    async fn no_answer_lets_another_origin_read_it(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let evil = "https://evil.example";
        let asks = [
            get("/me", &hanh).insert_header(("origin", evil)),
            TestRequest::default()
                .method(actix_web::http::Method::OPTIONS)
                .uri("/api/v1/cases")
                .insert_header(("origin", evil))
                .insert_header(("access-control-request-method", "POST"))
                .insert_header(("access-control-request-headers", "content-type")),
            TestRequest::get().uri("/login").insert_header(("origin", evil)),
        ];
        for ask in asks {
            let res = call_service(&app, ask.to_request()).await;
            for name in ["access-control-allow-origin", "access-control-allow-credentials", "access-control-allow-methods"] {
                assert!(res.headers().get(name).is_none(), "{name}: {:?}", res.headers().get(name));
            }
        }
    }
}

on_both_backends! {
    // ASVS 3.5.2: an API change must be JSON (which a page of another site cannot
    // send without a preflight); a simple text or form body is refused.
    async fn an_api_change_sent_as_text_or_as_a_form_is_refused(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let body = intake_json("Nguyễn Thị Hoa", "18073").to_string();
        for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
            let req = TestRequest::post()
                .uri("/api/v1/cases")
                .cookie(hanh.clone())
                .insert_header(("content-type", content_type))
                .set_payload(body.clone());
            let res = call_service(&app, req.to_request()).await;
            let status = res.status().as_u16();
            assert!(status == 400 || status == 415, "{content_type}: {status}");
        }
        let (status, found) = send(&app, post("/cases/search", &hanh, json!({"name": "Nguyễn Thị Hoa"}))).await;
        assert_eq!(status, 200);
        assert_eq!(found["cases"].as_array().map(Vec::len), Some(0), "no case was recorded: {found}");
    }
}

on_both_backends! {
    // ASVS 3.5.3: a GET (or HEAD) never signs out, locks or changes anything.
    async fn a_get_on_a_sign_out_or_change_route_changes_nothing(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        for (method, uri) in [
            ("GET", "/logout"),
            ("HEAD", "/logout"),
            ("GET", "/api/v1/auth/logout"),
            ("GET", "/api/v1/auth/lock"),
            ("GET", "/api/v1/me/password"),
            ("GET", "/admin/users/hanh/disable"),
        ] {
            let method = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
            let req = TestRequest::default().method(method.clone()).uri(uri).cookie(hanh.clone());
            let status = call_service(&app, req.to_request()).await.status().as_u16();
            assert!((403..=405).contains(&status), "{method} {uri}: {status}");
        }
        let (status, me) = send(&app, get("/me", &hanh)).await;
        assert_eq!(status, 200, "still signed in and not locked: {me}");
    }
}

on_both_backends! {
    // ASVS 3.3.4: the token is HttpOnly and travels only in Set-Cookie.
    async fn the_session_token_never_appears_in_a_page_or_an_api_answer(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let req = TestRequest::post()
            .uri("/api/v1/auth/login")
            .set_json(json!({"username": "hanh", "password": PASSWORD}));
        let res = call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), 200);
        let set = res.response().cookies().find(|c| c.name() == SESSION_COOKIE).expect("cookie").into_owned();
        assert_eq!(set.http_only(), Some(true));
        let token = set.value().to_string();
        assert!(header(&res, "location").is_empty());
        let login_body = String::from_utf8(read_body(res).await.to_vec()).unwrap();
        assert!(!login_body.contains(&token), "the sign-in answer");
        let session = cookie(&token);
        for (uri, html) in [("/api/v1/me", false), ("/", true), ("/account", true), ("/cases", true)] {
            let mut req = TestRequest::get().uri(uri).cookie(session.clone());
            if html {
                req = req.insert_header(("accept", "text/html"));
            }
            let res = call_service(&app, req.to_request()).await;
            assert_eq!(res.status(), 200, "{uri}");
            let body = String::from_utf8(read_body(res).await.to_vec()).unwrap();
            assert!(!body.contains(&token), "{uri} shows the session token");
        }
    }
}

on_both_backends! {
    // ASVS 7.4.4: a signed-in page offers signing out in its header, not only on
    // the home page or behind the lock screen.
    async fn every_signed_in_page_offers_sign_out_in_its_header(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        for uri in ["/", "/cases", "/account", "/cases/new"] {
            let req = TestRequest::get().uri(uri).cookie(hanh.clone()).insert_header(("accept", "text/html"));
            let res = call_service(&app, req.to_request()).await;
            assert_eq!(res.status(), 200, "{uri}");
            let html = String::from_utf8(read_body(res).await.to_vec()).unwrap();
            let header_part = &html[..html.find("<main").expect("main")];
            assert!(header_part.contains(r#"action="/logout""#), "{uri}: no sign-out in the header");
            let form = &header_part[header_part.find(r#"action="/logout""#).unwrap()..];
            assert!(form.contains(r#"name="csrf_token" value=""#) && !form.contains(r#"value="""#), "{uri}: its form carries the token");
        }
    }
}

// ---- V5 Files -------------------------------------------------------------------

#[actix_web::test]
async fn encoded_dot_dot_and_backslash_paths_never_leave_the_static_folder() {
    // ASVS 5.3.2: file names from the URL never reach outside /static.
    let db = TestDb::sqlite();
    db.migrated();
    let app = init_service(app(state(&db))).await;
    for uri in [
        "/static/..%2fCargo.toml",
        "/static/..%2f..%2fCargo.toml",
        "/static/%2e%2e/Cargo.toml",
        "/static/%2e%2e%2fCargo.toml",
        "/static/..%5cCargo.toml",
        "/static/%252e%252e%252fCargo.toml",
        "/static/..%2ffrontend%2ftemplates%2fbase.html",
        "/static/%2fetc%2fpasswd",
        "/static/app.css%00.js",
    ] {
        let res = call_service(&app, TestRequest::get().uri(uri).to_request()).await;
        let status = res.status().as_u16();
        assert!(status == 404 || status == 400, "{uri}: {status}");
        let body = String::from_utf8_lossy(&read_body(res).await).to_string();
        assert!(
            !body.contains("[package]")
                && !body.contains("root:")
                && !body.contains("<!DOCTYPE html>\n<html lang=\"{{"),
            "{uri}"
        );
    }
}

on_both_backends! {
    // ASVS 3.2.1, 4.1.1, 5.4.1, 5.4.2: a download is an attachment of its own type,
    // under a plain ASCII name the server makes; nothing the client sends names it.
    async fn report_downloads_are_attachments_named_by_the_server(db: TestDb) {
        use crate::stats::{THANH_SEN, at, committee, recorder, take_in};
        let mut conn = db.migrated();
        load_units(&mut conn);
        let who = recorder(&db, &mut conn);
        take_in(&mut conn, &who, THANH_SEN, at(2026, 2, 10), 9);
        committee(&db, &mut conn, "thu", &[]);
        let app = init_service(app(state(&db))).await;
        let thu = sign_in(&app, "thu", true).await;
        for (format, content_type) in [
            ("csv", "text/csv; charset=utf-8"),
            ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ] {
            for query in ["", "?filename=..%2F..%2Fx.html", "?name=%22%0D%0ASet-Cookie:x"] {
                let res = call_service(&app, get(&format!("/reports/half-year/2026/{format}{query}"), &thu).to_request()).await;
                let status = res.status().as_u16();
                if !query.is_empty() && status == 400 {
                    continue; // an unknown parameter is refused: also no name from the client
                }
                assert_eq!(status, 200, "{format}{query}");
                assert_eq!(header(&res, "content-type"), content_type);
                assert_eq!(header(&res, "x-content-type-options"), "nosniff");
                let disposition = header(&res, "content-disposition");
                assert_eq!(disposition, format!("attachment; filename=\"bao-cao-6-thang-2026.{format}\""), "{query}");
                assert!(disposition.is_ascii() && !disposition.contains('\r') && !disposition.contains('\n'));
                assert!(res.headers().get_all("set-cookie").all(|c| !c.to_str().unwrap_or("").starts_with("x")));
            }
        }
    }
}

// ---- V6 Authentication ----------------------------------------------------------

#[test]
fn password_fields_are_masked_and_open_to_password_managers() {
    // ASVS 6.2.6, 6.2.7: type=password, an autocomplete hint, no paste blocking.
    let mut found = 0;
    for (name, html) in templates() {
        for input in tags(&html, "input") {
            if !input.contains("name=\"")
                || !input
                    .split("name=\"")
                    .nth(1)
                    .is_some_and(|n| n.split('"').next().unwrap_or("").contains("password"))
            {
                continue;
            }
            found += 1;
            assert!(input.contains(r#"type="password""#), "{name}: {input}");
            assert!(
                input.contains(r#"autocomplete="current-password""#)
                    || input.contains(r#"autocomplete="new-password""#),
                "{name}: {input}"
            );
            assert!(
                !input.contains("maxlength=\"") || input.contains("maxlength=\"128\""),
                "{name}: no cut below 128: {input}"
            );
        }
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("onpaste") && !lower.contains("oncopy"), "{name}");
    }
    assert!(found >= 8, "sign-in, lock, account and first-password forms: {found}");
    let js = read("frontend/static/app.js");
    assert!(!js.contains("'paste'") && !js.contains("\"paste\""), "no script blocks pasting");
}

on_both_backends! {
    // ASVS 6.2.8: no truncation, case folding or trimming of a password.
    async fn a_password_is_checked_exactly_as_typed(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let truncated: String = PASSWORD.chars().take(PASSWORD.chars().count() - 1).collect();
        for variant in [PASSWORD.to_uppercase(), truncated, format!("{PASSWORD} "), format!(" {PASSWORD}")] {
            let req = TestRequest::post()
                .uri("/api/v1/auth/login")
                .set_json(json!({"username": "hanh", "password": variant}));
            assert_eq!(call_service(&app, req.to_request()).await.status(), 401, "{variant:?}");
        }
        let req = TestRequest::post().uri("/api/v1/auth/login").set_json(json!({"username": "hanh", "password": PASSWORD}));
        assert_eq!(call_service(&app, req.to_request()).await.status(), 200, "the password as typed");
    }
}

on_both_backends! {
    // ASVS 6.2.9: a passphrase of 128 characters is set and used.
    async fn a_passphrase_of_128_characters_is_set_and_signs_in(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let long: String = "đồng lúa chín vàng, con đò nhỏ qua sông; ".repeat(4).chars().take(128).collect();
        assert_eq!(long.chars().count(), 128);
        let (status, problem) = send(&app, post("/me/password", &hanh, json!({"current_password": PASSWORD, "new_password": long}))).await;
        assert_eq!(status, 204, "{problem}");
        let req = TestRequest::post().uri("/api/v1/auth/login").set_json(json!({"username": "hanh", "password": long}));
        assert_eq!(call_service(&app, req.to_request()).await.status(), 200);
        let cut: String = long.chars().take(64).collect();
        let req = TestRequest::post().uri("/api/v1/auth/login").set_json(json!({"username": "hanh", "password": cut}));
        assert_eq!(call_service(&app, req.to_request()).await.status(), 401, "all 128 characters count");
    }
}

on_both_backends! {
    // ASVS 6.2.10: a password does not expire.
    fn a_password_two_years_old_signs_in_without_a_forced_change(db: TestDb) {
        people(&db);
        let mut conn = db.conn();
        let settings = AuthSettings::from_config(&crate::support::app::config(&db));
        let later = Utc::now().naive_utc() + Duration::days(2 * 365 + 1);
        let session = auth::login(&mut conn, &db.keys(), &settings, &Actor::command("test"), "hanh", PASSWORD, None, later)
            .expect("signs in two years later");
        assert!(session.stage == Stage::Full, "no password change is forced");
    }
}

on_both_backends! {
    // ASVS 6.3.2: no default account: a new installation has no one to sign in as.
    async fn a_fresh_database_has_no_account_to_sign_in_with(db: TestDb) {
        let mut conn = db.migrated();
        assert!(binhan::store::users::all(&mut conn).expect("users").is_empty());
        let app = init_service(app(state(&db))).await;
        for (username, password) in [("admin", "admin"), ("admin", "password"), ("root", "root"), ("binhan", "binhan")] {
            let req = TestRequest::post().uri("/api/v1/auth/login").set_json(json!({"username": username, "password": password}));
            assert_eq!(call_service(&app, req.to_request()).await.status(), 401, "{username}");
        }
    }
}

#[test]
fn no_account_has_a_password_hint_or_a_security_question() {
    // ASVS 6.4.2: nothing to store one in, no form asking for one.
    let schema = read("src/store/schema.rs");
    let users =
        schema.split("users (id) {").nth(1).and_then(|rest| rest.split('}').next()).expect("users table");
    for word in ["hint", "question", "answer", "secret_q", "reminder"] {
        assert!(!users.contains(word), "users has a {word} column");
    }
    for (name, html) in templates() {
        for input in tags(&html, "input").into_iter().chain(tags(&html, "textarea")) {
            for word in ["hint", "question", "security", "reminder"] {
                assert!(!input.to_ascii_lowercase().contains(&format!("name=\"{word}")), "{name}: {input}");
            }
        }
    }
}

on_both_backends! {
    // ASVS 6.5.5: a code lives one 30-second step; one step of clock drift is forgiven.
    fn a_code_from_two_steps_ago_is_refused(db: TestDb) {
        people(&db);
        let mut conn = db.conn();
        let settings = AuthSettings::from_config(&crate::support::app::config(&db));
        let now = Utc::now().naive_utc();
        let code_at = |seconds: i64| current_code(SECRET, now - Duration::seconds(seconds)).expect("code");
        let (old, drifted) = (code_at(90), code_at(30));
        let mut attempt = |code: &str| {
            auth::login(&mut conn, &db.keys(), &settings, &Actor::command("test"), "dung", PASSWORD, Some(code), now).is_ok()
        };
        if old != code_at(0) && old != drifted {
            assert!(!attempt(&old), "a code of 90 seconds ago");
        }
        assert!(attempt(&drifted), "a code of the step before, from a phone a little late");
    }
}

on_both_backends! {
    // ASVS 6.5.3: each set-up makes a new 160-bit secret from the OS's generator.
    fn second_factor_secrets_are_160_random_bits_and_never_repeat(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let tuan = account(&db, &mut conn, "tuan", Role::Supervisor);
        let mut secrets = std::collections::HashSet::new();
        for _ in 0..5 {
            let setup = auth::begin_second_factor(&mut conn, &db.keys(), &Actor::command("test"), &tuan, Utc::now().naive_utc())
                .expect("set-up");
            let base32 = setup.secret.as_str().to_string();
            assert_eq!(base32.trim_end_matches('=').len(), 32, "20 bytes in base32: {base32}");
            assert!(setup.otpauth_uri.contains("period=30") && setup.otpauth_uri.contains("digits=6"));
            assert!(secrets.insert(base32), "a secret came twice");
        }
    }
}

// ---- V7 Sessions ----------------------------------------------------------------

on_both_backends! {
    // ASVS 7.2.1: the server checks every token; a made-up or altered one is nobody.
    async fn a_made_up_or_altered_session_cookie_is_refused(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let token = hanh.value().to_string();
        let last = token.chars().last().unwrap();
        let altered = format!("{}{}", &token[..token.len() - 1], if last == '0' { '1' } else { '0' });
        for fake in ["0".repeat(64), "f".repeat(64), altered, String::new(), "admin".into(), format!("{token}00")] {
            let (status, _) = send(&app, get("/me", &cookie(&fake))).await;
            assert_eq!(status, 401, "{fake:?}");
            let page = TestRequest::get().uri("/").cookie(cookie(&fake)).insert_header(("accept", "text/html"));
            let res = call_service(&app, page.to_request()).await;
            assert_eq!(res.status(), 303, "{fake:?}");
            assert!(header(&res, "location").starts_with("/login"), "{fake:?}");
        }
        assert_eq!(send(&app, get("/me", &hanh)).await.0, 200, "the real one still works");
    }
}

on_both_backends! {
    // ASVS 7.2.2: only a session cookie authenticates; no static key or bearer header.
    async fn an_api_key_or_bearer_header_grants_nothing(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let token = hanh.value().to_string();
        for (name, value) in [
            ("authorization", format!("Bearer {token}")),
            ("authorization", format!("Basic {}", "aGFuaDpsw7phIGNow61uIHbDoG5nIMSR4buTbmcgcXXDqg==")),
            ("x-api-key", token.clone()),
            ("x-session", token.clone()),
        ] {
            let req = TestRequest::get().uri("/api/v1/me").insert_header((name, value.clone()));
            assert_eq!(call_service(&app, req.to_request()).await.status(), 401, "{name}");
        }
        let req = TestRequest::get().uri(&format!("/api/v1/me?session={token}&{SESSION_COOKIE}={token}"));
        let status = call_service(&app, req.to_request()).await.status().as_u16();
        assert!(status == 401 || status == 400, "a token in the address: {status}");
    }
}

on_both_backends! {
    // ASVS 7.2.3: 256 bits from the OS, a new one each time; the database keeps
    // only its SHA-256.
    async fn session_tokens_are_256_random_bits_stored_only_as_their_hash(db: TestDb) {
        use binhan::store::schema::sessions;
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut tokens = std::collections::HashSet::new();
        for _ in 0..5 {
            let token = sign_in(&app, "hanh", false).await.value().to_string();
            assert_eq!(token.len(), 64, "{token}");
            assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
            assert!(tokens.insert(token), "a token came twice");
        }
        let mut conn = db.conn();
        let stored: Vec<Vec<u8>> =
            diesel::RunQueryDsl::load(diesel::QueryDsl::select(sessions::table, sessions::token_hash), &mut conn).expect("sessions");
        assert_eq!(stored.len(), 5);
        for token in &tokens {
            assert!(stored.contains(&auth::token_hash(token).to_vec()), "its hash is stored");
            assert!(!stored.contains(&token.as_bytes().to_vec()) && !stored.contains(&hex::decode(token).unwrap()), "never the token");
        }
    }
}

on_both_backends! {
    // ASVS 7.2.4: signing in makes a new token; one the browser brought is ignored.
    async fn signing_in_issues_a_fresh_token_and_never_adopts_one_the_browser_brought(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let planted = "ab".repeat(32);
        let req = TestRequest::post()
            .uri("/api/v1/auth/login")
            .cookie(cookie(&planted))
            .set_json(json!({"username": "hanh", "password": PASSWORD}));
        let res = call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), 200);
        let issued = session_of(&res).expect("a session cookie");
        assert_ne!(issued, planted);
        assert_eq!(send(&app, get("/me", &cookie(&planted))).await.0, 401, "the planted token is nobody");
        assert_eq!(send(&app, get("/me", &cookie(&issued))).await.0, 200);
        let code = current_code(SECRET, Utc::now().naive_utc()).unwrap();
        let req = TestRequest::post()
            .uri("/api/v1/auth/login")
            .cookie(cookie(&issued))
            .set_json(json!({"username": "dung", "password": PASSWORD, "totp": code}));
        let res = call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), 200);
        let again = session_of(&res).expect("a session cookie");
        assert_ne!(again, issued, "signing in again with a cookie makes a new token");
        let (_, me) = send(&app, get("/me", &cookie(&again))).await;
        assert_eq!(me["username"], "dung");
    }
}

#[test]
fn the_documented_limits_are_the_configured_defaults() {
    // ASVS 6.1.1, 7.1.1, 2.1.3: the numbers docs/SECURITY.md gives for lockout,
    // throttling, session timeouts and business limits are the running defaults.
    let doc = read("docs/SECURITY.md");
    for key in [
        "login_max_failures",
        "login_lock_minutes",
        "login_attempts_per_minute",
        "session_idle_minutes",
        "session_max_hours",
        "screen_lock_minutes",
        "second_factor_for_all",
        "placement_hold_hours",
        "disclosure_threshold",
    ] {
        let setting =
            binhan::config::SETTINGS.iter().find(|s| s.key == key).unwrap_or_else(|| panic!("{key}"));
        let default = setting.default.unwrap_or_else(|| panic!("{key} has a default"));
        let stated = format!("`{key}` = {default}");
        assert!(doc.contains(&stated), "docs/SECURITY.md does not say {stated}");
    }
}

on_both_backends! {
    // ASVS 6.5.4 (an extra: Bình An has recovery codes): each of the ten codes is
    // ten characters of a 31-letter alphabet, about 49 bits, and no two are alike.
    async fn recovery_codes_carry_about_49_bits_each_and_differ(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        account(&db, &mut conn, "tuan", Role::Supervisor);
        let app = init_service(app(state(&db))).await;
        let req = TestRequest::post().uri("/api/v1/auth/login").set_json(json!({"username": "tuan", "password": PASSWORD}));
        let res = call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), 200);
        let session = cookie(&session_of(&res).expect("cookie"));
        let (status, setup) = send(&app, TestRequest::post().uri("/api/v1/me/second-factor").cookie(session.clone())).await;
        assert_eq!(status, 200, "{setup}");
        let secret = crate::auth_api::base32_decode(setup["secret"].as_str().unwrap());
        let code = current_code(&secret, Utc::now().naive_utc()).unwrap();
        let (status, body) = send(&app, post("/me/second-factor/confirm", &session, json!({"code": code}))).await;
        assert_eq!(status, 200, "{body}");
        let codes: Vec<&str> = body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        assert_eq!(codes.len(), 10);
        const ALPHABET: &str = "abcdefghjkmnpqrstuvwxyz23456789";
        for code in &codes {
            let letters: Vec<char> = code.chars().filter(|c| *c != '-').collect();
            assert_eq!(letters.len(), 10, "{code}");
            assert!(letters.iter().all(|c| ALPHABET.contains(*c)), "{code}");
        }
        let bits = 10.0 * (ALPHABET.len() as f64).log2();
        assert!(bits >= 20.0 && ALPHABET.len() == 31, "{bits} bits");
        let distinct: std::collections::HashSet<&&str> = codes.iter().collect();
        assert_eq!(distinct.len(), 10);
    }
}

#[test]
fn a_request_with_two_lengths_is_refused_by_the_running_server() {
    // ASVS 4.2.1: Content-Length with Transfer-Encoding, or two different
    // Content-Lengths, are 400: no request can be read two ways.
    use std::io::{Read, Write};
    use std::process::Stdio;

    use crate::support::process::{binhan, free_port, run_within, wait_exit, wait_for_status};
    let db = TestDb::sqlite();
    let mut init = binhan();
    init.env("BINHAN_DATABASE_URL", &db.url_text).env("BINHAN_DATA_DIR", db.data_dir()).arg("init");
    let out = run_within(init, std::time::Duration::from_secs(60));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let port = free_port();
    let mut child = binhan()
        .env("BINHAN_DATABASE_URL", &db.url_text)
        .env("BINHAN_DATA_DIR", db.data_dir())
        .env("BINHAN_BIND", format!("127.0.0.1:{port}"))
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_status(&mut child, port, "/readyz", 200, std::time::Duration::from_secs(30));
    let ask = |head: &str, body: &str| -> String {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
        write!(
            stream,
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{head}Connection: close\r\n\r\n{body}"
        )
        .unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).split("\r\n").next().unwrap_or("").to_string()
    };
    let both = ask(
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    let two = ask("Content-Length: 2\r\nContent-Length: 40\r\n", "{}");
    let te_twice = ask("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", "0\r\n\r\n");
    crate::support::process::send_signal(&child, "TERM");
    wait_exit(&mut child, std::time::Duration::from_secs(15));
    assert!(both.starts_with("HTTP/1.1 400"), "Content-Length and Transfer-Encoding: {both:?}");
    assert!(two.starts_with("HTTP/1.1 400"), "two Content-Lengths: {two:?}");
    assert!(te_twice.starts_with("HTTP/1.1 400"), "two Transfer-Encodings: {te_twice:?}");
}

on_both_backends! {
    // ASVS 7.4.5: an administrator (`binhan user end-sessions NAME` or `--all`)
    // ends the sessions of one account, or of every account, and it is audited.
    async fn an_administrator_ends_the_sessions_of_one_account_or_of_all(db: TestDb) {
        use binhan::services::accounts::{end_all_sessions, end_sessions};
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let dung = sign_in(&app, "dung", true).await;
        let mut conn = db.conn();
        let now = Utc::now().naive_utc();
        end_sessions(&mut conn, &Actor::command("user end-sessions"), "hanh", now).expect("one account");
        assert_eq!(send(&app, get("/me", &hanh)).await.0, 401, "her session ended");
        assert_eq!(send(&app, get("/me", &dung)).await.0, 200, "the others go on");
        let hanh_again = sign_in(&app, "hanh", false).await;
        let hanh_id = binhan::store::users::by_username(&mut conn, "hanh").unwrap().expect("hanh").id;
        let audited = binhan::store::audit::reasons_on(&mut conn, "user", &hanh_id).unwrap();
        assert!(audited.contains(&("account.end_sessions".into(), None)), "{audited:?}");

        assert_eq!(end_all_sessions(&mut conn, &Actor::command("user end-sessions --all"), now).expect("all"), 2);
        assert_eq!(send(&app, get("/me", &hanh_again)).await.0, 401);
        assert_eq!(send(&app, get("/me", &dung)).await.0, 401);
        assert!(matches!(end_sessions(&mut conn, &Actor::command("t"), "nobody", now), Err(binhan::services::accounts::AccountError::NotFound(_))));
    }
}

on_both_backends! {
    // ASVS 6.4.3: a password reset does not touch the second factor: enrolling
    // with the reset's one-time code opens nothing without the second factor's code.
    async fn a_password_reset_leaves_the_second_factor_in_force(db: TestDb) {
        people(&db);
        let mut conn = db.conn();
        let given = binhan::services::accounts::reset_password(&mut conn, &Actor::command("user reset-password"), "dung", Utc::now().naive_utc())
            .expect("reset");
        let app = init_service(app(state(&db))).await;
        let own = "cánh cò bay lả trên đồng";
        let req = TestRequest::post().uri("/api/v1/auth/enrol")
            .set_json(json!({"username": "dung", "code": given.as_str(), "password": own}));
        let (status, problem) = send(&app, req).await;
        assert_eq!((status, problem["code"].as_str()), (401, Some("second_factor_required")), "{problem}");
        let code = current_code(SECRET, Utc::now().naive_utc()).unwrap();
        let req = TestRequest::post()
            .uri("/api/v1/auth/enrol")
            .set_json(json!({"username": "dung", "code": given.as_str(), "password": own, "totp": code}));
        let (status, me) = send(&app, req).await;
        assert_eq!(status, 200, "{me}");
        assert_eq!(me["stage"], "full", "her second factor stays in force");
    }
}
