//! The Committee's summary over a million cases (issue 8): Bình An's
//! `stats::summary` (policy check, the tally queries, disclosure control of every
//! table, the audit event, one transaction) against the same aggregation written
//! directly in SQL on the same database, in the same run; and, for scale, the
//! same figures counted straight from the case tables, which is what the monthly
//! tallies save.
//!
//! `cargo bench --bench core -- stats_summary_1m` (the set-up loads a million
//! generated cases into a temporary SQLite database first: about a minute).

use binhan::domain::reporting::ReportKind;
use binhan::domain::role::Role;
use binhan::services::stats::{self, StatsRules};
use binhan::store::DbConn;
use chrono::Utc;
use criterion::Criterion;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};

/// A million cases when benchmarking; ten thousand when `cargo test` runs the
/// benchmark once to check it works.
fn cases() -> i64 {
    if std::env::args().any(|a| a == "--bench") { 1_000_000 } else { 10_000 }
}

/// A million cases in the annual period November 2025 – October 2026, spread
/// over Hà Tĩnh's old and new communes, ages, sexes, forms and perpetrators.
/// Sealed columns hold random bytes: no figure here reads them.
fn load_cases(conn: &mut DbConn) {
    conn.batch_execute(&format!(
        "PRAGMA synchronous = OFF;
         BEGIN;
         CREATE TEMP TABLE bench_communes AS
           SELECT row_number() OVER (ORDER BY code) - 1 AS i, code FROM
             (SELECT DISTINCT code FROM admin_units WHERE length(code) = 5);
         CREATE TEMP TABLE bench_n AS
           WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {last})
           SELECT i FROM n;
         INSERT INTO cases (id, case_number, commune_code, status, reported_at, created_at, updated_at,
                            report_source, report_channel, immediate_danger)
           SELECT printf('bench-%030d', i), printf('42-2026-%07d', i),
                  (SELECT code FROM bench_communes WHERE bench_communes.i = n.i % (SELECT count(*) FROM bench_communes)),
                  'closed',
                  datetime('2025-10-31 17:00:00', '+' || (i % 365) || ' days', '+' || (i % 24) || ' hours'),
                  datetime('2025-10-31 18:00:00', '+' || (i % 365) || ' days'),
                  datetime('2025-10-31 18:00:00', '+' || (i % 365) || ' days'),
                  'hotline', 'phone', FALSE
           FROM bench_n n;
         INSERT INTO survivors (case_id, full_name, sex, age_group, is_child, has_disability)
           SELECT printf('bench-%030d', i), randomblob(60),
                  CASE i % 7 WHEN 0 THEN 'male' WHEN 1 THEN 'unknown' ELSE 'female' END,
                  CASE i % 9 WHEN 0 THEN '0-5' WHEN 1 THEN '6-11' WHEN 2 THEN '12-15' WHEN 3 THEN '16-17'
                             WHEN 4 THEN '18-24' WHEN 5 THEN '60+' ELSE '25-59' END,
                  i % 9 < 3, i % 13 = 0
           FROM bench_n;
         INSERT INTO incidents (case_id, gbv_type)
           SELECT printf('bench-%030d', i),
                  CASE i % 5 WHEN 0 THEN 'physical_assault' WHEN 1 THEN 'psychological_abuse' WHEN 2 THEN NULL
                             WHEN 3 THEN 'denial_of_resources' ELSE 'sexual_assault' END
           FROM bench_n;
         INSERT INTO incident_codes (case_id, list, code)
           SELECT printf('bench-%030d', i), 'form', CASE i % 4 WHEN 0 THEN 'physical' WHEN 1 THEN 'mental'
                                                               WHEN 2 THEN 'economic' ELSE 'sexual' END
           FROM bench_n;
         INSERT INTO incident_codes (case_id, list, code)
           SELECT printf('bench-%030d', i), 'form', 'mental' FROM bench_n WHERE i % 3 = 0 AND i % 4 <> 1;
         INSERT INTO perpetrators (case_id, sex, relationship)
           SELECT printf('bench-%030d', i), CASE i % 6 WHEN 0 THEN 'female' ELSE 'male' END,
                  CASE i % 4 WHEN 0 THEN 'parent' WHEN 1 THEN 'in_law' ELSE 'spouse' END
           FROM bench_n;
         COMMIT;
         PRAGMA synchronous = FULL;",
        last = cases() - 1
    ))
    .expect("generated cases");
}

