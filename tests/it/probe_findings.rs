//! The smaller findings of the black-box probe (issue 17): the idle limit held to
//! within seconds, the `__Host-` session cookie, a public bind that names its
//! origin, no request path in the log, numbers out of range named, a long query
//! string answered as a problem, impossible incident dates and over-long search
//! terms refused.

use std::process::Stdio;
use std::time::Duration as StdDuration;

use actix_web::test::{TestRequest, call_service, init_service};
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::auth::{AuthSettings, authenticate, enrol_with_secret, login};
use chrono::{Duration, NaiveDateTime, Utc};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::api::{SECRET, patch, post, send, sign_in};
use crate::support::app::{PASSWORD, account, safe_house, state};
use crate::support::db::{TestDb, load_units};
use crate::support::process::{
    binhan, free_port, http_post_json, run_within, send_signal, wait_exit, wait_for_status,
};

/// `hanh`, and auth settings with a one-minute idle limit.
fn one_minute_settings(db: &TestDb, conn: &mut binhan::store::DbConn) -> AuthSettings {
    load_units(conn);
    account(db, conn, "hanh", Role::SocialWorker);
    let mut settings = AuthSettings::from_config(&crate::support::app::config(db));
    settings.idle = Duration::minutes(1);
    settings
}

/// A session of `hanh` opened at `t0`.
fn session_at(
    db: &TestDb,
    conn: &mut binhan::store::DbConn,
    settings: &AuthSettings,
    t0: NaiveDateTime,
) -> String {
    let actor = binhan::audit::Actor::command("test");
    login(conn, &db.keys(), settings, &actor, "hanh", PASSWORD, None, t0).unwrap().token.to_string()
}

on_both_backends! {
    fn an_active_session_is_not_ended_by_a_one_minute_idle_limit(db: TestDb) {
        let mut conn = db.migrated();
        let settings = one_minute_settings(&db, &mut conn);
        let t0 = Utc::now().naive_utc();
        let token = session_at(&db, &mut conn, &settings, t0);
        // A request every 10 seconds for ten minutes: never a minute without one.
        for s in (10..=600).step_by(10) {
            let alive = authenticate(&mut conn, &settings, &token, t0 + Duration::seconds(s)).unwrap();
            assert!(alive.is_some(), "ended after {s} s of activity");
        }
        // 50 s apart: still within the minute every time.
        for s in (650..=1000).step_by(50) {
            let alive = authenticate(&mut conn, &settings, &token, t0 + Duration::seconds(s)).unwrap();
            assert!(alive.is_some(), "ended at {s} s, 50 s after a request");
        }
    }
}

on_both_backends! {
    fn an_idle_session_ends_within_seconds_of_the_limit(db: TestDb) {
        let mut conn = db.migrated();
        let settings = one_minute_settings(&db, &mut conn);
        let t0 = Utc::now().naive_utc();
        let at = |s: i64| t0 + Duration::seconds(s);
        // Active for five minutes (a request every 10 s), then idle: still alive
        // 53 s after the last request, at most 7 s short of the minute...
        let near = session_at(&db, &mut conn, &settings, t0);
        for s in (10..=300).step_by(10) {
            assert!(authenticate(&mut conn, &settings, &near, at(s)).unwrap().is_some(), "{s}");
        }
        assert!(authenticate(&mut conn, &settings, &near, at(300 + 53)).unwrap().is_some(), "53 s idle");
        // ...and ended once the minute has passed (a second session, same history).
        let idle = session_at(&db, &mut conn, &settings, t0);
        for s in (10..=300).step_by(10) {
            assert!(authenticate(&mut conn, &settings, &idle, at(s)).unwrap().is_some(), "{s}");
        }
        assert!(authenticate(&mut conn, &settings, &idle, at(300 + 61)).unwrap().is_none(), "61 s idle");
        assert!(authenticate(&mut conn, &settings, &idle, at(300 + 62)).unwrap().is_none(), "ended for good");
    }
}

