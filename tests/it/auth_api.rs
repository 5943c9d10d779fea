//! Signing in through the JSON API (issue 4; ASVS V6 authentication, V7 sessions).

use actix_web::cookie::Cookie;
use actix_web::dev::ServiceResponse;
use actix_web::test::{TestRequest, call_service, init_service, read_body_json};
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::accounts;
use binhan::services::auth::{current_code, enrol_with_secret};
use chrono::Utc;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::app::{PASSWORD, account, state, state_with};

const SECRET: &[u8; 20] = b"twenty bytes secret!";

fn session_cookie<B>(res: &ServiceResponse<B>) -> Cookie<'static> {
    res.response()
        .cookies()
        .find(|c| c.name() == "__Host-binhan_session")
        .expect("session cookie")
        .into_owned()
}

fn login(username: &str, password: &str, code: Option<&str>) -> actix_web::test::TestRequest {
    TestRequest::post()
        .uri("/api/v1/auth/login")
        .set_json(json!({ "username": username, "password": password, "totp": code }))
}

fn now_code() -> String {
    current_code(SECRET, Utc::now().naive_utc()).unwrap()
}

on_both_backends! {
    // ASVS V6.1, V7.2: each role signs in, sees itself, signs out.
    async fn each_role_signs_in_sees_itself_and_signs_out(db: TestDb) {
        let mut conn = db.migrated();
        crate::support::db::load_units(&mut conn);
        for (name, role) in [
            ("hanh", Role::SocialWorker),
            ("dung", Role::Supervisor),
            ("mai", Role::SafeHouseStaff),
            ("thu", Role::CommitteeMember),
            ("quantri", Role::Admin),
        ] {
            let user = account(&db, &mut conn, name, role);
            if role.requires_second_factor() {
                enrol_with_secret(&mut conn, &db.keys(), user.id, SECRET, Utc::now().naive_utc()).unwrap();
            }
        }
        let app = init_service(app(state(&db))).await;
        for (name, role) in [("hanh", "social_worker"), ("dung", "supervisor"), ("mai", "safe_house_staff"), ("thu", "committee_member"), ("quantri", "admin")] {
            let code = (role != "social_worker" && role != "safe_house_staff").then(now_code);
            let res = call_service(&app, login(name, PASSWORD, code.as_deref()).to_request()).await;
            assert_eq!(res.status(), 200, "{name}");
            let cookie = session_cookie(&res);
            assert!(cookie.http_only().unwrap_or(false) && cookie.secure().unwrap_or(false));
            assert_eq!(cookie.same_site(), Some(actix_web::cookie::SameSite::Strict));

            let res = call_service(&app, TestRequest::get().uri("/api/v1/me").cookie(cookie.clone()).to_request()).await;
            assert_eq!(res.status(), 200);
            let me: Value = read_body_json(res).await;
            assert_eq!((me["username"].as_str(), me["role"].as_str(), me["stage"].as_str()), (Some(name), Some(role), Some("full")));

            let res = call_service(&app, TestRequest::post().uri("/api/v1/auth/logout").cookie(cookie.clone()).to_request()).await;
            assert_eq!(res.status(), 204);
            let res = call_service(&app, TestRequest::get().uri("/api/v1/me").cookie(cookie).to_request()).await;
            assert_eq!(res.status(), 401, "the cookie of a signed-out session is dead");
        }
    }
}

on_both_backends! {
    // ASVS V6.3.1: five wrong passwords lock the account; a locked account answers
    // exactly like a wrong password.
    async fn five_wrong_passwords_lock_the_account_and_the_answer_stays_the_same(db: TestDb) {
        let mut conn = db.migrated();
        crate::support::db::load_units(&mut conn);
        account(&db, &mut conn, "hanh", Role::SocialWorker);
        let app = init_service(app(state(&db))).await;
        let mut bodies = Vec::new();
        for _ in 0..5 {
            let res = call_service(&app, login("hanh", "not the password at all", None).to_request()).await;
            assert_eq!(res.status(), 401);
            bodies.push(read_body_json::<Value, _>(res).await);
        }
        let res = call_service(&app, login("hanh", PASSWORD, None).to_request()).await;
        assert_eq!(res.status(), 401, "locked, even with the right password");
        let locked: Value = read_body_json(res).await;
        assert_eq!(locked, bodies[0]);
        let res = call_service(&app, login("nobody", PASSWORD, None).to_request()).await;
        assert_eq!(read_body_json::<Value, _>(res).await, bodies[0], "an unknown user answers the same");
        let list = accounts::list(&mut conn, Utc::now().naive_utc()).unwrap();
        assert_eq!(list[0].state, accounts::AccountState::Locked);
    }
}

