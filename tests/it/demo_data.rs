//! `binhan demo`'s fictional cases (issue: demo data): a province's worth of
//! cases over the last two years, in every state, recorded through the services;
//! afterwards the audit chain still verifies.

use std::sync::Arc;

use binhan::audit::Actor;
use binhan::authz::{Policies, PolicySource, Principal};
use binhan::domain::deadlines::Holidays;
use binhan::domain::lifecycle::CaseStatus;
use binhan::services::auth::user_view;
use binhan::services::cases::access::Caller;
use binhan::services::cases::listing::{ListFilter, needing_attention};

use crate::case_lists::every_page as list;
use binhan::services::cases::{approvals, detail};
use binhan::services::demo::{
    DemoWorld, create_accounts, create_house_staff, create_safe_houses, seed_cases,
};
use binhan::services::keys::Quiet;
use binhan::store::DbConn;
use chrono::{Datelike, Duration, NaiveDate, Utc};

use crate::on_both_backends;
use crate::support::db::load_units;

fn caller_as(conn: &mut DbConn, world: &DemoWorld, username: &str) -> Caller {
    let row = binhan::store::users::by_username(conn, username).unwrap().expect("demo account");
    let user = user_view(conn, &row).unwrap();
    Caller {
        principal: Principal::of(&user, &world.province),
        actor: Actor::user(user.id, user.role, None),
        now: Utc::now(),
        policies: world.policies.clone(),
        keys: world.keys.clone(),
        holidays: world.holidays.clone(),
    }
}

/// The demo as `binhan demo` makes it: accounts, houses, two years of cases.
fn seeded_demo(
    db: &crate::support::db::TestDb,
    conn: &mut DbConn,
    now: chrono::DateTime<Utc>,
) -> (DemoWorld, usize) {
    load_units(conn);
    let world = DemoWorld {
        province: "42".into(),
        keys: Arc::new(db.keys()),
        policies: Arc::new(Policies::load(&PolicySource::BuiltIn).unwrap()),
        holidays: Arc::new(Holidays::fixed_dates(2024..=2027)),
    };
    create_accounts(conn, &world.keys, now.naive_utc()).unwrap();
    create_safe_houses(conn, &world, now).unwrap();
    create_house_staff(conn, &world.keys, now.naive_utc()).unwrap();
    let created = seed_cases(conn, &world, now, &Quiet).expect("seeded");
    (world, created)
}

on_both_backends! {
    fn the_demo_has_past_safe_house_stays_so_the_reports_placements_have_figures(db: TestDb) {
        use binhan::domain::disclosure::Shown;
        use binhan::domain::reporting::{ReportKind, TableId};
        use binhan::services::stats::{self, StatsRules};

        let mut conn = db.migrated();
        let now = Utc::now();
        let (world, _) = seeded_demo(&db, &mut conn, now);
        let thu = caller_as(&mut conn, &world, "thu");
        let year = if now.month() >= 11 { now.year() } else { now.year() - 1 };
        let rules = StatsRules::default();
        let report = stats::report(&mut conn, &thu, &rules, ReportKind::Annual, year).expect("last year's report");
        let table = report.table(TableId::Placements).expect("the placements table");
        let shown: Vec<u64> = table
            .shown
            .cells
            .iter()
            .flatten()
            .filter_map(|cell| match cell {
                Shown::Count(n) => Some(*n),
                Shown::Suppressed => None,
            })
            .collect();
        assert!(shown.iter().any(|n| *n > 0), "the annual report {year} shows no stay: {:?}", table.shown.cells);
    }
}