on_both_backends! {
    async fn the_session_cookie_has_the_host_prefix(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        account(&db, &mut conn, "hanh", Role::SocialWorker);
        let app = init_service(app(state(&db))).await;
        let req = TestRequest::post()
            .uri("/api/v1/auth/login")
            .set_json(json!({"username": "hanh", "password": PASSWORD}));
        let res = call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), 200);
        let set_cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
        assert!(set_cookie.starts_with("__Host-binhan_session="), "{set_cookie}");
        for part in ["Secure", "Path=/", "HttpOnly", "SameSite=Strict"] {
            assert!(set_cookie.split("; ").any(|p| p == part), "{part} missing: {set_cookie}");
        }
        assert!(!set_cookie.to_ascii_lowercase().contains("domain="), "{set_cookie}");
        let token = set_cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_string();

        let me = |name: &str| {
            TestRequest::get().uri("/api/v1/me").insert_header(("cookie", format!("{name}={token}")))
        };
        assert_eq!(send(&app, me("__Host-binhan_session")).await.0, 200, "the prefixed cookie signs her in");
        assert_eq!(send(&app, me("binhan_session")).await.0, 401, "the unprefixed name is not read");

        let out = TestRequest::post().uri("/api/v1/auth/logout").insert_header(("cookie", format!("__Host-binhan_session={token}")));
        let res = call_service(&app, out.to_request()).await;
        assert_eq!(res.status(), 204);
        let cleared = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
        assert!(cleared.starts_with("__Host-binhan_session=;") && cleared.contains("Secure"), "{cleared}");
    }
}

#[test]
fn serve_on_a_public_address_refuses_to_start_without_a_public_origin() {
    let db = TestDb::sqlite();
    let mut cmd = binhan();
    cmd.env("BINHAN_DATABASE_URL", &db.url_text)
        .env("BINHAN_DATA_DIR", db.data_dir())
        .env_remove("BINHAN_PUBLIC_ORIGIN")
        .env("BINHAN_BIND", format!("0.0.0.0:{}", free_port()))
        .arg("serve");
    let out = run_within(cmd, StdDuration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
    assert!(!out.status.success(), "serve must refuse; stderr: {stderr}");
    assert!(stderr.contains("BINHAN_PUBLIC_ORIGIN"), "the message names the setting: {stderr}");
    assert!(stderr.contains("0.0.0.0"), "and the address: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");

    // The same check, as `serve` runs it: loopback needs no origin; a public
    // address with one is served; a malformed origin is refused by every command.
    let config = |pairs: &[(&str, &str)]| {
        let env: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        binhan::config::Config::from_sources(&env, None)
    };
    for loopback in ["127.0.0.1:8080", "[::1]:8080"] {
        assert!(config(&[("BINHAN_BIND", loopback)]).unwrap().check_serving().is_ok(), "{loopback}");
    }
    let public = config(&[("BINHAN_BIND", "0.0.0.0:8080")]).unwrap();
    assert_eq!(public.check_serving().unwrap_err().setting, "BINHAN_PUBLIC_ORIGIN");
    let named =
        config(&[("BINHAN_BIND", "0.0.0.0:8080"), ("BINHAN_PUBLIC_ORIGIN", "https://binhan.example.vn")]);
    assert!(named.unwrap().check_serving().is_ok());
    let malformed = config(&[("BINHAN_PUBLIC_ORIGIN", "binhan.example.vn/cases")]).unwrap_err();
    assert_eq!(malformed.setting, "BINHAN_PUBLIC_ORIGIN");
}

#[test]
fn request_paths_never_reach_the_log() {
    let db = TestDb::sqlite();
    let data = db.data_dir();
    let mut init = binhan();
    init.env("BINHAN_DATA_DIR", &data).arg("init");
    assert!(run_within(init, StdDuration::from_secs(60)).status.success());

    let port = free_port();
    let log_path = data.join("server.log");
    let mut server = binhan()
        .env("BINHAN_DATA_DIR", &data)
        .env("BINHAN_BIND", format!("127.0.0.1:{port}"))
        .env("BINHAN_LOG", "debug,actix_web=trace,actix_http=trace")
        .env("RUST_LOG", "trace")
        .env("BINHAN_LOG_FORMAT", "json")
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    wait_for_status(&mut server, port, "/readyz", 200, StdDuration::from_secs(30));
    // A body that is not JSON: actix logs "Failed to deserialize Json from
    // payload. Request path: …" at debug level.
    let broken = r#"{"username": "hanh.nguyen", "#;
    assert_eq!(http_post_json(port, "/api/v1/auth/login", broken, None).unwrap().0, 400);
    let wrong_type = r#"{"username": 7, "password": []}"#;
    assert_eq!(http_post_json(port, "/api/v1/auth/login", wrong_type, None).unwrap().0, 400);

    send_signal(&server, "TERM");
    assert!(wait_exit(&mut server, StdDuration::from_secs(15)).success());
    let logged = std::fs::read_to_string(&log_path).unwrap();
    assert!(logged.contains("/api/v1/auth/login"), "the requests were logged (by route): {logged}");
    assert!(!logged.contains("Request path"), "actix's path lines reach the log:\n{logged}");
    assert!(!logged.contains("Failed to deserialize Json"), "actix's debug lines reach the log:\n{logged}");
}

fn field_names(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

/// A worker of Thành Sen, an administrator and a supervisor, both with a second factor.
fn people(db: &TestDb) {
    let mut conn = db.migrated();
    load_units(&mut conn);
    account(db, &mut conn, "hanh", Role::SocialWorker);
    let admin = account(db, &mut conn, "quantri", Role::Admin);
    enrol_with_secret(&mut conn, &db.keys(), admin.id, SECRET, Utc::now().naive_utc()).unwrap();
}

on_both_backends! {
    async fn a_json_number_out_of_range_names_its_field(db: TestDb) {
        people(&db);
        let house = {
            let mut conn = db.conn();
            safe_house(&db, &mut conn, "Nhà tạm lánh Thành Sen", 4)
        };
        let app = init_service(app(state(&db))).await;
        let admin = sign_in(&app, "quantri", true).await;
        let edit = |capacity: Value, version: Value| json!({
            "version": version, "name": "Nhà tạm lánh Thành Sen", "commune_code": "18073",
            "kind": "trusted_address", "capacity": capacity
        });
        let (status, problem) = send(&app, patch(&format!("/safe-houses/{house}"), &admin, edit(json!(99_999_999_999_i64), json!(1)))).await;
        assert_eq!((status, field_names(&problem)), (422, vec!["capacity".to_string()]), "{problem}");
        assert_eq!(problem["status"], 422);
        let (status, problem) = send(&app, patch(&format!("/safe-houses/{house}"), &admin, edit(json!(3), json!(1_u64 << 40)))).await;
        assert_eq!((status, field_names(&problem)), (422, vec!["version".to_string()]), "{problem}");

        let hanh = sign_in(&app, "hanh", false).await;
        let (status, created) = send(&app, post("/cases", &hanh, crate::support::intake::intake_json("Nguyễn Thị Hoa", "18073"))).await;
        assert_eq!(status, 201, "{created}");
        let case = format!("/cases/{}", created["id"].as_str().unwrap());
        for version in [json!(-1e30), json!(1_u64 << 40), json!(2_147_483_648_u64)] {
            let (status, problem) = send(&app, patch(&case, &hanh, json!({"version": version, "phone": "0912 000 222"}))).await;
            assert_eq!((status, field_names(&problem)), (422, vec!["version".to_string()]), "{version}: {problem}");
            assert!(!problem.to_string().contains("0912"), "the problem repeats nothing sent");
        }
        let (status, problem) = send(&app, patch(&case, &hanh, json!({"version": 1.5, "phone": "0912 000 222"}))).await;
        assert_eq!((status, field_names(&problem)), (400, vec!["version".to_string()]), "not a whole number: {problem}");
        let (status, _) = send(&app, patch(&case, &hanh, json!({"version": 1, "phone": "0912 000 222"}))).await;
        assert_eq!(status, 200, "a version in range is read as before");
    }
}

/// A GET of `path` over plain HTTP: status, raw head and body.
fn raw_get(port: u16, path: &str, cookie: Option<&str>) -> (u16, String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(StdDuration::from_secs(10))).unwrap();
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{cookie}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).to_string();
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (status, head.to_ascii_lowercase(), body.to_string())
}

