//! A PostgreSQL 15 of the test's own, in a temporary folder on a free port, that
//! the test may stop and start at will: the shared cluster on 5432 is never touched.
//!
//! Tests run as root here, and PostgreSQL refuses to run as root: as root, every
//! `initdb` and `pg_ctl` runs as the `postgres` account (`runuser`), in a folder
//! given to it; as anyone else, as that user.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::process::free_port;

/// Where Debian puts PostgreSQL 15's programs; override with BINHAN_TEST_PG_BIN.
fn bin_dir() -> PathBuf {
    std::env::var("BINHAN_TEST_PG_BIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into()).into()
}

pub struct ThrowawayPostgres {
    dir: tempfile::TempDir,
    pub port: u16,
    as_postgres: bool,
}

impl ThrowawayPostgres {
    /// A fresh cluster, initialised and started, or None when PostgreSQL's programs
    /// are missing outside CI. Under `CI=true` a missing PostgreSQL fails the test.
    pub fn start() -> Option<ThrowawayPostgres> {
        if !bin_dir().join("initdb").is_file() {
            let why = format!("no PostgreSQL programs in {}", bin_dir().display());
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("PostgreSQL is required under CI=true: {why}");
            }
            eprintln!("skipped: {why}; set CI=true to make this a failure");
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let as_postgres = std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false);
        if as_postgres {
            let out = Command::new("chown").arg("postgres:").arg(dir.path()).output().expect("chown");
            assert!(out.status.success(), "chown: {}", String::from_utf8_lossy(&out.stderr));
        }
        let pg = ThrowawayPostgres { dir, port: free_port(), as_postgres };
        let data = pg.data_dir();
        let out = pg
            .run("initdb", &["-D", path(&data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
        assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        pg.start_again();
        Some(pg)
    }

    /// The URL of its `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the cluster (again) on its port and waits until it accepts connections.
    pub fn start_again(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c shared_buffers=16MB -c max_connections=40",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("postgres.log");
        let out = self.run(
            "pg_ctl",
            &["start", "-w", "-t", "60", "-D", path(&self.data_dir()), "-l", path(&log), "-o", &options],
        );
        assert!(out.status.success(), "pg_ctl start failed: {}\n{}", text(&out), self.log());
    }

    /// `pg_ctl stop -m fast`: sessions are ended, committed work is kept.
    pub fn stop_fast(&self) {
        let out = self.run("pg_ctl", &["stop", "-w", "-m", "fast", "-D", path(&self.data_dir())]);
        assert!(out.status.success(), "pg_ctl stop failed: {}", text(&out));
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("postgres.log")).unwrap_or_default()
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        let program = bin_dir().join(program);
        let mut cmd = if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        };
        // The server writes to its log file: it must not hold our pipes open.
        cmd.args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .output()
            .expect("run PostgreSQL program")
    }
}

impl Drop for ThrowawayPostgres {
    fn drop(&mut self) {
        let _ = self.run("pg_ctl", &["stop", "-w", "-m", "immediate", "-D", path(&self.data_dir())]);
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}