on_both_backends! {
    fn the_demo_province_has_two_years_of_cases_in_every_state(db: TestDb) {
        let mut conn = db.migrated();
        let now = Utc::now();
        let (world, created) = seeded_demo(&db, &mut conn, now);
        assert!(created >= 200, "{created} cases");

        let dung = caller_as(&mut conn, &world, "dung");
        let all = list(&mut conn, &dung, &ListFilter::default()).unwrap();
        assert_eq!(all.len(), created, "the supervisor sees the whole province");
        let two_years_ago = now - Duration::days(731);
        assert!(all.iter().all(|c| c.reported_at > two_years_ago && c.reported_at <= now));
        for status in CaseStatus::ALL {
            assert!(all.iter().any(|c| c.status == status.as_str()), "no case in {status}");
        }

        // Before the reform, cases were recorded in communes that are gone now.
        let reform = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        let today = now.date_naive();
        let mut in_old_communes = 0;
        for case in all.iter().filter(|c| c.reported_at.date_naive() < reform) {
            if binhan::store::admin_units::commune_on(&mut conn, &case.commune_code, today).unwrap().is_none() {
                in_old_communes += 1;
            }
        }
        assert!(in_old_communes > 0, "no pre-reform case in a commune no longer in force");

        let queue = approvals::queue(&mut conn, &dung).unwrap();
        assert!(queue.iter().any(|a| a.kind.as_str() == "closure"), "no closure request waiting");
        assert!(queue.iter().any(|a| a.kind.as_str() == "consent_override"), "no override waiting");

        let hanh = caller_as(&mut conn, &world, "hanh");
        let open = list(&mut conn, &hanh, &ListFilter { open_only: true, ..Default::default() }).unwrap();
        assert!((30..=70).contains(&open.len()), "Chị Hạnh has {} open cases", open.len());
        let attention = needing_attention(&mut conn, &hanh).unwrap();
        assert!(attention.iter().any(|c| c.overdue > 0), "nothing overdue in Chị Hạnh's communes");

        // Every survivor is readable by the supervisor, but the erased ones.
        let mut erased = 0;
        for case in &all {
            let id = case.id.parse().unwrap();
            let shown = detail::case_detail(&mut conn, &dung, id).expect("the supervisor reads every case");
            if shown.survivor.is_none() {
                erased += 1;
            }
        }
        assert!((1..=3).contains(&erased), "{erased} erased cases");

        statistics_count_old_communes_in_their_successors(&mut conn, &world, &all);
        binhan::store::audit::verify(&mut conn).expect("the audit chain verifies");
    }
}

/// The annual report of 2025 (November 2024 to October 2025) spans the reform of
/// 1 July 2025: each case recorded in a commune that is gone counts in the one
/// it became part of, and a split commune's on a row of its own (issue 8).
fn statistics_count_old_communes_in_their_successors(
    conn: &mut DbConn,
    world: &DemoWorld,
    all: &[binhan::services::cases::listing::CaseSummary],
) {
    use binhan::domain::disclosure::Shown;
    use binhan::domain::reporting::{ReportCalendar, ReportKind, TableId};
    use binhan::services::stats::{self, StatsRules};
    use std::collections::BTreeMap;

    let thu = caller_as(conn, world, "thu");
    let exact = StatsRules { calendar: ReportCalendar::default(), threshold: 1 };
    let report = stats::report(conn, &thu, &exact, ReportKind::Annual, 2025).expect("the 2025 report");
    let vietnam = |at: chrono::DateTime<Utc>| (at + Duration::hours(7)).date_naive();
    let first = NaiveDate::from_ymd_opt(2024, 11, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2025, 10, 31).unwrap();
    let reform = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    let in_period: Vec<_> = all.iter().filter(|c| (first..=last).contains(&vietnam(c.reported_at))).collect();
    assert!(in_period.iter().any(|c| vietnam(c.reported_at) < reform), "no case before the reform");
    assert!(in_period.iter().any(|c| vietnam(c.reported_at) >= reform), "no case after the reform");

    let today = Utc::now().date_naive();
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for case in &in_period {
        let code = &case.commune_code;
        let row = if binhan::store::admin_units::commune_on(conn, code, today).unwrap().is_some() {
            code.clone()
        } else {
            match binhan::store::admin_units::successors_of(conn, code).unwrap().as_slice() {
                [(one, _)] => one.clone(),
                _ => format!("split:{code}"),
            }
        };
        *expected.entry(row).or_default() += 1;
    }
    let table = report.table(TableId::CasesByCommune).unwrap();
    let counted: BTreeMap<String, u64> = table
        .rows
        .iter()
        .zip(&table.shown.cells)
        .filter_map(|(row, cells)| match cells[0] {
            Shown::Count(0) => None,
            Shown::Count(n) => Some((row.clone(), n)),
            Shown::Suppressed => panic!("nothing is hidden with a threshold of 1"),
        })
        .collect();
    assert_eq!(counted, expected, "cases by commune, old communes in their successors");
    assert_eq!(report.cases, Some(in_period.len() as u64));
    let gone: Vec<&String> = counted
        .keys()
        .filter(|code| !code.starts_with("split:"))
        .filter(|code| binhan::store::admin_units::commune_on(conn, code, today).unwrap().is_none())
        .collect();
    assert!(gone.is_empty(), "rows for communes that are gone: {gone:?}");
}
