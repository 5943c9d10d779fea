//! The tamper-evident audit log (issue 5, acceptance 4 and 5; ASVS V16).

use std::time::Duration;

use actix_web::test::{TestRequest, call_service, init_service, read_body_json};
use binhan::audit::{Actor, Event, Outcome};
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::store::audit::{append, last_actions, verify};
use chrono::Utc;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::app::{PASSWORD, account, state};
use crate::support::db::{TestDb, load_units};
use crate::support::process::{binhan, run_within};

fn ten_events(conn: &mut binhan::store::DbConn) {
    let actor = Actor::command("test");
    for i in 0..10 {
        let event = Event::new(&actor, "case.read", Outcome::Success, Utc::now().naive_utc())
            .on("case", format!("c-{i}"));
        append(conn, &event).unwrap();
    }
}

fn verify_cli(db: &TestDb) -> (bool, String, String) {
    let mut cmd = binhan();
    cmd.env("BINHAN_DATABASE_URL", &db.url_text).args(["audit", "verify"]);
    let out = run_within(cmd, Duration::from_secs(60));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn sql(conn: &mut binhan::store::DbConn, statement: &str) {
    diesel::sql_query(statement).execute(conn).unwrap();
}

on_both_backends! {
    fn an_intact_log_verifies_and_an_edited_row_is_named(db: TestDb) {
        let mut conn = db.migrated();
        ten_events(&mut conn);
        let (ok, out, _) = verify_cli(&db);
        assert!(ok);
        assert!(out.contains("intact: 10 events"), "{out}");
        sql(&mut conn, "UPDATE audit_events SET resource_id = 'c-99' WHERE seq = 4");
        let (ok, _, err) = verify_cli(&db);
        assert!(!ok);
        assert_eq!(err.trim(), "binhan: the audit log is broken at event 4: its contents do not match its hash (the row was edited)");
    }
}

on_both_backends! {
    fn a_deleted_row_is_named(db: TestDb) {
        let mut conn = db.migrated();
        ten_events(&mut conn);
        sql(&mut conn, "DELETE FROM audit_events WHERE seq = 6");
        let err = verify(&mut conn).unwrap_err().to_string();
        assert_eq!(err, "event 6 is missing: the sequence jumps from 5 to 7");
    }
}

on_both_backends! {
    fn reordered_rows_are_found_at_the_first_moved_row(db: TestDb) {
        let mut conn = db.migrated();
        ten_events(&mut conn);
        // Swap the contents of events 3 and 7, keeping their numbers.
        sql(&mut conn, "UPDATE audit_events SET seq = -3 WHERE seq = 3");
        sql(&mut conn, "UPDATE audit_events SET seq = 3 WHERE seq = 7");
        sql(&mut conn, "UPDATE audit_events SET seq = 7 WHERE seq = -3");
        let err = verify(&mut conn).unwrap_err().to_string();
        assert!(err.starts_with("event 3:"), "{err}");
    }
}

on_both_backends! {
    fn removing_the_last_rows_is_found_against_the_head(db: TestDb) {
        let mut conn = db.migrated();
        ten_events(&mut conn);
        sql(&mut conn, "DELETE FROM audit_events WHERE seq > 8");
        let err = verify(&mut conn).unwrap_err().to_string();
        assert_eq!(err, "the log ends at event 8 but its head says 10 (events were removed from the end)");
    }
}

on_both_backends! {
    fn eight_threads_appending_a_thousand_events_leave_an_unbroken_chain(db: TestDb) {
        db.migrated();
        let pool = db.pool();
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let pool = pool.clone();
                std::thread::spawn(move || {
                    let actor = Actor::command("load");
                    for i in 0..125 {
                        let mut conn = pool.get().unwrap();
                        let event = Event::new(&actor, "case.read", Outcome::Success, Utc::now().naive_utc())
                            .on("case", format!("t{t}-{i}"));
                        conn.transaction(|conn| append(conn, &event)).unwrap();
                    }
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        let mut conn = db.conn();
        assert_eq!(verify(&mut conn).unwrap(), 1000);
    }
}

on_both_backends! {
    async fn an_administrator_verifies_the_log_through_the_api_and_others_are_refused(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let admin = account(&db, &mut conn, "quantri", Role::Admin);
        binhan::services::auth::enrol_with_secret(&mut conn, &db.keys(), admin.id, b"twenty bytes secret!", Utc::now().naive_utc()).unwrap();
        account(&db, &mut conn, "hanh", Role::SocialWorker);
        let app = init_service(app(state(&db))).await;
        let login = |user: &str, code: Option<String>| {
            TestRequest::post().uri("/api/v1/auth/login").set_json(json!({"username": user, "password": PASSWORD, "totp": code})).to_request()
        };
        let code = binhan::services::auth::current_code(b"twenty bytes secret!", Utc::now().naive_utc()).unwrap();
        let res = call_service(&app, login("quantri", Some(code))).await;
        let admin_cookie = res.response().cookies().next().unwrap().into_owned();
        let res = call_service(&app, login("hanh", None)).await;
        let worker_cookie = res.response().cookies().next().unwrap().into_owned();

        let res = call_service(&app, TestRequest::get().uri("/api/v1/audit/verify").cookie(admin_cookie).to_request()).await;
        assert_eq!(res.status(), 200);
        let body: Value = read_body_json(res).await;
        assert_eq!(body["intact"], true);

        let res = call_service(&app, TestRequest::get().uri("/api/v1/audit/verify").cookie(worker_cookie).to_request()).await;
        assert_eq!(res.status(), 403);
        let last = last_actions(&mut conn, 1).unwrap();
        assert_eq!(last, [("audit.verify".to_string(), "denied".to_string())], "the refusal is an audit event");
    }
}

on_both_backends! {
    async fn sign_ins_are_audit_events_that_name_no_one(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        account(&db, &mut conn, "hanh", Role::SocialWorker);
        let app = init_service(app(state(&db))).await;
        for password in ["wrong password here", PASSWORD] {
            let req = TestRequest::post().uri("/api/v1/auth/login").set_json(json!({"username": "hanh", "password": password}));
            call_service(&app, req.to_request()).await;
        }
        let req = TestRequest::post().uri("/api/v1/auth/login").set_json(json!({"username": "nobody.here", "password": PASSWORD}));
        call_service(&app, req.to_request()).await;
        let last = last_actions(&mut conn, 3).unwrap();
        let outcomes: Vec<_> = last.iter().map(|(a, o)| format!("{a}:{o}")).collect();
        assert_eq!(outcomes, ["auth.login:failure", "auth.login:success", "auth.login:failure"]);
        #[derive(QueryableByName)]
        struct Text {
            #[diesel(sql_type = diesel::sql_types::Text)]
            text: String,
        }
        let rows: Vec<Text> = diesel::sql_query(
            "SELECT COALESCE(actor_id, '') || '|' || action || '|' || COALESCE(resource_id, '') || '|' || COALESCE(reason, '') || '|' || COALESCE(request_id, '') AS text FROM audit_events",
        )
        .load(&mut conn)
        .unwrap();
        let all: String = rows.into_iter().map(|r| r.text).collect::<Vec<_>>().join("\n");
        assert!(!all.contains("hanh") && !all.contains("nobody"), "usernames never reach the audit log:\n{all}");
        assert!(all.contains("unknown_account") && all.contains("wrong_password"));
    }
}

on_both_backends! {
    async fn an_event_records_the_client_address_of_its_request(db: TestDb) {
        let mut conn = db.migrated();
        let app = init_service(app(state(&db))).await;
        let req = TestRequest::post()
            .uri("/api/v1/auth/login")
            .peer_addr("203.0.113.77:5000".parse().unwrap())
            .set_json(json!({"username": "nobody.here", "password": PASSWORD}));
        call_service(&app, req.to_request()).await;
        #[derive(QueryableByName)]
        struct Addr {
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
            client_addr: Option<String>,
        }
        let last: Addr = diesel::sql_query("SELECT client_addr FROM audit_events ORDER BY seq DESC LIMIT 1")
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(last.client_addr.as_deref(), Some("203.0.113.77"));
        assert!(verify(&mut conn).is_ok(), "the chain covers the address");
    }
}
