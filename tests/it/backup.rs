//! Backups (issue 9): `binhan backup` copies a live SQLite database, PostgreSQL is
//! dumped and restored as docs/OPERATIONS.md says, and a restored copy opens with
//! the deployment's keyring (every survivor's name decrypts, the audit chain
//! verifies) and with nothing else (the names are ciphertext).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use binhan::audit::Actor;
use binhan::domain::role::Role;
use binhan::services::backup;
use binhan::services::cases::access::Caller;
use binhan::services::cases::{intake, read_survivor, work};
use binhan::services::keys::{Keys, Quiet};
use binhan::services::sealing::Revealed;
use binhan::store::{self, Backend, DatabaseUrl, DbConn, SqliteSettings};
use chrono::Utc;
use diesel::connection::SimpleConnection;
use uuid::Uuid;

use crate::on_both_backends;
use crate::support::app::{account, caller};
use crate::support::db::{TestDb, contains, database_bytes, load_units, postgres_base_url};
use crate::support::intake::intake_json;
use crate::support::process::{
    binhan, free_port, http_request, run_within, send_signal, sign_in_over_http, wait_exit, wait_for_status,
};

const NAMES: [&str; 4] = ["Nguyễn Thị Hoa", "Trần Thị Mai", "Lê Thị Bình", "Phạm Thị Cúc"];

fn draft(name: &str) -> binhan::domain::intake::IntakeDraft {
    use binhan::domain::intake::*;
    IntakeDraft {
        report_source: "police".into(),
        report_channel: "phone".into(),
        reported_at: Some(Utc::now() - chrono::Duration::hours(1)),
        commune_code: "18073".into(),
        survivor: SurvivorDraft {
            full_name: name.into(),
            sex: "female".into(),
            age_group: "25-59".into(),
            phone: "0912 888 999".into(),
            ..Default::default()
        },
        incident: IncidentDraft {
            forms: vec!["physical".into()],
            narrative: "Bị chồng đánh gãy tay.".into(),
            ..Default::default()
        },
        perpetrator: PerpetratorDraft { relationship: "spouse".into(), ..Default::default() },
        ..Default::default()
    }
}

/// Cases of Thành Sen with sealed names, a consent each, and their audit events.
fn cases_with_history(db: &TestDb, conn: &mut DbConn) -> (Caller, Vec<(Uuid, &'static str)>) {
    load_units(conn);
    let hanh = account(db, conn, "hanh", Role::SocialWorker);
    let worker = caller(db, &hanh);
    let consent =
        work::ConsentRequest { purpose: "services".into(), given_by: "survivor".into(), given_at: None };
    let cases = NAMES
        .iter()
        .map(|name| {
            let id = intake::record_intake(conn, &worker, &draft(name)).unwrap().id;
            work::record_consent(conn, &worker, id, &consent).unwrap();
            (id, *name)
        })
        .collect();
    (worker, cases)
}

fn name_of(conn: &mut DbConn, keys: &Keys, case: Uuid) -> Result<String, String> {
    let view = read_survivor(conn, keys, &Actor::command("test"), case, Utc::now().naive_utc())
        .map_err(|e| e.to_string())?
        .expect("the case is in the copy");
    match view.identity {
        Revealed::Value(who) => Ok(who.full_name.to_string()),
        Revealed::Erased => Err("erased".into()),
    }
}

/// A keyring that is not the deployment's: a restore without the real one.
fn another_keyring() -> (tempfile::TempDir, Keys) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keyring.toml");
    binhan::crypto::Keyring::generate().unwrap().write_file(&path).unwrap();
    let keys = Keys::load(None, &path).unwrap();
    (dir, keys)
}

/// A restored deployment: where it is, and what to drop afterwards.
struct Restored {
    url: DatabaseUrl,
    url_text: String,
    /// Every byte of the restored database before anything opened it.
    bytes: Vec<u8>,
    _dir: tempfile::TempDir,
    scratch_database: Option<String>,
}

