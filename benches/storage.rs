//! Storage figures: what one committed transaction costs on SQLite with
//! `synchronous=FULL` (our setting: a commit survives power loss) against `NORMAL`,
//! measured in the same run, and a commune lookup on the shipped units.

use binhan::store::{self, DatabaseUrl, DbConn, SqliteSettings, admin_units, migrations};
use criterion::Criterion;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Binary, Text};

fn sqlite(dir: &std::path::Path, name: &str) -> DbConn {
    let url = DatabaseUrl::Sqlite(dir.join(name));
    store::connect(&url, SqliteSettings::default()).expect("open SQLite")
}

fn insert_one(conn: &mut DbConn, payload: &[u8]) {
    conn.transaction(|conn| {
        diesel::sql_query("INSERT INTO bench_rows (id, payload) VALUES (?, ?)")
            .bind::<Text, _>(uuid::Uuid::now_v7().to_string())
            .bind::<Binary, _>(payload)
            .execute(conn)
    })
    .expect("insert");
}

pub fn commit_cost(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut full = sqlite(dir.path(), "full.sqlite3");
    let mut normal = sqlite(dir.path(), "normal.sqlite3");
    normal.batch_execute("PRAGMA synchronous = NORMAL").expect("pragma");
    for conn in [&mut full, &mut normal] {
        conn.batch_execute("CREATE TABLE bench_rows (id TEXT PRIMARY KEY, payload BLOB NOT NULL)")
            .expect("table");
    }
    let payload = vec![7u8; 1500];
    let mut group = c.benchmark_group("sqlite_commit_one_row");
    group.bench_function("synchronous_full", |b| b.iter(|| insert_one(&mut full, &payload)));
    group.bench_function("synchronous_normal", |b| b.iter(|| insert_one(&mut normal, &payload)));
    group.finish();
}

pub fn commune_lookup(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut conn = sqlite(dir.path(), "units.sqlite3");
    migrations::run_pending(&mut conn).expect("migrate");
    binhan::services::units::import_ha_tinh(&mut conn).expect("units");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).expect("date");
    c.bench_function("commune_in_force_lookup", |b| {
        b.iter(|| admin_units::commune_on(&mut conn, "18073", day).expect("lookup"))
    });
}
