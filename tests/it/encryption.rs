//! Field-level encryption end to end (issue 3): what reaches the database, shredding,
//! retention, blind-index search, rotation, retirement and the key canary.

use std::process::Stdio;
use std::time::{Duration, Instant};

use binhan::crypto::{KekId, Keyring};
use binhan::services::cases::{
    NewCaseInput, SurvivorIdentity, SurvivorProfile, find_by_name, find_by_phone, read_survivor, record_case,
};
use binhan::services::erasure::{erase_case, run_retention};
use binhan::services::keys::{KeysError, Quiet, status};
use binhan::services::sealing::Revealed;
use binhan::store::DbConn;
use binhan::store::cases::{count_by_commune, set_closed};
use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::on_both_backends;
use crate::support::db::{TestDb, contains, database_bytes};
use crate::support::process::{binhan, free_port, run_within, send_signal, wait_exit};

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// Personal data a test writes and then searches for where it must not be.
struct Person {
    name: &'static str,
    phone: &'static str,
    address: &'static str,
    id_number: &'static str,
}

const PEOPLE: [Person; 3] = [
    Person {
        name: "Nguyễn Thị Hoa",
        phone: "0912345678",
        address: "thôn Trung Phú, xã Cẩm Xuyên",
        id_number: "042190001234",
    },
    Person {
        name: "Trần Thị Mai",
        phone: "0987654321",
        address: "tổ dân phố 5, phường Thành Sen",
        id_number: "042185009876",
    },
    Person {
        name: "Lê Văn Bình",
        phone: "0977111222",
        address: "xóm Đồng Môn, xã Thạch Hà",
        id_number: "042170004444",
    },
];

fn input(person: &Person, commune: &str) -> NewCaseInput {
    NewCaseInput {
        commune_code: commune.into(),
        reported_at: now(),
        identity: SurvivorIdentity {
            full_name: person.name.into(),
            phone: Some(person.phone.into()),
            address: Some(person.address.into()),
            id_number: Some(person.id_number.into()),
            guardian_name: Some("Phạm Văn Giám Hộ".into()),
            ..SurvivorIdentity::default()
        },
        profile: SurvivorProfile {
            sex: "female".into(),
            age_group: "25-59".into(),
            is_child: false,
            has_disability: false,
        },
        report: Default::default(),
    }
}

fn record(conn: &mut DbConn, db: &TestDb, person: &Person, commune: &str) -> Uuid {
    record_case(
        conn,
        &db.keys(),
        &binhan::audit::Actor::command("test"),
        "42",
        &input(person, commune),
        now(),
    )
    .unwrap()
    .id
}

on_both_backends! {
    fn no_personal_data_reaches_the_database_in_plaintext(db: TestDb) {
        let mut conn = db.migrated();
        for person in &PEOPLE {
            record(&mut conn, &db, person, "18073");
        }
        let bytes = database_bytes(&db, &mut conn);
        for person in &PEOPLE {
            for value in [person.name, person.phone, person.address, person.id_number, "Phạm Văn Giám Hộ"] {
                assert!(!contains(&bytes, value.as_bytes()), "plaintext found: {value}");
                let hex = hex::encode(value.as_bytes());
                assert!(!contains(&bytes, hex.as_bytes()), "plaintext found as hex: {value}");
            }
        }
    }
}

on_both_backends! {
    fn a_recorded_survivor_reads_back_whole(db: TestDb) {
        let mut conn = db.migrated();
        let id = record(&mut conn, &db, &PEOPLE[0], "18073");
        let view = read_survivor(&mut conn, &db.keys(), &binhan::audit::Actor::command("test"), id, now()).unwrap().unwrap();
        let Revealed::Value(who) = view.identity else { panic!("not erased") };
        assert_eq!(who.full_name.as_str(), PEOPLE[0].name);
        assert_eq!(who.phone.as_deref().map(String::as_str), Some(PEOPLE[0].phone));
        assert_eq!(who.other_names, None);
    }
}

