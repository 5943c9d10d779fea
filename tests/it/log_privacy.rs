//! No personal data or secret in any log line: real flows through the real server,
//! then a search of everything it logged for the names, usernames, passwords and
//! codes those flows used (the rule that is never bent; ASVS V16.2.5).

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use crate::support::db::TestDb;
use crate::support::process::{
    binhan, free_port, http_get, http_post_json, run_within, send_signal, wait_exit, wait_for_status,
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
