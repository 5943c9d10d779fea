//! The Committee's statistics and periodic reports (issue 8) through the real
//! services and app: tallies kept at intake, old communes counted in their
//! successors, small figures hidden, the reports and their downloads, and a
//! committee member who never reaches a case.

use actix_web::test::{call_service, init_service, read_body};
use binhan::domain::disclosure::Shown;
use binhan::domain::intake::{IncidentDraft, IntakeDraft, PerpetratorDraft, SurvivorDraft};
use binhan::domain::reporting::{ReportCalendar, ReportKind, TableId};
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::accounts::{self, NewAccount};
use binhan::services::auth::enrol_with_secret;
use binhan::services::cases::access::Caller;
use binhan::services::cases::intake::record_intake;
use binhan::services::stats::{self, Report, StatsError, StatsRules, tallies};
use binhan::store::DbConn;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::on_both_backends;
use crate::support::api::{SECRET, get, send, sign_in};
use crate::support::app::{PASSWORD, account, caller, state};
use crate::support::db::{TestDb, load_units};

/// Thành Sen (2025): Nam Hà, Bắc Hà and Tân Giang went wholly into it, Đại Nài
/// was split between it and another ward.
pub(crate) const THANH_SEN: &str = "18073";
const BAC_HA: &str = "18077";
const DAI_NAI: &str = "18082";
const TRAN_PHU: &str = "18100";

/// No suppression: every count as it is, to check what is counted where.
fn exact() -> StatsRules {
    StatsRules { calendar: ReportCalendar::default(), threshold: 1 }
}

pub(crate) fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 3, 0, 0).unwrap()
}