on_both_backends! {
    fn a_blob_copied_to_another_row_fails_to_open(db: TestDb) {
        let mut conn = db.migrated();
        let hoa = record(&mut conn, &db, &PEOPLE[0], "18073");
        let mai = record(&mut conn, &db, &PEOPLE[1], "18073");
        // An attacker with write access moves Hoa's name onto Mai's row.
        diesel::sql_query(format!(
            "UPDATE survivors SET full_name = (SELECT full_name FROM survivors WHERE case_id = '{hoa}') WHERE case_id = '{mai}'"
        ))
        .execute(&mut conn)
        .unwrap();
        let err = read_survivor(&mut conn, &db.keys(), &binhan::audit::Actor::command("test"), mai, now()).unwrap_err();
        assert!(matches!(err, KeysError::Crypto(binhan::crypto::CryptoError::Tampered)), "{err}");
    }
}

on_both_backends! {
    fn any_spelling_of_a_name_finds_the_case_and_other_names_do_not(db: TestDb) {
        let mut conn = db.migrated();
        let keys = db.keys();
        let hoa = record(&mut conn, &db, &PEOPLE[0], "18073");
        record(&mut conn, &db, &PEOPLE[1], "18073");
        for spelling in ["Nguyễn Thị Hoa", "nguyen thi  hoa", "NGUYỄN THỊ HOA", "Nguye\u{302}\u{303}n Thi\u{323} Hoa"] {
            assert_eq!(find_by_name(&mut conn, &keys, spelling).unwrap(), [hoa], "{spelling}");
        }
        assert!(find_by_name(&mut conn, &keys, "Nguyễn Thị Hương").unwrap().is_empty());
        assert_eq!(find_by_phone(&mut conn, &keys, "+84 912 345 678").unwrap(), [hoa]);
    }
}

on_both_backends! {
    fn an_erased_case_reads_as_erased_and_statistics_do_not_change(db: TestDb) {
        let mut conn = db.migrated();
        let keys = db.keys();
        let hoa = record(&mut conn, &db, &PEOPLE[0], "18073");
        let mai = record(&mut conn, &db, &PEOPLE[1], "18100");
        let before = count_by_commune(&mut conn).unwrap();

        assert!(erase_case(&mut conn, &binhan::audit::Actor::command("test"), hoa, "test", now()).unwrap());
        assert!(!erase_case(&mut conn, &binhan::audit::Actor::command("test"), hoa, "test", now()).unwrap(), "erasing twice changes nothing");

        let view = read_survivor(&mut conn, &keys, &binhan::audit::Actor::command("test"), hoa, now()).unwrap().unwrap();
        assert_eq!(view.identity, Revealed::Erased);
        assert_eq!(view.profile.sex, "female", "plain categories stay");
        assert!(find_by_name(&mut conn, &keys, PEOPLE[0].name).unwrap().is_empty(), "blind indexes go too");
        assert!(matches!(read_survivor(&mut conn, &keys, &binhan::audit::Actor::command("test"), mai, now()).unwrap().unwrap().identity, Revealed::Value(_)));
        assert_eq!(count_by_commune(&mut conn).unwrap(), before);
        assert_eq!(status(&mut conn, &keys.keyring()).unwrap().shredded, 1);
    }
}

on_both_backends! {
    fn retention_erases_only_cases_closed_longer_ago_than_the_period(db: TestDb) {
        let mut conn = db.migrated();
        let keys = db.keys();
        let old = record(&mut conn, &db, &PEOPLE[0], "18073");
        let recent = record(&mut conn, &db, &PEOPLE[1], "18073");
        let open = record(&mut conn, &db, &PEOPLE[2], "18073");
        let years_ago = |y: i64| now() - chrono::Duration::days(365 * y + 3);
        set_closed(&mut conn, &old.to_string(), years_ago(11)).unwrap();
        set_closed(&mut conn, &recent.to_string(), years_ago(1)).unwrap();

        let dry = run_retention(&mut conn, &binhan::audit::Actor::command("test"), 10, now(), true, &Quiet).unwrap();
        assert_eq!((dry.due, dry.erased), (1, 0));
        let report = run_retention(&mut conn, &binhan::audit::Actor::command("test"), 10, now(), false, &Quiet).unwrap();
        assert_eq!((report.due, report.erased), (1, 1));
        assert_eq!(read_survivor(&mut conn, &keys, &binhan::audit::Actor::command("test"), old, now()).unwrap().unwrap().identity, Revealed::Erased);
        for kept in [recent, open] {
            assert!(matches!(read_survivor(&mut conn, &keys, &binhan::audit::Actor::command("test"), kept, now()).unwrap().unwrap().identity, Revealed::Value(_)));
        }
        assert_eq!(run_retention(&mut conn, &binhan::audit::Actor::command("test"), 10, now(), false, &Quiet).unwrap().due, 0);
    }
}

