//! Running the real `binhan` binary, as an operator would.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary under test: cargo's, or the one named by `BINHAN_BIN` (a release
/// build to measure, or a copy that a shared target folder cannot replace
/// mid-run), as for the browser tests.
pub fn binhan() -> Command {
    let program = std::env::var_os("BINHAN_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_binhan").into());
    let mut cmd = Command::new(program);
    // The test's own environment must not leak settings into the process.
    for (key, _) in std::env::vars() {
        if key.starts_with("BINHAN_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("BINHAN_LOG", "info").stdin(Stdio::null());
    cmd
}

/// Runs a command to completion, but never longer than `limit`.
pub fn run_within(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn binhan");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "binhan did not finish within {limit:?}; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// A plain HTTP/1.1 GET: status code and body, or None if nothing answers.
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((status, body))
}

/// Polls until `path` answers `status`, or panics after `limit`.
pub fn wait_for_status(child: &mut Child, port: u16, path: &str, status: u16, limit: Duration) {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(code) = child.try_wait().expect("wait") {
            panic!("binhan exited early with {code}");
        }
        if http_get(port, path).is_some_and(|(s, _)| s == status) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{path} did not answer {status} within {limit:?}");
}

pub fn send_signal(child: &Child, signal: &str) {
    let status = Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
    assert!(status.is_ok_and(|s| s.success()), "kill -{signal} failed");
}

pub fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("binhan did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A plain HTTP/1.1 POST of a JSON body: status code, the response's raw headers
/// and body.
pub fn http_post_json(
    port: u16,
    path: &str,
    body: &str,
    cookie: Option<&str>,
) -> Option<(u16, String, String)> {
    http_request(port, "POST", path, Some(body), cookie)
}

/// A plain HTTP/1.1 request with an optional JSON body and session cookie: status
/// code, the response's raw headers and body.
pub fn http_request(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&str>,
    cookie: Option<&str>,
) -> Option<(u16, String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    let content = body
        .map(|b| format!("Content-Type: application/json\r\nContent-Length: {}\r\n", b.len()))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{content}{cookie}Connection: close\r\n\r\n{}",
        body.unwrap_or("")
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    Some((status, head.to_string(), body.to_string()))
}

/// Signs in over HTTP with the test password (a role without a second factor);
/// returns the session cookie (`name=value`).
pub fn sign_in_over_http(port: u16, username: &str) -> String {
    let body = format!(r#"{{"username": "{username}", "password": "{}"}}"#, super::app::PASSWORD);
    let (status, head, answer) = http_post_json(port, "/api/v1/auth/login", &body, None).expect("an answer");
    assert_eq!(status, 200, "{answer}");
    head.lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string()
}

/// A running `binhan serve` on a test's database, its log in the data folder.
/// Killed if the test ends without stopping it.
pub struct Server {
    pub child: Child,
    pub port: u16,
    log: std::path::PathBuf,
}

impl Server {
    pub fn start(db: &super::db::TestDb) -> Server {
        let port = free_port();
        let log_path = db.dir.path().join(format!("serve-{port}.log"));
        let log = std::fs::File::create(&log_path).expect("the server's log file");
        let mut child = binhan()
            .env("BINHAN_DATABASE_URL", &db.url_text)
            .env("BINHAN_DATA_DIR", db.data_dir())
            .env("BINHAN_BIND", format!("127.0.0.1:{port}"))
            .env("BINHAN_LOGIN_ATTEMPTS_PER_MINUTE", "1000")
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start binhan serve");
        wait_for_status(&mut child, port, "/readyz", 200, Duration::from_secs(30));
        Server { child, port, log: log_path }
    }

    /// The warnings and errors the server logged, for a failure's message (logs
    /// hold no personal data).
    pub fn complaints(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        log.lines().filter(|l| l.contains("WARN") || l.contains("ERROR")).collect::<Vec<_>>().join("\n")
    }

    /// SIGKILL: no request finishes, nothing is flushed, no destructor runs.
    pub fn kill(mut self) {
        send_signal(&self.child, "KILL");
        let status = wait_exit(&mut self.child, Duration::from_secs(10));
        assert!(!status.success(), "killed, not stopped: {status}");
    }

    /// SIGTERM: requests in flight finish, then the process exits cleanly.
    pub fn stop(mut self) {
        send_signal(&self.child, "TERM");
        assert!(wait_exit(&mut self.child, Duration::from_secs(30)).success(), "binhan serve stops cleanly");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