on_both_backends! {
    async fn the_lock_lasts_the_configured_time(db: TestDb) {
        let mut conn = db.migrated();
        crate::support::db::load_units(&mut conn);
        account(&db, &mut conn, "hanh", Role::SocialWorker);
        let state = state_with(&db, |c| c.login_max_failures = 2);
        let settings = binhan::services::auth::AuthSettings::from_config(&state.config);
        let keys = db.keys();
        let t0 = Utc::now().naive_utc();
        let attempt = |conn: &mut _, password, at| {
            binhan::services::auth::login(conn, &keys, &settings, &binhan::audit::Actor::command("test"), "hanh", password, None, at).map(|_| ())
        };
        for _ in 0..2 {
            assert!(attempt(&mut conn, "wrong password here", t0).is_err());
        }
        assert!(attempt(&mut conn, PASSWORD, t0 + chrono::Duration::minutes(14)).is_err(), "still locked");
        assert!(attempt(&mut conn, PASSWORD, t0 + chrono::Duration::minutes(16)).is_ok(), "unlocked after 15 minutes");
    }
}

#[test]
fn an_account_lock_is_logged_without_the_username() {
    use std::sync::{Arc, Mutex};
    let db = crate::support::db::TestDb::sqlite();
    let mut conn = db.migrated();
    crate::support::db::load_units(&mut conn);
    let user = account(&db, &mut conn, "hanh", Role::SocialWorker);
    let settings = binhan::services::auth::AuthSettings::from_config(&crate::support::app::config(&db));
    let logs = Arc::new(Mutex::new(Vec::<u8>::new()));
    let writer = {
        let logs = logs.clone();
        move || LogSink(logs.clone())
    };
    let subscriber = tracing_subscriber::fmt().with_writer(writer).with_ansi(false).finish();
    tracing::subscriber::with_default(subscriber, || {
        for _ in 0..5 {
            let _ = binhan::services::auth::login(
                &mut conn,
                &db.keys(),
                &settings,
                &binhan::audit::Actor::command("test"),
                "hanh",
                "wrong password 123",
                None,
                Utc::now().naive_utc(),
            );
        }
    });
    let text = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(text.contains("account locked after repeated failed sign-ins"), "{text}");
    assert!(text.contains(&user.id.to_string()), "the log names the account by id: {text}");
    assert!(!text.contains("hanh"), "never by name: {text}");
}

struct LogSink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

on_both_backends! {
    // ASVS V7.4.1, V7.4.2: a stolen cookie dies with the session.
    async fn a_stolen_cookie_stops_working_after_password_change_and_after_disable(db: TestDb) {
        let mut conn = db.migrated();
        crate::support::db::load_units(&mut conn);
        account(&db, &mut conn, "hanh", Role::SocialWorker);
        let app = init_service(app(state(&db))).await;
        let me = |cookie: Cookie<'static>| TestRequest::get().uri("/api/v1/me").cookie(cookie).to_request();

        let stolen = session_cookie(&call_service(&app, login("hanh", PASSWORD, None).to_request()).await);
        let mine = session_cookie(&call_service(&app, login("hanh", PASSWORD, None).to_request()).await);
        let res = call_service(&app, TestRequest::post().uri("/api/v1/me/password").cookie(mine)
            .set_json(json!({ "current_password": PASSWORD, "new_password": "mây trắng bay qua đỉnh núi" })).to_request()).await;
        assert_eq!(res.status(), 204);
        assert_eq!(call_service(&app, me(stolen)).await.status(), 401, "after the password change");

        let stolen = session_cookie(&call_service(&app, login("hanh", "mây trắng bay qua đỉnh núi", None).to_request()).await);
        assert_eq!(call_service(&app, me(stolen.clone())).await.status(), 200);
        accounts::disable(&mut conn, &binhan::audit::Actor::command("test"), "hanh", Utc::now().naive_utc()).unwrap();
        assert_eq!(call_service(&app, me(stolen)).await.status(), 401, "after the account is disabled");
        let res = call_service(&app, login("hanh", "mây trắng bay qua đỉnh núi", None).to_request()).await;
        assert_eq!(res.status(), 401, "a disabled account cannot sign in");
    }
}