fn cli(db: &TestDb, args: &[&str]) -> (bool, String, String) {
    let mut cmd = binhan();
    cmd.env("BINHAN_DATABASE_URL", &db.url_text).env("BINHAN_KEYRING_PATH", db.keyring_file()).args(args);
    let out = run_within(cmd, Duration::from_secs(120));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn data_keys_under(conn: &mut DbConn, db: &TestDb, kek: u32) -> i64 {
    let keyring = Keyring::load_file(&db.keyring_file()).unwrap();
    let report = status(conn, &keyring).unwrap();
    report.keks.iter().find(|k| k.kek == KekId(kek)).map_or(0, |k| k.data_keys)
}

on_both_backends! {
    fn a_rotation_killed_half_way_continues_and_the_old_key_then_retires(db: TestDb) {
        let mut conn = db.migrated();
        let ids: Vec<Uuid> = (0..120).map(|i| record(&mut conn, &db, &PEOPLE[i % 3], "18073")).collect();

        let mut rotation = binhan()
            .env("BINHAN_DATABASE_URL", &db.url_text)
            .env("BINHAN_KEYRING_PATH", db.keyring_file())
            .args(["keys", "rotate", "--batch-size", "5", "--pause-ms", "100"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while data_keys_under(&mut conn, &db, 2) < 10 {
            assert!(started.elapsed() < Duration::from_secs(60), "the rotation made no progress");
            std::thread::sleep(Duration::from_millis(20));
        }
        send_signal(&rotation, "KILL");
        wait_exit(&mut rotation, Duration::from_secs(10));
        let moved = data_keys_under(&mut conn, &db, 2);
        assert!(moved > 0 && data_keys_under(&mut conn, &db, 1) > 0, "killed half-way ({moved} moved)");

        let (ok, _, err) = cli(&db, &["keys", "retire", "1"]);
        assert!(!ok, "retiring a key still in use is refused");
        assert!(err.contains("still wraps") && err.contains("binhan keys rotate"), "{err}");

        let (ok, out, err) = cli(&db, &["keys", "rotate"]);
        assert!(ok, "{err}");
        assert!(out.contains("Continued the unfinished rotation to key 2"), "{out}");
        assert_eq!(data_keys_under(&mut conn, &db, 1), 0);
        assert_eq!(data_keys_under(&mut conn, &db, 2), 120);

        let (ok, _, err) = cli(&db, &["keys", "retire", "1"]);
        assert!(!ok, "right after a rotation, running servers may still wrap under key 1");
        assert!(err.contains("wait") && err.contains("then retire it"), "{err}");
        // Time passes: the servers have long picked up the new keyring.
        diesel::sql_query("UPDATE key_canaries SET created_at = '2000-01-01 00:00:00' WHERE kek_id = 2")
            .execute(&mut conn)
            .unwrap();

        let (ok, out, err) = cli(&db, &["keys", "retire", "1"]);
        assert!(ok, "{err}");
        assert!(out.contains("Key 1 is retired"), "{out}");
        let (ok, out, _) = cli(&db, &["keys", "status"]);
        assert!(ok);
        assert!(out.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["1", "retired", "0"]), "{out}");
        assert!(out.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["2", "primary", "120"]), "{out}");

        let keys = db.keys();
        for (i, id) in ids.iter().enumerate() {
            let view = read_survivor(&mut conn, &keys, &binhan::audit::Actor::command("test"), *id, now()).unwrap().unwrap();
            let Revealed::Value(who) = view.identity else { panic!("erased") };
            assert_eq!(who.full_name.as_str(), PEOPLE[i % 3].name);
        }
    }
}

on_both_backends! {
    fn reindexing_with_a_new_key_changes_every_index_and_search_still_works(db: TestDb) {
        let mut conn = db.migrated();
        let hoa = record(&mut conn, &db, &PEOPLE[0], "18073");
        let erased = record(&mut conn, &db, &PEOPLE[1], "18073");
        erase_case(&mut conn, &binhan::audit::Actor::command("test"), erased, "test", now()).unwrap();
        let before = binhan::store::cases::survivor(&mut conn, &hoa.to_string()).unwrap().unwrap().name_index;

        let (ok, out, err) = cli(&db, &["keys", "reindex", "--new-key"]);
        assert!(ok, "{err}");
        assert!(out.contains("Recomputed the blind indexes of 2 survivors"), "{out}");

        let after = binhan::store::cases::survivor(&mut conn, &hoa.to_string()).unwrap().unwrap().name_index;
        assert_ne!(before, after);
        assert_eq!(find_by_name(&mut conn, &db.keys(), "nguyen thi hoa").unwrap(), [hoa]);
        assert!(find_by_name(&mut conn, &db.keys(), PEOPLE[1].name).unwrap().is_empty());
    }
}

/// Initializes a deployment in the test's folder, then starts `serve` with the
/// given keyring file and returns its one-line refusal.
fn serve_refusal_with_keyring(db: &TestDb, keyring: &std::path::Path) -> String {
    let (ok, _, err) = cli(db, &["init"]);
    assert!(ok, "{err}");
    let mut cmd = binhan();
    cmd.env("BINHAN_DATABASE_URL", &db.url_text)
        .env("BINHAN_KEYRING_PATH", keyring)
        .env("BINHAN_BIND", format!("127.0.0.1:{}", free_port()))
        .arg("serve");
    let out = run_within(cmd, Duration::from_secs(30));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr
}

on_both_backends! {
    fn serve_with_the_wrong_keyring_refuses_to_start(db: TestDb) {
        let other = db.dir.path().join("other-keyring.toml");
        Keyring::generate().unwrap().write_file(&other).unwrap();
        let line = serve_refusal_with_keyring(&db, &other);
        assert_eq!(line, "binhan: wrong keyring: the key canary of key-encryption key 1 does not decrypt");
    }
}

#[test]
fn a_keyring_readable_by_others_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::sqlite();
    let loose = db.dir.path().join("loose-keyring.toml");
    Keyring::generate().unwrap().write_file(&loose).unwrap();
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).unwrap();
    let line = serve_refusal_with_keyring(&db, &loose);
    assert!(line.contains("mode is 0644, must be 0600"), "{line}");
    assert!(line.contains("loose-keyring.toml"), "{line}");
}