/// The two queries `stats::summary` runs on the tallies, written directly.
fn raw_summary_sql(conn: &mut DbConn) -> usize {
    #[derive(QueryableByName)]
    struct CommuneRow {
        #[diesel(sql_type = Integer)]
        _month: i32,
        #[diesel(sql_type = Text)]
        _commune: String,
        #[diesel(sql_type = Integer)]
        cases: i32,
    }
    #[derive(QueryableByName)]
    struct GroupRow {
        #[diesel(sql_type = Text)]
        _dimension: String,
        #[diesel(sql_type = Integer)]
        _month: i32,
        #[diesel(sql_type = Text)]
        _row: String,
        #[diesel(sql_type = Text)]
        _column: String,
        #[diesel(sql_type = BigInt)]
        cases: i64,
    }
    conn.transaction(|conn| {
        let communes: Vec<CommuneRow> = diesel::sql_query(
            "SELECT month AS _month, commune_code AS _commune, cases FROM stat_tallies \
             WHERE month BETWEEN 202511 AND 202610 AND dimension = 'commune'",
        )
        .load(conn)?;
        let groups: Vec<GroupRow> = diesel::sql_query(
            "SELECT dimension AS _dimension, month AS _month, row_key AS _row, col_key AS _column, \
                    SUM(cases) AS cases FROM stat_tallies \
             WHERE month BETWEEN 202511 AND 202610 AND dimension IN ('age_sex', 'form', 'gbv_type', 'perpetrator') \
             GROUP BY dimension, month, row_key, col_key",
        )
        .load(conn)?;
        let total: i64 = communes.iter().map(|r| i64::from(r.cases)).sum();
        assert_eq!(total, cases());
        diesel::QueryResult::Ok(
            communes.len() + groups.len() + usize::from(groups.iter().all(|g| g.cases > 0)),
        )
    })
    .expect("raw summary")
}

/// The same figures counted from the case tables, without tallies.
fn raw_from_case_tables(conn: &mut DbConn) -> usize {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let period = "c.reported_at >= '2025-10-31 17:00:00' AND c.reported_at < '2026-10-31 17:00:00'";
    let queries = [
        format!(
            "SELECT COUNT(*) AS n FROM cases c WHERE {period} GROUP BY strftime('%Y%m', c.reported_at, '+7 hours'), c.commune_code"
        ),
        format!(
            "SELECT COUNT(*) AS n FROM cases c JOIN survivors s ON s.case_id = c.id WHERE {period} GROUP BY strftime('%Y%m', c.reported_at, '+7 hours'), s.age_group, s.sex"
        ),
        format!(
            "SELECT COUNT(*) AS n FROM cases c JOIN incident_codes f ON f.case_id = c.id AND f.list = 'form' WHERE {period} GROUP BY strftime('%Y%m', c.reported_at, '+7 hours'), f.code"
        ),
    ];
    let counted: i64 = queries
        .iter()
        .flat_map(|q| diesel::sql_query(q).load::<Count>(conn).expect("raw count"))
        .map(|c| c.n)
        .sum();
    usize::try_from(counted).unwrap_or(0)
}

pub fn summary_over_a_million_cases(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut conn = crate::province::database(&dir.path().join("million.sqlite3"));
    load_cases(&mut conn);
    let actor = binhan::audit::Actor::command("bench");
    let counted = stats::tallies::rebuild(&mut conn, &actor, Utc::now().naive_utc()).expect("tallies");
    assert_eq!(counted as i64, cases());

    let thu = crate::province::caller(Role::CommitteeMember, "0199c0de-0000-7000-8000-0000000000aa");
    let rules = StatsRules::default();
    let summary = stats::summary(&mut conn, &thu, &rules, ReportKind::Annual, 2026).expect("summary");
    assert_eq!(summary.cases.map(|n| n as i64), Some(cases()));

    let mut group = c.benchmark_group("stats_summary_1m");
    group.sample_size(20);
    group.bench_function("binhan_summary", |b| {
        b.iter(|| stats::summary(&mut conn, &thu, &rules, ReportKind::Annual, 2026).expect("summary"))
    });
    group.bench_function("raw_sql_same_aggregation", |b| b.iter(|| raw_summary_sql(&mut conn)));
    group.sample_size(10);
    group.bench_function("raw_sql_from_case_tables", |b| b.iter(|| raw_from_case_tables(&mut conn)));
    group.finish();
}