on_both_backends! {
    fn a_session_ends_after_the_idle_time_and_after_its_lifetime(db: TestDb) {
        use binhan::services::auth::{AuthSettings, authenticate, login};
        let mut conn = db.migrated();
        crate::support::db::load_units(&mut conn);
        account(&db, &mut conn, "hanh", Role::SocialWorker);
        let settings = AuthSettings::from_config(&crate::support::app::config(&db));
        let t0 = Utc::now().naive_utc();
        let minutes = |m| t0 + chrono::Duration::minutes(m);

        let idle = login(&mut conn, &db.keys(), &settings, &binhan::audit::Actor::command("test"), "hanh", PASSWORD, None, t0).unwrap();
        assert!(authenticate(&mut conn, &settings, &idle.token, minutes(14)).unwrap().is_some());
        assert!(authenticate(&mut conn, &settings, &idle.token, minutes(14 + 16)).unwrap().is_none(), "16 idle minutes");
        assert!(authenticate(&mut conn, &settings, &idle.token, minutes(14)).unwrap().is_none(), "ended for good");

        let busy = login(&mut conn, &db.keys(), &settings, &binhan::audit::Actor::command("test"), "hanh", PASSWORD, None, t0).unwrap();
        for m in (10..600).step_by(10) {
            assert!(authenticate(&mut conn, &settings, &busy.token, minutes(m)).unwrap().is_some(), "{m}");
        }
        assert!(authenticate(&mut conn, &settings, &busy.token, minutes(601)).unwrap().is_none(), "10 hours at most");
    }
}

on_both_backends! {
    // ASVS V6.5: the second factor is enforced for the roles that need it, and a
    // code is accepted once.
    async fn a_supervisor_needs_a_fresh_code(db: TestDb) {
        let mut conn = db.migrated();
        crate::support::db::load_units(&mut conn);
        let dung = account(&db, &mut conn, "dung", Role::Supervisor);
        enrol_with_secret(&mut conn, &db.keys(), dung.id, SECRET, Utc::now().naive_utc()).unwrap();
        let app = init_service(app(state(&db))).await;

        let res = call_service(&app, login("dung", PASSWORD, None).to_request()).await;
        assert_eq!(res.status(), 401);
        assert_eq!(read_body_json::<Value, _>(res).await["code"], "second_factor_required");
        let res = call_service(&app, login("dung", PASSWORD, Some("000000")).to_request()).await;
        assert_eq!(res.status(), 401);
        let code = now_code();
        assert_eq!(call_service(&app, login("dung", PASSWORD, Some(&code)).to_request()).await.status(), 200);
        let replay = call_service(&app, login("dung", PASSWORD, Some(&code)).to_request()).await;
        assert_eq!(replay.status(), 401, "a replayed code is refused");
        assert_eq!(read_body_json::<Value, _>(replay).await["code"], "invalid_credentials");
    }
}

on_both_backends! {
    async fn a_new_supervisor_sets_up_the_second_factor_before_anything_else(db: TestDb) {
        let mut conn = db.migrated();
        crate::support::db::load_units(&mut conn);
        account(&db, &mut conn, "dung", Role::Supervisor);
        let app = init_service(app(state(&db))).await;
        let res = call_service(&app, login("dung", PASSWORD, None).to_request()).await;
        assert_eq!(res.status(), 200);
        let cookie = session_cookie(&res);
        assert_eq!(read_body_json::<Value, _>(res).await["stage"], "enrol_second_factor");
        let unlock = TestRequest::post().uri("/api/v1/auth/unlock").cookie(cookie.clone()).set_json(json!({"password": PASSWORD}));
        assert_eq!(call_service(&app, unlock.to_request()).await.status(), 403, "nothing else until it is set up");

        let res = call_service(&app, TestRequest::post().uri("/api/v1/me/second-factor").cookie(cookie.clone()).to_request()).await;
        assert_eq!(res.status(), 200);
        let setup: Value = read_body_json(res).await;
        assert!(setup["otpauth_uri"].as_str().unwrap().starts_with("otpauth://totp/B%C3%ACnh%20An:dung?secret="));
        let secret = base32_decode(setup["secret"].as_str().unwrap());
        let code = current_code(&secret, Utc::now().naive_utc()).unwrap();
        let res = call_service(&app, TestRequest::post().uri("/api/v1/me/second-factor/confirm").cookie(cookie.clone()).set_json(json!({"code": code})).to_request()).await;
        assert_eq!(res.status(), 200);
        let codes: Value = read_body_json(res).await;
        let codes = codes["recovery_codes"].as_array().unwrap();
        assert_eq!(codes.len(), 10);
        let unlock = TestRequest::post().uri("/api/v1/auth/unlock").cookie(cookie).set_json(json!({"password": PASSWORD}));
        assert_eq!(call_service(&app, unlock.to_request()).await.status(), 204, "the session goes on in full");

        let recovery = codes[0].as_str().unwrap();
        assert_eq!(call_service(&app, login("dung", PASSWORD, Some(recovery)).to_request()).await.status(), 200);
        assert_eq!(call_service(&app, login("dung", PASSWORD, Some(recovery)).to_request()).await.status(), 401, "a recovery code works once");
    }
}