on_both_backends! {
    fn a_running_server_picks_up_a_rotated_keyring_by_itself(db: TestDb) {
        let mut conn = db.migrated();
        let keys = db.keys();
        let before = record_case(&mut conn, &keys, &binhan::audit::Actor::command("test"), "42", &input(&PEOPLE[0], "18073"), now()).unwrap().id;
        let (ok, _, err) = cli(&db, &["keys", "rotate"]);
        assert!(ok, "{err}");
        std::thread::sleep(Duration::from_millis(1100));
        // The same process-wide keyring opens keys re-wrapped under the new primary …
        assert!(matches!(read_survivor(&mut conn, &keys, &binhan::audit::Actor::command("test"), before, now()).unwrap().unwrap().identity, Revealed::Value(_)));
        // … and wraps new ones under it.
        record_case(&mut conn, &keys, &binhan::audit::Actor::command("test"), "42", &input(&PEOPLE[1], "18073"), now()).unwrap();
        assert_eq!(data_keys_under(&mut conn, &db, 2), 2);
        assert_eq!(data_keys_under(&mut conn, &db, 1), 0);
    }
}

on_both_backends! {
    fn an_erased_cases_wrapped_key_is_nowhere_in_the_database(db: TestDb) {
        use binhan::crypto::{KeyOwner, OwnerKind};
        use binhan::store::keys::{StoredKey, load_data_key};
        let mut conn = db.migrated();
        let hoa = record(&mut conn, &db, &PEOPLE[0], "18073");
        let Some(StoredKey::Wrapped(wrapped)) = load_data_key(&mut conn, &KeyOwner::new(OwnerKind::Case, hoa)).unwrap() else {
            panic!("a live key")
        };
        let before = database_bytes(&db, &mut conn);
        assert!(contains(&before, &wrapped.bytes) || contains(&before, hex::encode(&wrapped.bytes).as_bytes()));
        erase_case(&mut conn, &binhan::audit::Actor::command("test"), hoa, "test", now()).unwrap();
        let after = database_bytes(&db, &mut conn);
        assert!(!contains(&after, &wrapped.bytes), "the wrapped key's bytes are gone");
        assert!(!contains(&after, hex::encode(&wrapped.bytes).as_bytes()));
    }
}

