//! No personal data or secret in any log line: real flows through the real server,
//! then a search of everything it logged for the names, usernames, passwords and
//! codes those flows used (the rule that is never bent; ASVS V16.2.5).

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use crate::support::db::TestDb;
use crate::support::process::{
    binhan, free_port, http_get, http_post_json, http_request, run_within, send_signal, wait_exit,
    wait_for_status,
};

#[test]
fn the_server_logs_no_name_username_password_or_token_of_the_flows_it_served() {
    let db = TestDb::sqlite();
    let data = db.data_dir();
    let mut init = binhan();
    init.env("BINHAN_DATA_DIR", &data).arg("init");
    assert!(run_within(init, Duration::from_secs(60)).status.success());

    let password = "sông Lam nước chảy hiền hòa";
    let mut add = binhan()
        .env("BINHAN_DATA_DIR", &data)
        .args([
            "user",
            "add",
            "hanh.nguyen",
            "--name",
            "Nguyễn Thị Hạnh",
            "--role",
            "social_worker",
            "--commune",
            "18073",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(password.as_bytes()).unwrap();
    assert!(wait_exit(&mut add, Duration::from_secs(60)).success());

    let port = free_port();
    let log_path = data.join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut server = binhan()
        .env("BINHAN_DATA_DIR", &data)
        .env("BINHAN_BIND", format!("127.0.0.1:{port}"))
        .env("BINHAN_LOG", "debug")
        .env("BINHAN_LOG_FORMAT", "json")
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    wait_for_status(&mut server, port, "/readyz", 200, Duration::from_secs(30));

    let wrong = r#"{"username": "hanh.nguyen", "password": "not her password at all"}"#;
    assert_eq!(http_post_json(port, "/api/v1/auth/login", wrong, None).unwrap().0, 401);
    let unknown = r#"{"username": "pham.van.lam", "password": "sông Lam nước chảy hiền hòa"}"#;
    assert_eq!(http_post_json(port, "/api/v1/auth/login", unknown, None).unwrap().0, 401);
    let right = format!(r#"{{"username": "hanh.nguyen", "password": "{password}"}}"#);
    let (status, head, _) = http_post_json(port, "/api/v1/auth/login", &right, None).unwrap();
    assert_eq!(status, 200);
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_string();
    let token = cookie.split('=').nth(1).unwrap().to_string();
    let unlock = format!(r#"{{"password": "{password}"}}"#);
    assert_eq!(http_post_json(port, "/api/v1/auth/unlock", &unlock, Some(&cookie)).unwrap().0, 204);
    assert_eq!(http_get(port, "/api/v1/nothing/hanh.nguyen?q=Nguy%E1%BB%85n").unwrap().0, 404);
    assert_eq!(http_post_json(port, "/api/v1/auth/logout", "", Some(&cookie)).unwrap().0, 204);

    send_signal(&server, "TERM");
    assert!(wait_exit(&mut server, Duration::from_secs(15)).success());
    let logged = std::fs::read_to_string(&log_path).unwrap();
    assert!(logged.lines().count() >= 6, "the flows were logged: {logged}");
    for secret in
        ["hanh.nguyen", "Nguyễn Thị Hạnh", "Nguyễn", "pham.van.lam", password, "not her password", &token]
    {
        assert!(!logged.contains(secret), "the log holds {secret:?}:\n{logged}");
    }
}

/// The session cookie a sign-in answer sets, as `name=value`.
fn session_cookie_of(head: &str) -> String {
    head.lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string()
}

/// Names, phone numbers, an ID number and a story only the survivor's case holds.
const PERSONAL: [&str; 9] = [
    "Nguyễn Thị Hoa",
    "Trần Văn Bạo",
    "Lê Thị Giám Hộ",
    "0912 345 678",
    "0912345678",
    "0988 765 432",
    "038191012345",
    "Chồng đánh bằng gậy tre",
    "nhắn tin cho chị Loan",
];

crate::on_both_backends! {
    fn case_work_leaves_no_name_or_phone_in_the_logs_or_the_database(db: TestDb) {
        let data = db.data_dir();
        let run = |args: &[&str]| {
            let mut cmd = binhan();
            cmd.env("BINHAN_DATA_DIR", &data).env("BINHAN_DATABASE_URL", &db.url_text).args(args);
            cmd
        };
        assert!(run_within(run(&["init"]), Duration::from_secs(60)).status.success());
        let mut add = run(&["user", "add", "hanh.nguyen", "--name", "Nguyễn Thị Hạnh", "--role", "social_worker",
                "--commune", "18073", "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let password = "sông Lam nước chảy hiền hòa";
        add.stdin.take().unwrap().write_all(password.as_bytes()).unwrap();
        assert!(wait_exit(&mut add, Duration::from_secs(60)).success());

        let port = free_port();
        let log_path = data.join("server.log");
        let mut server = run(&["serve"])
            .env("BINHAN_BIND", format!("127.0.0.1:{port}"))
            .env("BINHAN_LOG", "debug")
            .env("BINHAN_LOG_FORMAT", "json")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log_path).unwrap())
            .spawn()
            .unwrap();
        wait_for_status(&mut server, port, "/readyz", 200, Duration::from_secs(30));
        let login = format!(r#"{{"username": "hanh.nguyen", "password": "{password}"}}"#);
        let (status, head, _) = http_post_json(port, "/api/v1/auth/login", &login, None).unwrap();
        assert_eq!(status, 200);
        let cookie = session_cookie_of(&head);
        let call = |method: &str, path: &str, body: Option<String>| {
            let (status, _, body) = http_request(port, method, path, body.as_deref(), Some(&cookie)).unwrap();
            (status, serde_json::from_str::<serde_json::Value>(&body).unwrap_or_default())
        };

        let intake = serde_json::json!({
            "report_source": "police", "report_channel": "phone",
            "reported_at": chrono::Utc::now().to_rfc3339(), "commune_code": "18073",
            "survivor": {"full_name": PERSONAL[0], "sex": "female", "age_group": "25-59", "phone": PERSONAL[3],
                         "id_number": PERSONAL[6], "guardian_name": PERSONAL[2], "safe_contact": PERSONAL[8]},
            "incident": {"forms": ["physical"], "narrative": PERSONAL[7]},
            "perpetrator": {"full_name": PERSONAL[1], "relationship": "spouse"}
        });
        let (status, created) = call("POST", "/api/v1/cases", Some(intake.to_string()));
        assert_eq!(status, 201, "{created}");
        let case = format!("/api/v1/cases/{}", created["id"].as_str().unwrap());
        let note = serde_json::json!({"body": format!("Gọi {} lúc 20 giờ, gặp {}", PERSONAL[5], PERSONAL[0])});
        assert_eq!(call("POST", &format!("{case}/notes"), Some(note.to_string())).0, 201);
        let edit = serde_json::json!({"version": 1, "phone": PERSONAL[5]});
        assert_eq!(call("PATCH", &case, Some(edit.to_string())).0, 200);
        assert_eq!(call("GET", &case, None).1["survivor"]["full_name"], PERSONAL[0]);
        let search = serde_json::json!({"name": "nguyen thi hoa"});
        assert_eq!(call("POST", "/api/v1/cases/search", Some(search.to_string())).0, 200);
        let bad = serde_json::json!({"survivor": {"full_name": PERSONAL[0], "sex": PERSONAL[1]}});
        assert_eq!(call("POST", "/api/v1/cases", Some(bad.to_string())).0, 422);
        let wrong_type = serde_json::json!({"immediate_danger": PERSONAL[0]});
        assert_eq!(call("POST", "/api/v1/cases", Some(wrong_type.to_string())).0, 400);
        assert_eq!(call("GET", &format!("{case}?name=Nguy%E1%BB%85n"), None).0, 200);

        send_signal(&server, "TERM");
        let stopped = wait_exit(&mut server, Duration::from_secs(15));
        let logged = std::fs::read_to_string(&log_path).unwrap();
        let tail: String = logged.lines().rev().take(5).collect::<Vec<_>>().join("\n");
        assert!(stopped.success(), "the server stopped with {stopped}; last log lines:\n{tail}");
        assert!(logged.contains("/api/v1/cases/{id}"), "the flows were logged: {logged}");
        for personal in PERSONAL.iter().chain(&["nguyen thi hoa", "Nguy%E1%BB%85n"]) {
            assert!(!logged.contains(personal), "the log holds {personal:?}:\n{logged}");
        }

        let mut conn = db.conn();
        let bytes = crate::support::db::database_bytes(&db, &mut conn);
        for personal in PERSONAL {
            assert!(!crate::support::db::contains(&bytes, personal.as_bytes()), "the database holds {personal:?}");
            let hex = hex::encode(personal.as_bytes());
            assert!(!crate::support::db::contains(&bytes, hex.as_bytes()), "the database holds {personal:?} as hex");
        }
    }
}