pub(crate) fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        bits = (bits << 5) | ALPHABET.iter().position(|a| *a == c).unwrap() as u64;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

on_both_backends! {
    // ASVS V3.5.3 (cross-site request forgery): an API call carrying another site's
    // Origin is refused before anything happens.
    async fn an_api_call_from_another_origin_is_refused(db: TestDb) {
        let mut conn = db.migrated();
        crate::support::db::load_units(&mut conn);
        account(&db, &mut conn, "hanh", Role::SocialWorker);
        let app = init_service(app(state(&db))).await;
        let cookie = session_cookie(&call_service(&app, login("hanh", PASSWORD, None).to_request()).await);
        let forged = TestRequest::post().uri("/api/v1/auth/logout").cookie(cookie.clone()).insert_header(("Origin", "https://evil.example"));
        assert_eq!(call_service(&app, forged.to_request()).await.status(), 403);
        let cross = TestRequest::post().uri("/api/v1/auth/logout").cookie(cookie.clone()).insert_header(("Sec-Fetch-Site", "cross-site"));
        assert_eq!(call_service(&app, cross.to_request()).await.status(), 403);
        let res = call_service(&app, TestRequest::get().uri("/api/v1/me").cookie(cookie.clone()).to_request()).await;
        assert_eq!(res.status(), 200, "the forged logouts did nothing");
        let same = TestRequest::post().uri("/api/v1/auth/logout").cookie(cookie).insert_header(("Origin", "http://localhost:8080"));
        assert_eq!(call_service(&app, same.to_request()).await.status(), 204, "our own origin is fine");
    }
}

#[actix_web::test]
async fn sign_in_attempts_from_one_address_are_limited() {
    let db = crate::support::db::TestDb::sqlite();
    db.migrated();
    let app = init_service(app(state_with(&db, |c| c.login_attempts_per_minute = 3))).await;
    let from =
        |addr: &str| login("nobody", "whatever password", None).peer_addr(addr.parse().unwrap()).to_request();
    for _ in 0..3 {
        assert_eq!(call_service(&app, from("10.0.0.7:5000")).await.status(), 401);
    }
    assert_eq!(call_service(&app, from("10.0.0.7:5001")).await.status(), 429);
    assert_eq!(
        call_service(&app, from("10.0.0.8:5000")).await.status(),
        401,
        "another address is not held back"
    );
}

on_both_backends! {
    // The review's H1: a session must not be able to replace (and so switch off) a
    // second factor in force; an administrator resets it instead.
    async fn a_second_factor_in_force_cannot_be_replaced_from_a_session(db: TestDb) {
        let mut conn = db.migrated();
        crate::support::db::load_units(&mut conn);
        let dung = account(&db, &mut conn, "dung", Role::Supervisor);
        enrol_with_secret(&mut conn, &db.keys(), dung.id, SECRET, Utc::now().naive_utc()).unwrap();
        let app = init_service(app(state(&db))).await;
        let cookie = session_cookie(&call_service(&app, login("dung", PASSWORD, Some(&now_code())).to_request()).await);
        let res = call_service(&app, TestRequest::post().uri("/api/v1/me/second-factor").cookie(cookie).to_request()).await;
        assert_eq!(res.status(), 409);
        let res = call_service(&app, login("dung", PASSWORD, None).to_request()).await;
        assert_eq!(read_body_json::<Value, _>(res).await["code"], "second_factor_required", "still in force");

        accounts::reset_second_factor(&mut conn, &binhan::audit::Actor::command("test"), "dung", Utc::now().naive_utc()).unwrap();
        let res = call_service(&app, login("dung", PASSWORD, None).to_request()).await;
        assert_eq!(res.status(), 200);
        assert_eq!(read_body_json::<Value, _>(res).await["stage"], "enrol_second_factor", "after a reset she sets up a new one");
    }
}