fn draft(commune: &str, reported_at: DateTime<Utc>, age_group: &str, forms: &[&str]) -> IntakeDraft {
    IntakeDraft {
        report_source: "hotline".into(),
        report_channel: "phone".into(),
        reported_at: Some(reported_at),
        commune_code: commune.into(),
        survivor: SurvivorDraft {
            full_name: "Trần Thị Mơ".into(),
            sex: "female".into(),
            age_group: age_group.into(),
            ..Default::default()
        },
        incident: IncidentDraft {
            forms: forms.iter().map(|f| f.to_string()).collect(),
            ..Default::default()
        },
        perpetrator: PerpetratorDraft {
            relationship: "spouse".into(),
            sex: "male".into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// A supervisor of the province, who records cases anywhere in it.
pub(crate) fn recorder(db: &TestDb, conn: &mut DbConn) -> Caller {
    let dung = account(db, conn, "dung", Role::Supervisor);
    caller(db, &dung)
}

pub(crate) fn take_in(conn: &mut DbConn, who: &Caller, commune: &str, when: DateTime<Utc>, n: usize) {
    for _ in 0..n {
        record_intake(conn, who, &draft(commune, when, "25-59", &["mental"])).expect("intake");
    }
}

pub(crate) fn committee(db: &TestDb, conn: &mut DbConn, username: &str, communes: &[&str]) -> Caller {
    let input = NewAccount {
        username: username.into(),
        display_name: format!("Thành viên {username}"),
        role: Role::CommitteeMember,
        communes: communes.iter().map(|c| c.to_string()).collect(),
        safe_house_id: None,
        password: Some(Zeroizing::new(PASSWORD.into())),
        enrolment_code: false,
    };
    let user = accounts::create(
        conn,
        &db.keys(),
        &binhan::audit::Actor::command("test"),
        &input,
        Utc::now().naive_utc(),
    )
    .expect("account")
    .0;
    enrol_with_secret(conn, &db.keys(), user.id, SECRET, Utc::now().naive_utc()).expect("enrol");
    caller(db, &user)
}

/// The published figure of a row of a one-column table.
fn figure(report: &Report, table: TableId, row: &str) -> Option<Shown> {
    let t = report.table(table)?;
    let i = t.rows.iter().position(|r| r == row)?;
    t.shown.cells[i].first().copied()
}

fn all_tallies(conn: &mut DbConn) -> Vec<binhan::store::stats::Tally> {
    let dims = ["commune", "age_sex", "form", "gbv_type", "perpetrator"];
    let mut rows = binhan::store::stats::tallies(conn, 190_001, 299_912, &dims, None).unwrap();
    rows.sort_by(|a, b| {
        (&a.dimension, a.month, &a.commune_code, &a.row, &a.column).cmp(&(
            &b.dimension,
            b.month,
            &b.commune_code,
            &b.row,
            &b.column,
        ))
    });
    rows
}

on_both_backends! {
    fn each_intake_counts_in_its_months_tallies_and_a_rebuild_finds_the_same(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let who = recorder(&db, &mut conn);
        record_intake(&mut conn, &who, &draft(THANH_SEN, at(2026, 3, 2), "12-15", &["physical", "mental"])).unwrap();
        record_intake(&mut conn, &who, &draft(THANH_SEN, at(2026, 3, 20), "25-59", &["economic"])).unwrap();
        // 23:30 on 31 March in UTC is 1 April in Vietnam: it counts in April.
        let late = Utc.with_ymd_and_hms(2026, 3, 31, 23, 30, 0).unwrap();
        record_intake(&mut conn, &who, &draft(TRAN_PHU, late, "60+", &["mental"])).unwrap();

        let counted = all_tallies(&mut conn);
        let march: i64 = counted.iter().filter(|t| t.dimension == "commune" && t.month == 202603).map(|t| t.cases).sum();
        let april: i64 = counted.iter().filter(|t| t.dimension == "commune" && t.month == 202604).map(|t| t.cases).sum();
        assert_eq!((march, april), (2, 1));
        let forms: i64 = counted.iter().filter(|t| t.dimension == "form").map(|t| t.cases).sum();
        assert_eq!(forms, 4, "a case with two forms counts in each");

        let actor = binhan::audit::Actor::command("test");
        assert_eq!(tallies::rebuild(&mut conn, &actor, Utc::now().naive_utc()).unwrap(), 3);
        assert_eq!(all_tallies(&mut conn), counted, "a recount from the cases finds the same tallies");
    }
}

on_both_backends! {
    fn an_old_commune_counts_in_its_successor_and_a_split_one_on_a_row_of_its_own(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let who = recorder(&db, &mut conn);
        // Before the reform of 1 July 2025, in Bắc Hà (now Thành Sen) and Đại Nài (split).
        take_in(&mut conn, &who, BAC_HA, at(2025, 3, 10), 2);
        take_in(&mut conn, &who, DAI_NAI, at(2025, 4, 10), 1);
        // After it, in Thành Sen itself.
        take_in(&mut conn, &who, THANH_SEN, at(2025, 8, 10), 3);
        let thu = committee(&db, &mut conn, "thu", &[]);

        let report = stats::report(&mut conn, &thu, &exact(), ReportKind::Annual, 2025).unwrap();
        assert_eq!(report.cases, Some(6));
        let communes = report.table(TableId::CasesByCommune).unwrap();
        assert!(!communes.rows.iter().any(|r| r == BAC_HA), "no row for a commune that is gone");
        assert_eq!(figure(&report, TableId::CasesByCommune, THANH_SEN), Some(Shown::Count(5)));
        assert_eq!(figure(&report, TableId::CasesByCommune, &format!("split:{DAI_NAI}")), Some(Shown::Count(1)));
        assert_eq!(report.commune_names.get(&format!("split:{DAI_NAI}")).map(String::as_str), Some("Phường Đại Nài"));
        assert_eq!(communes.shown.column_totals, Some(vec![Shown::Count(6)]));

        // A local member of Thành Sen sees Bắc Hà's cases in it; Đại Nài's part is not known.
        let local = committee(&db, &mut conn, "lien", &[THANH_SEN]);
        let hers = stats::report(&mut conn, &local, &exact(), ReportKind::Annual, 2025).unwrap();
        assert_eq!(hers.table(TableId::CasesByCommune).unwrap().rows, vec![THANH_SEN.to_string()]);
        assert_eq!(hers.cases, Some(5));
    }
}

on_both_backends! {
    fn a_small_figure_is_hidden_with_another_so_the_total_does_not_give_it_away(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let who = recorder(&db, &mut conn);
        take_in(&mut conn, &who, THANH_SEN, at(2026, 2, 10), 9);
        take_in(&mut conn, &who, TRAN_PHU, at(2026, 2, 11), 3);
        take_in(&mut conn, &who, "18115", at(2026, 3, 11), 7);
        let thu = committee(&db, &mut conn, "thu", &[]);
        let report = stats::report(&mut conn, &thu, &StatsRules::default(), ReportKind::HalfYear, 2026).unwrap();

        assert_eq!(report.cases, Some(19), "the number of cases is always shown");
        assert_eq!(figure(&report, TableId::CasesByCommune, TRAN_PHU), Some(Shown::Suppressed));
        let hidden = report.table(TableId::CasesByCommune).unwrap().shown.cells.iter().flatten()
            .filter(|s| **s == Shown::Suppressed).count();
        assert!(hidden >= 2, "one hidden figure alone would be the total minus the others");
        assert_eq!(report.table(TableId::CasesByCommune).unwrap().shown.column_totals, Some(vec![Shown::Count(19)]));
        for table in &report.tables {
            for (i, row) in table.shown.cells.iter().enumerate() {
                for (j, shown) in row.iter().enumerate() {
                    if let Shown::Count(n) = shown {
                        assert!(*n == 0 || *n >= 5, "{:?} row {} column {j} shows {n}", table.id, table.rows[i]);
                    }
                }
            }
        }
    }
}

on_both_backends! {
    fn with_fewer_cases_than_the_threshold_nothing_is_published(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let who = recorder(&db, &mut conn);
        take_in(&mut conn, &who, THANH_SEN, at(2026, 2, 10), 3);
        let thu = committee(&db, &mut conn, "thu", &[]);
        let report = stats::report(&mut conn, &thu, &StatsRules::default(), ReportKind::HalfYear, 2026).unwrap();
        assert!(report.withheld);
        assert_eq!(report.cases, None);
        assert!(report.tables.is_empty());
    }
}

on_both_backends! {
    fn a_report_whose_months_are_not_over_and_a_reader_who_may_not_read_are_refused(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let thu = committee(&db, &mut conn, "thu", &[]);
        let next_year = Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
        let refused = stats::report(&mut conn, &thu, &StatsRules::default(), ReportKind::Annual, next_year);
        assert!(matches!(refused, Err(StatsError::NotReady(_))), "{refused:?}");
        let hanh = account(&db, &mut conn, "hanh", Role::SocialWorker);
        let refused = stats::report(&mut conn, &caller(&db, &hanh), &StatsRules::default(), ReportKind::Annual, 2025);
        assert!(matches!(refused, Err(StatsError::Forbidden)), "{refused:?}");
    }
}

/// The figures of the commune table in a CSV download, by row label.
fn csv_figures(csv: &str, table_title: &str) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[0] == table_title)
        .map(|r| (r[1].to_string(), r[3].to_string()))
        .collect()
}

on_both_backends! {
    async fn the_committee_reads_a_report_and_its_downloads_show_the_same_hidden_figures(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let who = recorder(&db, &mut conn);
        take_in(&mut conn, &who, THANH_SEN, at(2026, 2, 10), 9);
        take_in(&mut conn, &who, TRAN_PHU, at(2026, 2, 11), 2);
        take_in(&mut conn, &who, "18115", at(2026, 3, 11), 6);
        committee(&db, &mut conn, "thu", &[]);
        let app = init_service(app(state(&db))).await;
        let cookie = sign_in(&app, "thu", true).await;

        let (status, report) = send(&app, get("/reports/half-year/2026", &cookie).insert_header(("accept-language", "vi"))).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["cases"], 17);
        let communes = report["tables"].as_array().unwrap().iter().find(|t| t["id"] == "cases_by_commune").unwrap();
        let shown: Vec<(String, Value)> = communes["rows"].as_array().unwrap().iter()
            .map(|r| (r["label"].as_str().unwrap().to_string(), r["figures"][0].clone())).collect();
        assert!(shown.iter().any(|(label, f)| label == "Phường Trần Phú" && f == "suppressed"));

        let res = call_service(&app, get("/reports/half-year/2026/csv", &cookie).insert_header(("accept-language", "vi")).to_request()).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/csv"));
        let csv = String::from_utf8(read_body(res).await.to_vec()).unwrap();
        let in_csv = csv_figures(&csv, communes["title"].as_str().unwrap());
        for (label, figure) in &shown {
            let expected = if figure == "suppressed" { "ẩn".to_string() } else { figure.to_string() };
            assert!(in_csv.contains(&(label.clone(), expected.clone())), "{label}: {expected} not in the CSV");
        }

        let res = call_service(&app, get("/reports/half-year/2026/xlsx", &cookie).to_request()).await;
        assert_eq!(res.status(), 200);
        let xlsx = read_body(res).await;
        assert_eq!(&xlsx[..2], b"PK", "an XLSX file is a zip archive");

        let exports = binhan::store::audit::reasons_on(&mut conn, "report", "half-year-2026").unwrap();
        assert!(exports.contains(&("report.read".into(), None)));
        assert!(exports.contains(&("report.export".into(), Some("csv".into()))));
        assert!(exports.contains(&("report.export".into(), Some("xlsx".into()))));

        let (status, problem) = send(&app, get("/reports/annual/2099", &cookie)).await;
        assert_eq!(status, 404, "{problem}");
        let (status, summary) = send(&app, get("/stats/summary", &cookie)).await;
        assert_eq!(status, 200, "{summary}");
        assert_eq!(summary["kind"], "annual", "the newest report with figures");

        // Found by schemathesis: a query string that does not read was a text/plain
        // 400 naming what was sent; a year without its kind was 400, not a rule's 422.
        let res = call_service(&app, get("/stats/summary?year=2026&x-odd-name=1", &cookie).to_request()).await;
        assert_eq!(res.status(), 400);
        assert_eq!(res.headers().get("content-type").unwrap(), "application/problem+json");
        assert!(!String::from_utf8(read_body(res).await.to_vec()).unwrap().contains("x-odd-name"));
        let (status, problem) = send(&app, get("/stats/summary?kind=annual&year=twenty", &cookie)).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (400, Some("query")), "{problem}");
        let (status, problem) = send(&app, get("/stats/summary?year=2026", &cookie)).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("kind")), "{problem}");
    }
}

