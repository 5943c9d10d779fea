use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::support::db::TestDb;

#[derive(QueryableByName)]
struct TextValue {
    #[diesel(sql_type = Text)]
    value: String,
}

#[derive(QueryableByName)]
struct NumberValue {
    #[diesel(sql_type = BigInt)]
    value: i64,
}

#[test]
fn sqlite_runs_in_wal_mode_with_full_sync() {
    let db = TestDb::sqlite();
    let mut conn = db.conn();
    let mode: TextValue = diesel::sql_query("SELECT journal_mode AS value FROM pragma_journal_mode")
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(mode.value, "wal");
    let sync: NumberValue = diesel::sql_query("SELECT synchronous AS value FROM pragma_synchronous")
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(sync.value, 2, "synchronous=FULL");
    assert!(db.dir.path().join("binhan.sqlite3-wal").exists(), "a WAL file sits beside the database");
}

#[test]
fn sqlite_enforces_foreign_keys_on_every_pooled_connection() {
    let db = TestDb::sqlite();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    conn.batch_execute(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY); \
         CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent (id));",
    )
    .unwrap();
    let err = conn.batch_execute("INSERT INTO child (parent_id) VALUES (42)").unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
    let fk: NumberValue = diesel::sql_query("SELECT foreign_keys AS value FROM pragma_foreign_keys")
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(fk.value, 1);
}

#[test]
fn a_waiting_writer_goes_on_within_milliseconds_of_the_lock_being_freed() {
    let db = TestDb::sqlite();
    let mut holder = db.migrated();
    holder.batch_execute("CREATE TABLE marks (n INTEGER)").unwrap();
    holder.batch_execute("BEGIN IMMEDIATE; INSERT INTO marks VALUES (1)").unwrap();
    let url = db.url.clone();
    let waiter = std::thread::spawn(move || {
        let mut conn = binhan::store::connect(&url, binhan::store::SqliteSettings::default()).unwrap();
        conn.batch_execute("BEGIN IMMEDIATE").unwrap();
        let got_the_lock = std::time::Instant::now();
        conn.batch_execute("ROLLBACK").unwrap();
        got_the_lock
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    holder.batch_execute("COMMIT").unwrap();
    let freed = std::time::Instant::now();
    let went_on = waiter.join().unwrap();
    let late = went_on.saturating_duration_since(freed);
    // SQLite's own busy timeout sleeps 100 ms between tries by then.
    assert!(late < std::time::Duration::from_millis(50), "the waiter went on {late:?} after the commit");
}

#[test]
fn a_writer_gives_up_with_database_is_locked_after_the_busy_timeout() {
    let db = TestDb::sqlite();
    let mut holder = db.migrated();
    holder
        .batch_execute("CREATE TABLE marks (n INTEGER); BEGIN IMMEDIATE; INSERT INTO marks VALUES (1)")
        .unwrap();
    let settings = binhan::store::SqliteSettings {
        busy_timeout: std::time::Duration::from_millis(200),
        ..Default::default()
    };
    let mut waiter = binhan::store::connect(&db.url, settings).unwrap();
    let started = std::time::Instant::now();
    let err = waiter.batch_execute("INSERT INTO marks VALUES (2)").unwrap_err();
    let waited = started.elapsed();
    assert!(err.to_string().contains("database is locked"), "{err}");
    assert!(waited >= std::time::Duration::from_millis(180), "waited only {waited:?}");
    assert!(waited < std::time::Duration::from_secs(2), "waited {waited:?}");
    holder.batch_execute("ROLLBACK").unwrap();
}

#[test]
fn with_background_checkpoints_commits_leave_the_log_to_the_checkpointer() {
    let db = TestDb::sqlite();
    let settings = binhan::store::SqliteSettings { background_checkpoints: true, ..Default::default() };
    let mut conn = binhan::store::connect(&db.url, settings).unwrap();
    conn.batch_execute("CREATE TABLE pages (body BLOB)").unwrap();
    // About 2,000 pages in one commit: twice the log size at which a commit would
    // write it back.
    conn.batch_execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) \
         INSERT INTO pages SELECT randomblob(3000) FROM n",
    )
    .unwrap();
    let file = |db: &TestDb| match &db.url {
        binhan::store::DatabaseUrl::Sqlite(path) => std::fs::metadata(path).unwrap().len(),
        _ => unreachable!(),
    };
    assert!(file(&db) < 1 << 20, "no commit wrote the log back: {} bytes", file(&db));

    let checkpointer = binhan::store::Checkpointer::start(&db.url, settings).unwrap().expect("SQLite");
    let started = std::time::Instant::now();
    while file(&db) < 6 << 20 && started.elapsed() < std::time::Duration::from_secs(5) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(file(&db) >= 6 << 20, "the checkpointer wrote the log back: {} bytes", file(&db));
    drop(checkpointer);
}

/// A request that waited for the write lock past the busy timeout (a command
/// holding it far too long) is told to come back: 503, never a 500.
#[actix_web::test]
async fn a_request_that_waits_past_the_busy_timeout_answers_503() {
    use crate::support::api::{post, send, sign_in};
    use crate::support::app::{account, config, policies};
    use binhan::store::{PoolSettings, SqliteSettings, open_pool};

    let db = TestDb::sqlite();
    let mut conn = db.migrated();
    crate::support::db::load_units(&mut conn);
    account(&db, &mut conn, "hanh", binhan::domain::role::Role::SocialWorker);
    let sqlite = SqliteSettings { busy_timeout: std::time::Duration::from_millis(100), ..Default::default() };
    let pool = open_pool(&db.url, PoolSettings { size: 2, sqlite, ..PoolSettings::default() }).unwrap();
    let state = binhan::http::AppState::new(pool, config(&db), db.keys(), policies());
    let app = actix_web::test::init_service(binhan::http::app(state)).await;
    let hanh = sign_in(&app, "hanh", false).await;

    conn.batch_execute("BEGIN IMMEDIATE").unwrap();
    let body = crate::support::intake::intake_json("Chị Hoa", "18073");
    let (status, problem) = send(&app, post("/cases", &hanh, body)).await;
    conn.batch_execute("ROLLBACK").unwrap();
    assert_eq!((status, problem["code"].as_str()), (503, Some("unavailable")), "{problem}");
}
