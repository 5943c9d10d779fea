//! The case list over 10,000 cases on SQLite (issue 16, item 5): a supervisor's
//! first page (the province, open cases, 50 rows with the counts per filter
//! value), the second page through the first one's cursor, and an overdue-only
//! first page — each the whole `listing::page` (the keyset query, the policy check
//! of each row, the deadlines of the page, the GROUP BY counts).
//!
//! `cargo bench --bench core -- case_list_10k` (the set-up generates the cases in
//! SQL first: about a second). The target is under 50 ms for a page.

use binhan::domain::role::Role;
use binhan::services::cases::listing::{self, ListFilter};
use binhan::store::DbConn;
use criterion::Criterion;
use diesel::connection::SimpleConnection;

const CASES: i64 = 10_000;

/// Ten thousand cases reported over the two years before 6 December 2026, in
/// every commune of Hà Tĩnh and every step; four in five open, most of those with
/// a deadline (some past), a third of children, with risk levels. Sealed columns
/// hold random bytes: a list reads none.
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
                            report_source, report_channel, immediate_danger, risk_level, next_due_at)
           SELECT printf('0190c1f2-0000-7000-8000-%012d', i), printf('42-2026-%05d', i),
                  (SELECT code FROM bench_communes WHERE bench_communes.i = n.i % (SELECT count(*) FROM bench_communes)),
                  CASE i % 10 WHEN 0 THEN 'closed' WHEN 1 THEN 'closed' WHEN 2 THEN 'intake'
                              WHEN 3 THEN 'assessment' WHEN 4 THEN 'action_planning' WHEN 5 THEN 'follow_up'
                              ELSE 'implementation' END,
                  datetime('2024-12-06 03:00:00', '+' || (i % 730) || ' days', '+' || (i % 24) || ' hours'),
                  datetime('2024-12-06 03:00:00', '+' || (i % 730) || ' days'),
                  datetime('2024-12-06 03:00:00', '+' || (i % 730) || ' days'),
                  'hotline', 'phone', FALSE,
                  CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN 'low' WHEN 2 THEN 'medium' WHEN 3 THEN 'high' ELSE 'severe' END,
                  CASE WHEN i % 10 < 2 OR i % 7 = 0 THEN NULL
                       ELSE datetime('2026-11-20 03:00:00', '+' || (i % 40) || ' days', '+' || (i % 11) || ' hours') END
           FROM bench_n n;
         INSERT INTO survivors (case_id, full_name, sex, age_group, is_child, has_disability)
           SELECT printf('0190c1f2-0000-7000-8000-%012d', i), randomblob(60), 'female',
                  CASE i % 3 WHEN 0 THEN '12-15' ELSE '25-59' END, i % 3 = 0, FALSE
           FROM bench_n;
         COMMIT;
         PRAGMA synchronous = FULL;
         ANALYZE;",
        last = CASES - 1
    ))
    .expect("generated cases");
}

pub fn supervisor_pages_over_10k_cases(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut conn = crate::province::database(&dir.path().join("lists.sqlite3"));
    load_cases(&mut conn);
    let dung = crate::province::caller(Role::Supervisor, "0199c0de-0000-7000-8000-0000000000bb");
    let open = ListFilter { open_only: true, ..Default::default() };
    let overdue = ListFilter { overdue_only: true, ..open.clone() };
    let size = listing::PAGE_SIZE;
    let first = listing::page(&mut conn, &dung, &open, None, size).expect("first page");
    assert_eq!(first.items.len(), size);
    assert_eq!(first.counts.total, CASES * 8 / 10, "the open cases of the province");
    let cursor = first.next_cursor.expect("a second page");
    let second = listing::page(&mut conn, &dung, &open, Some(&cursor), size).expect("second page");
    assert_eq!(second.items.len(), size);
    assert!(second.items.iter().all(|c| first.items.iter().all(|f| f.id != c.id)));

    let mut group = c.benchmark_group("case_list_10k");
    group.sample_size(30);
    group.bench_function("supervisor_first_page", |b| {
        b.iter(|| listing::page(&mut conn, &dung, &open, None, size).expect("page"))
    });
    group.bench_function("supervisor_second_page_by_cursor", |b| {
        b.iter(|| listing::page(&mut conn, &dung, &open, Some(&cursor), size).expect("page"))
    });
    group.bench_function("supervisor_overdue_first_page", |b| {
        b.iter(|| listing::page(&mut conn, &dung, &overdue, None, size).expect("page"))
    });
    group.finish();
}