on_both_backends! {
    async fn the_committee_home_and_dashboard_show_the_next_deadline_and_charts(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let who = recorder(&db, &mut conn);
        take_in(&mut conn, &who, THANH_SEN, at(2026, 2, 10), 6);
        take_in(&mut conn, &who, THANH_SEN, at(2026, 7, 10), 6);
        committee(&db, &mut conn, "thu", &[]);
        let app = init_service(app(state(&db))).await;
        let mut browser = crate::sign_in_pages::Browser::default();
        let code = binhan::services::auth::current_code(SECRET, Utc::now().naive_utc()).unwrap();
        let signed = crate::sign_in_pages::sign_in(&app, &mut browser, "thu", PASSWORD, &code).await;
        assert_eq!(signed.status, 303);

        let home = browser.send(&app, browser.get("/")).await;
        assert!(home.html.contains("Báo cáo sắp đến hạn"), "{}", home.html);
        assert!(home.html.contains("hạn nộp trước ngày"));
        let board = browser.send(&app, browser.get("/reports")).await;
        assert_eq!(board.status, 200);
        assert!(board.html.matches("src=\"data:image/svg+xml").count() >= 2, "charts on the dashboard");
        assert!(board.html.contains("Báo cáo năm 2026"));
        let report = browser.send(&app, browser.get("/reports/half-year/2026")).await;
        assert_eq!(report.status, 200);
        assert!(report.html.contains("data-table=\"cases_by_commune\""));
        assert!(!report.title().contains("Mơ"));
        let print = browser.send(&app, browser.get("/reports/half-year/2026/print")).await;
        assert_eq!(print.status, 200);
        let waiting = browser.send(&app, browser.get("/reports/annual/2027")).await;
        assert_eq!(waiting.status, 409);
        assert!(waiting.html.contains("số liệu có sau khi kỳ kết thúc"));
    }
}
