//! The real binary, started and stopped as an operator would.

use std::process::Stdio;
use std::time::Duration;

use crate::on_both_backends;
use crate::support::fake_postgres;
use crate::support::process::{
    binhan, free_port, http_get, run_within, send_signal, wait_exit, wait_for_status,
};

/// `binhan serve` refuses to start: its whole stderr is one line.
fn serve_refuses(database_url: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = binhan();
    cmd.env("BINHAN_DATABASE_URL", database_url)
        .env("BINHAN_DATA_DIR", dir.path())
        .env("BINHAN_BIND", format!("127.0.0.1:{}", free_port()))
        .arg("serve");
    let out = run_within(cmd, Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
    assert!(!out.status.success(), "serve must fail; stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line, got: {stderr}");
    stderr
}

#[test]
fn a_wrong_database_password_stops_serve_with_one_line() {
    let port = fake_postgres::reject_passwords();
    let line = serve_refuses(&format!("postgres://binhan:Wr0ng-Secret@127.0.0.1:{port}/binhan"));
    assert_eq!(
        line,
        format!("binhan: PostgreSQL at 127.0.0.1:{port}/binhan rejected the password of user binhan")
    );
    assert!(!line.contains("Wr0ng-Secret"));
}

#[test]
fn an_unreachable_postgresql_stops_serve_with_one_line() {
    let port = free_port();
    let line = serve_refuses(&format!("postgres://binhan:pw@127.0.0.1:{port}/binhan"));
    assert_eq!(
        line,
        format!("binhan: PostgreSQL at 127.0.0.1:{port}/binhan is unreachable: Connection refused")
    );
}

#[test]
fn an_unknown_url_scheme_stops_serve_with_one_line() {
    let line = serve_refuses("mysql://root:pw@127.0.0.1/binhan");
    assert!(line.starts_with("binhan: setting BINHAN_DATABASE_URL: unknown scheme \"mysql\""), "{line}");
    assert!(!line.contains("pw@"));
}

#[test]
fn a_missing_data_folder_says_to_run_init() {
    let line = serve_refuses("sqlite:///nonexistent-folder/binhan.sqlite3");
    assert!(
        line.contains("the folder /nonexistent-folder does not exist (run `binhan init` first)"),
        "{line}"
    );
}

#[test]
fn an_invalid_setting_stops_start_up_naming_it() {
    let mut cmd = binhan();
    cmd.env("BINHAN_DB_POOL_SIZE", "lots").arg("serve");
    let out = run_within(cmd, Duration::from_secs(30));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        "binhan: setting BINHAN_DB_POOL_SIZE: must be a whole number from 0 to 4294967295, not \"lots\""
    );
}

#[test]
fn the_demo_serves_a_ready_instance_and_stops_cleanly_on_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = binhan()
        .env("BINHAN_BIND", format!("127.0.0.1:{port}"))
        .args(["demo", "--data-dir", dir.path().join("demo").to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_status(&mut child, port, "/readyz", 200, Duration::from_secs(60));
    send_signal(&child, "INT");
    let status = wait_exit(&mut child, Duration::from_secs(15));
    assert!(status.success(), "Ctrl-C ends the demo with success, got {status}");
    assert!(http_get(port, "/healthz").is_none(), "nothing listens after the stop");
}

on_both_backends! {
    fn init_then_serve_answers_ready_and_stops_on_sigterm(db: TestDb) {
        let mut init = binhan();
        init.env("BINHAN_DATABASE_URL", &db.url_text).env("BINHAN_DATA_DIR", db.data_dir()).arg("init");
        let out = run_within(init, Duration::from_secs(60));
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
        wait_for_status(&mut child, port, "/readyz", 200, Duration::from_secs(30));
        send_signal(&child, "TERM");
        assert!(wait_exit(&mut child, Duration::from_secs(15)).success());
    }
}