impl Drop for Restored {
    fn drop(&mut self) {
        if let Some(name) = &self.scratch_database
            && let Ok(url) = DatabaseUrl::parse(&postgres_base_url())
            && let Ok(mut admin) = store::connect(&url, SqliteSettings::default())
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// SQLite: `binhan backup`'s service, then the restore of docs/OPERATIONS.md: the
/// backup file copied into an empty data folder as `binhan.sqlite3`.
fn back_up_and_restore_sqlite(db: &TestDb) -> Restored {
    let destination = backup::default_destination(&db.data_dir(), Utc::now().naive_utc());
    let report =
        backup::create(&db.url, SqliteSettings::default(), &Actor::command("test"), &destination, &Quiet)
            .unwrap();
    assert_eq!(report.path, destination);
    assert!(destination.starts_with(db.data_dir().join("backups")));
    let mode = std::fs::metadata(&destination).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the backup is readable by its owner only");
    assert!(!Path::new(&format!("{}-wal", destination.display())).exists(), "one self-contained file");
    let dir = tempfile::tempdir().unwrap();
    let restored = dir.path().join("binhan.sqlite3");
    std::fs::copy(&destination, &restored).unwrap();
    Restored {
        url_text: format!("sqlite://{}", restored.display()),
        url: DatabaseUrl::Sqlite(restored.clone()),
        bytes: std::fs::read(&restored).unwrap(),
        _dir: dir,
        scratch_database: None,
    }
}

/// A PostgreSQL client program: on PATH, or where Debian puts version 15's.
fn pg_program(name: &str) -> Command {
    let debian = PathBuf::from("/usr/lib/postgresql/15/bin").join(name);
    let mut cmd = Command::new(if debian.is_file() { debian.into_os_string() } else { name.into() });
    cmd.stdin(Stdio::null());
    cmd
}

fn run_pg(mut cmd: Command, what: &str) {
    let out =
        cmd.output().unwrap_or_else(|e| panic!("{what} could not run ({e}): install the PostgreSQL client"));
    assert!(out.status.success(), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// The base URL with another database name.
fn url_of_database(base: &str, database: &str) -> String {
    let (address, query) = base.split_once('?').map_or((base, None), |(a, q)| (a, Some(q)));
    let (server, _) = address.rsplit_once('/').expect("a database in the URL");
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

/// PostgreSQL, as docs/OPERATIONS.md says: `pg_dump -Fc`, a new empty database,
/// `pg_restore --no-owner --exit-on-error` into it. The test's tables live in a
/// schema of the shared `test` database, so only that schema is dumped.
fn back_up_and_restore_postgres(db: &TestDb, conn: &mut DbConn) -> Restored {
    let schema = db.schema().expect("a PostgreSQL test has a schema");
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("binhan.dump");
    let base = postgres_base_url();
    let mut pg_dump = pg_program("pg_dump");
    pg_dump.args(["--format=custom", "--schema", schema, "--file"]).arg(&dump).arg("--dbname").arg(&base);
    run_pg(pg_dump, "pg_dump");

    let scratch = format!("r_{}", Uuid::now_v7().simple());
    let mut admin = store::connect(&DatabaseUrl::parse(&base).unwrap(), SqliteSettings::default()).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {scratch}")).unwrap();
    let target = url_of_database(&base, &scratch);
    let mut restored = Restored {
        url: DatabaseUrl::parse(&target).unwrap(),
        url_text: String::new(),
        bytes: Vec::new(),
        _dir: dir,
        scratch_database: Some(scratch),
    };
    let mut pg_restore = pg_program("pg_restore");
    pg_restore.args(["--no-owner", "--exit-on-error", "--dbname", &target]).arg(&dump);
    run_pg(pg_restore, "pg_restore");

    let sep = if target.contains('?') { '&' } else { '?' };
    restored.url_text = format!("{target}{sep}options=-csearch_path%3D{schema}");
    restored.url = DatabaseUrl::parse(&restored.url_text).unwrap();
    let mut copy = store::connect(&restored.url, SqliteSettings::default()).unwrap();
    restored.bytes = database_bytes(db, &mut copy);
    drop(copy);
    // The original is untouched by all this.
    store::audit::verify(conn).unwrap();
    restored
}

on_both_backends! {
    fn a_restored_backup_decrypts_with_its_keyring_and_its_audit_chain_verifies(db: TestDb) {
        let mut conn = db.migrated();
        let (_, cases) = cases_with_history(&db, &mut conn);
        let events = store::audit::verify(&mut conn).unwrap();
        assert!(events >= 2 * NAMES.len() as i64, "intakes and consents are audited");

        let restored = match conn.backend() {
            Backend::Sqlite => back_up_and_restore_sqlite(&db),
            Backend::Postgres => back_up_and_restore_postgres(&db, &mut conn),
        };
        // Without the keyring the copy is ciphertext: no name, no phone in its bytes.
        for value in NAMES.iter().copied().chain(["0912888999", "gãy tay"]) {
            assert!(!contains(&restored.bytes, value.as_bytes()), "plaintext in the backup: {value}");
        }

        // `binhan audit verify` on the restored copy, as an operator checks it.
        let mut verify = binhan();
        verify.env("BINHAN_DATABASE_URL", &restored.url_text).args(["audit", "verify"]);
        let out = run_within(verify, Duration::from_secs(60));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{said} {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(said.trim(), format!("The audit log is intact: {events} events, every link verified."));

        let mut copy = store::connect(&restored.url, SqliteSettings::default()).unwrap();
        let (_other_dir, other_keys) = another_keyring();
        for (case, _) in &cases {
            assert!(name_of(&mut copy, &other_keys, *case).is_err(), "another keyring opens nothing");
        }
        let keys = db.keys();
        for (case, name) in &cases {
            assert_eq!(name_of(&mut copy, &keys, *case).as_deref(), Ok(*name), "the same survivor");
        }
        let after = store::audit::verify(&mut copy).expect("the restored chain goes on whole");
        assert!(after > events, "reads on the restored copy are audited after its events");
    }
}

/// `binhan backup` while `binhan serve` takes new cases: the copy is whole and
/// consistent, holds every case answered 201 before it began, and the live
/// database records `backup.create`.
#[test]
fn binhan_backup_copies_a_serving_sqlite_database_without_the_keyring() {
    let db = TestDb::sqlite();
    let mut conn = db.migrated();
    load_units(&mut conn);
    account(&db, &mut conn, "hanh", Role::SocialWorker);
    drop(conn);
    let keyring = db.keyring_file();
    let port = free_port();
    let mut server = binhan()
        .env("BINHAN_DATA_DIR", db.data_dir())
        .env("BINHAN_BIND", format!("127.0.0.1:{port}"))
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_status(&mut server, port, "/readyz", 200, Duration::from_secs(30));
    let cookie = sign_in_over_http(port, "hanh");
    let create = |i: usize| {
        let (status, _, body) = http_request(
            port,
            "POST",
            "/api/v1/cases",
            Some(&intake_json(&format!("Chị số {i}"), "18073").to_string()),
            Some(&cookie),
        )
        .unwrap();
        assert_eq!(status, 201, "{body}");
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"].as_str().unwrap().to_string()
    };
    let before: Vec<String> = (0..5).map(create).collect();

    // A writer goes on while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, cookie) = (stop.clone(), cookie.clone());
        std::thread::spawn(move || {
            let mut written = 0;
            while !stop.load(Ordering::Relaxed) {
                let body = intake_json(&format!("Chị viết trong lúc sao lưu {written}"), "18073").to_string();
                let (status, _, _) =
                    http_request(port, "POST", "/api/v1/cases", Some(&body), Some(&cookie)).unwrap();
                assert_eq!(status, 201);
                written += 1;
            }
            written
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    let mut command = binhan();
    command.env("BINHAN_DATA_DIR", db.data_dir()).arg("backup");
    let out = run_within(command, Duration::from_secs(60));
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{said} {}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines.len(), 3, "{said}");
    let path = lines[0]
        .strip_prefix("Backed up the database to ")
        .and_then(|rest| rest.split(" (").next())
        .unwrap_or_else(|| panic!("{said}"));
    let path = PathBuf::from(path);
    assert_eq!(path.parent(), Some(db.data_dir().join("backups").as_path()));
    let file_name = path.file_name().unwrap().to_str().unwrap();
    assert!(file_name.starts_with("binhan-") && file_name.ends_with(".sqlite3") && file_name.len() == 30);
    assert!(lines[1].starts_with("Audit head in this backup: event "), "{said}");
    assert_eq!(
        lines[2],
        format!(
            "This backup does not contain the keyring: back up the keyring {} separately and never keep the two together.",
            keyring.display()
        )
    );
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let copy_bytes = std::fs::read(&path).unwrap();
    let keyring_text = std::fs::read_to_string(&keyring).unwrap();
    let secrets: Vec<&str> = keyring_text
        .lines()
        .filter_map(|l| l.strip_prefix("key = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert_eq!(secrets.len(), 2, "a key-encryption key and the blind-index key");
    for secret in secrets {
        assert!(!contains(&copy_bytes, secret.as_bytes()), "no keyring material inside the copy");
    }
    let in_folder: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
    assert_eq!(in_folder.len(), 1, "only the backup in its folder, no keyring, no leftovers");

    send_signal(&server, "TERM");
    assert!(wait_exit(&mut server, Duration::from_secs(15)).success());
    assert!(written > 0, "the writer wrote while the backup ran");

    let mut copy = store::connect(&DatabaseUrl::Sqlite(path), SqliteSettings::default()).unwrap();
    let events = store::audit::verify(&mut copy).expect("a consistent snapshot of the chain");
    let head = lines[1].strip_prefix("Audit head in this backup: event ").unwrap();
    assert!(head.starts_with(&format!("{events}, hash ")), "{head}");
    let keys = db.keys();
    for id in &before {
        let case = Uuid::parse_str(id).unwrap();
        assert!(name_of(&mut copy, &keys, case).unwrap().starts_with("Chị số "));
    }
    let mut live = db.conn();
    store::audit::verify(&mut live).unwrap();
    let recorded = store::audit::last_actions(&mut live, 50).unwrap();
    assert!(
        recorded.iter().any(|(action, outcome)| action == "backup.create" && outcome == "success"),
        "{recorded:?}"
    );
}

/// A second backup to the same file is refused, and nothing is overwritten.
#[test]
fn a_backup_never_overwrites_a_file() {
    let db = TestDb::sqlite();
    drop(db.migrated());
    let to = db.data_dir().join("copy.sqlite3");
    std::fs::write(&to, b"not a database").unwrap();
    let mut command = binhan();
    command.env("BINHAN_DATA_DIR", db.data_dir()).args(["backup", "--to"]).arg(&to);
    let out = run_within(command, Duration::from_secs(60));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        format!("binhan: {} already exists; a backup never overwrites a file", to.display())
    );
    assert_eq!(std::fs::read(&to).unwrap(), b"not a database");
    let recorded = store::audit::last_actions(&mut db.conn(), 5).unwrap();
    assert!(recorded.iter().any(|(action, outcome)| action == "backup.create" && outcome == "failure"));
}

/// On PostgreSQL the command refuses in one line that points to pg_dump.
#[test]
fn binhan_backup_on_postgresql_points_to_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = binhan();
    command
        .env("BINHAN_DATA_DIR", dir.path())
        .env("BINHAN_DATABASE_URL", "postgres://binhan:S3cret-pw@127.0.0.1:5432/binhan")
        .arg("backup");
    let out = run_within(command, Duration::from_secs(30));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("pg_dump") && stderr.contains("docs/OPERATIONS.md"), "{stderr}");
    assert!(!stderr.contains("S3cret-pw"));
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none(), "nothing written");
}