mod client_address {
    use actix_web::test::TestRequest;
    use binhan::http::session::client_addr;

    fn from(peer: &str, forwarded: &[&str]) -> Option<std::net::IpAddr> {
        let mut req = TestRequest::get().peer_addr(peer.parse().unwrap());
        for line in forwarded {
            req = req.append_header(("X-Forwarded-For", *line));
        }
        client_addr(&req.to_http_request(), &["10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap()])
    }

    #[test]
    fn forwarded_for_from_an_untrusted_peer_is_ignored() {
        assert_eq!(from("203.0.113.9:4000", &["198.51.100.1"]), Some("203.0.113.9".parse().unwrap()));
    }

    #[test]
    fn behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client() {
        assert_eq!(
            from("10.0.0.1:4000", &["198.51.100.7, 203.0.113.5, 10.0.0.2"]),
            Some("203.0.113.5".parse().unwrap())
        );
    }

    #[test]
    fn a_forged_line_before_the_proxys_own_line_does_not_choose_the_client() {
        // The client sent its own header; the proxy appended a separate line.
        assert_eq!(from("10.0.0.1:4000", &["1.2.3.4", "203.0.113.5"]), Some("203.0.113.5".parse().unwrap()));
    }

    #[test]
    fn a_hop_that_is_not_an_address_stops_the_trust() {
        assert_eq!(from("10.0.0.1:4000", &["198.51.100.7, garbage"]), Some("10.0.0.1".parse().unwrap()));
    }
}

on_both_backends! {
    // A locked screen holds on the server: the session reaches only unlock and
    // sign-out until the password is given.
    async fn a_locked_session_reaches_nothing_but_unlock_and_sign_out(db: TestDb) {
        let mut conn = db.migrated();
        crate::support::db::load_units(&mut conn);
        account(&db, &mut conn, "hanh", Role::SocialWorker);
        let app = init_service(app(state(&db))).await;
        let cookie = session_cookie(&call_service(&app, login("hanh", PASSWORD, None).to_request()).await);
        let change = || {
            TestRequest::post()
                .uri("/api/v1/me/password")
                .cookie(cookie.clone())
                .set_json(json!({"current_password": "not it", "new_password": "mây trắng bay qua đỉnh núi"}))
                .to_request()
        };
        assert_eq!(call_service(&app, change()).await.status(), 422, "unlocked: the route answers");
        let lock = TestRequest::post().uri("/api/v1/auth/lock").cookie(cookie.clone()).to_request();
        assert_eq!(call_service(&app, lock).await.status(), 204);
        let res = call_service(&app, change()).await;
        assert_eq!(res.status(), 423);
        assert_eq!(read_body_json::<Value, _>(res).await["code"], "screen_locked");
        let page = TestRequest::get().uri("/").cookie(cookie.clone()).insert_header(("Accept", "text/html")).to_request();
        let body = actix_web::test::read_body(call_service(&app, page).await).await;
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("Màn hình đang khóa") && !html.contains("Người dùng hanh"), "the page shows only the lock");
        let wrong = TestRequest::post().uri("/api/v1/auth/unlock").cookie(cookie.clone()).set_json(json!({"password": "not it"}));
        assert_eq!(call_service(&app, wrong.to_request()).await.status(), 401);
        assert_eq!(call_service(&app, change()).await.status(), 423, "still locked after a wrong password");
        let right = TestRequest::post().uri("/api/v1/auth/unlock").cookie(cookie.clone()).set_json(json!({"password": PASSWORD}));
        assert_eq!(call_service(&app, right.to_request()).await.status(), 204);
        assert_eq!(call_service(&app, change()).await.status(), 422, "unlocked again");
    }
}