on_both_backends! {
    fn an_80_kb_query_string_answers_problem_json(db: TestDb) {
        let mut init = binhan();
        init.env("BINHAN_DATABASE_URL", &db.url_text).env("BINHAN_DATA_DIR", db.data_dir()).arg("init");
        assert!(run_within(init, StdDuration::from_secs(60)).status.success());
        {
            let mut conn = db.conn();
            load_units(&mut conn);
            account(&db, &mut conn, "hanh", Role::SocialWorker);
        }
        let server = crate::support::process::Server::start(&db);
        let cookie = crate::support::process::sign_in_over_http(server.port, "hanh");
        // 80 KB: past what a URI can hold (64 KB), refused before actix's parser;
        // 20 KB: past the app's own limit.
        for size in [80 * 1024, 20 * 1024] {
            let path = format!("/api/v1/cases?x={}", "a".repeat(size));
            for (who, cookie) in [("signed in", Some(cookie.as_str())), ("signed out", None)] {
                let (status, head, body) = raw_get(server.port, &path, cookie);
                assert_eq!(status, 414, "{size} B, {who}: {head}\n{body}");
                assert!(head.contains("content-type: application/problem+json"), "{size} B, {who}: {head}");
                let problem: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                assert_eq!((problem["status"].as_u64(), problem["code"].as_str()), (Some(414), Some("uri_too_long")), "{size} B, {who}: {body}");
                assert!(!body.contains("aaaa"), "the query is not repeated");
            }
        }
        let (status, _, _) = raw_get(server.port, "/api/v1/cases", Some(&cookie));
        assert_eq!(status, 200, "the server still serves");
        server.stop();
    }
}

