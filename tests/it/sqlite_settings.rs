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
fn sqlite_waits_for_a_busy_writer_instead_of_failing() {
    let db = TestDb::sqlite();
    let mut conn = db.conn();
    let timeout: NumberValue =
        diesel::sql_query("SELECT timeout AS value FROM pragma_busy_timeout").get_result(&mut conn).unwrap();
    assert_eq!(timeout.value, 5000);
}