/// The server's checkpointer (SQLite only: PostgreSQL has no such thread) runs a
/// checkpoint every 200 ms; an erasure's own checkpoint that meets one tries again,
/// so the key still leaves the files.
#[test]
fn an_erased_cases_wrapped_key_leaves_the_files_while_the_checkpointer_runs() {
    use binhan::crypto::{KeyOwner, OwnerKind};
    use binhan::store::keys::{StoredKey, load_data_key};
    let db = TestDb::sqlite();
    let settings = binhan::store::SqliteSettings { background_checkpoints: true, ..Default::default() };
    drop(db.migrated());
    let mut conn = binhan::store::connect(&db.url, settings).unwrap();
    let _checkpointer = binhan::store::Checkpointer::start(&db.url, settings).unwrap();
    for person in PEOPLE.iter().take(3) {
        let case = record(&mut conn, &db, person, "18073");
        let Some(StoredKey::Wrapped(wrapped)) =
            load_data_key(&mut conn, &KeyOwner::new(OwnerKind::Case, case)).unwrap()
        else {
            panic!("a live key")
        };
        erase_case(&mut conn, &binhan::audit::Actor::command("test"), case, "test", now()).unwrap();
        let after = database_bytes(&db, &mut conn);
        assert!(!contains(&after, &wrapped.bytes), "the wrapped key's bytes are gone");
    }
}

on_both_backends! {
    fn a_running_server_ignores_a_keyring_file_swapped_for_another(db: TestDb) {
        let mut conn = db.migrated();
        let keys = db.keys();
        let hoa = record_case(&mut conn, &keys, &binhan::audit::Actor::command("test"), "42", &input(&PEOPLE[0], "18073"), now()).unwrap().id;
        Keyring::generate().unwrap().replace_file(&db.keyring_file()).unwrap();
        std::thread::sleep(Duration::from_millis(1100));
        let view = read_survivor(&mut conn, &keys, &binhan::audit::Actor::command("test"), hoa, now()).unwrap().unwrap();
        assert!(matches!(view.identity, Revealed::Value(_)), "still the keys in use");
        let mai = record_case(&mut conn, &keys, &binhan::audit::Actor::command("test"), "42", &input(&PEOPLE[1], "18073"), now()).unwrap().id;
        let view = read_survivor(&mut conn, &keys, &binhan::audit::Actor::command("test"), mai, now()).unwrap().unwrap();
        assert!(matches!(view.identity, Revealed::Value(_)), "new data keys are wrapped under the keys in use");
        let swapped = binhan::services::keys::Keys::load(None, &db.keyring_file()).unwrap();
        let err = binhan::services::keys::verify_and_record_canaries(&mut conn, &swapped.keyring()).unwrap_err();
        assert!(err.to_string().contains("wrong keyring"), "a restart with that file is refused: {err}");
    }
}