/// An intake whose survivor was born on `birth` and whose incident happened on `occurred`.
fn intake_on(birth: &str, occurred: &str) -> Value {
    let mut body = crate::support::intake::intake_json("Nguyễn Thị Hoa", "18073");
    body["survivor"]["birth_date"] = json!(birth);
    body["survivor"].as_object_mut().unwrap().remove("age_group");
    body["incident"]["occurred_on"] = json!(occurred);
    body
}

on_both_backends! {
    async fn an_incident_before_the_birth_or_over_100_years_ago_is_refused(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let today = Utc::now().date_naive();
        let century = (today - Duration::days(365 * 100 + 30)).to_string();
        for (birth, occurred, why) in [
            ("1991-04-12", "1990-06-01", "before her birth"),
            ("1920-01-01", century.as_str(), "over 100 years ago"),
        ] {
            let (status, problem) = send(&app, post("/cases", &hanh, intake_on(birth, occurred))).await;
            assert_eq!(status, 422, "{why}: {problem}");
            assert_eq!(field_names(&problem), ["incident.occurred_on"], "{why}: {problem}");
        }
        let (status, created) = send(&app, post("/cases", &hanh, intake_on("1991-04-12", "1991-04-12"))).await;
        assert_eq!(status, 201, "on the day of her birth: {created}");

        // A correction of the date is held to the same rules.
        let case = format!("/cases/{}", created["id"].as_str().unwrap());
        let edit = json!({"version": 1, "incident": {"occurred_on": "1989-12-31"}});
        let (status, problem) = send(&app, patch(&case, &hanh, edit)).await;
        assert_eq!((status, field_names(&problem)), (422, vec!["incident.occurred_on".to_string()]), "{problem}");

        // The intake page says so in Vietnamese, on the field.
        let mut browser = crate::case_pages::signed_in(&app, "hanh").await;
        for (birth, occurred, message) in [
            ("1991-04-12", "1990-06-01", "Ngày xảy ra trước ngày sinh của người bị bạo lực: hãy kiểm tra lại."),
            ("", century.as_str(), "Ngày xảy ra cách đây hơn 100 năm: hãy kiểm tra lại."),
        ] {
            let mut fields = crate::case_pages::intake("Nguyễn Thị Hoa", "18073");
            fields.push(("survivor.birth_date", birth.into()));
            fields.push(("incident.occurred_on", occurred.into()));
            let page = crate::case_pages::send_intake(&app, &mut browser, &fields).await;
            assert_eq!(page.status, 422, "{}", page.html);
            let error = format!(r#"<p class="field-error" id="incident-occurred_on-error">{message}</p>"#);
            assert!(page.html.contains(&error), "{message}: {}", page.html);
        }
    }
}

on_both_backends! {
    async fn a_search_term_over_200_characters_is_refused(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let long = "a".repeat(201);
        for body in [json!({"name": long}), json!({"phone": long}), json!({"name": "Hoa", "phone": long})] {
            let (status, problem) = send(&app, post("/cases/search", &hanh, body.clone())).await;
            assert_eq!(status, 422, "{body}: {problem}");
            let expected = if body.get("phone").is_some() { "phone" } else { "name" };
            assert_eq!(field_names(&problem), [expected], "{problem}");
            assert!(!problem.to_string().contains("aaaa"), "the term is not repeated");
        }
        let (status, _) = send(&app, post("/cases/search", &hanh, json!({"name": "á".repeat(200)}))).await;
        assert_eq!(status, 200, "200 characters are searched");

        let mut browser = crate::case_pages::signed_in(&app, "hanh").await;
        let token = browser.send(&app, browser.get("/cases")).await.field("csrf_token");
        let page = browser.send(&app, browser.post("/cases/search", &[("csrf_token", &token), ("name", &long), ("phone", "")])).await;
        assert_eq!(page.status, 422, "{}", page.html);
        assert!(page.html.contains("Quá dài: tối đa 200 ký tự."), "{}", page.html);
        assert!(page.html.contains(r#"aria-invalid="true""#), "the field is marked: {}", page.html);
    }
}
