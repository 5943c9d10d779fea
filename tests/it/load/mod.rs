//! The load test (issue 9): signed-in users of every role drive a real `binhan
//! serve` over HTTP — intake, opening cases, lists, notes, placement requests, the
//! houses' boards, the supervisors' queues, statistics — while the server's memory
//! is sampled; in the same run a database of the same schema does the same SQL
//! work as intake and opening a case without HTTP, policies or encryption (`raw`),
//! so the ratio says how close the service comes to its storage.
//!
//! `load_test_smoke` runs a few users for a second a phase on both backends in
//! every test run: every request answers as it should, and the raw workloads issue
//! as many statements as the service does for the same work. The measurement runs
//! on demand against the release build (docs/PERFORMANCE.md):
//! `cargo build --release && BINHAN_BIN=$PWD/target/release/binhan cargo test
//! --release --test it load::measure_ -- --ignored --nocapture --test-threads 1`.

mod client;
mod measure;
pub mod raw;
pub mod users;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use binhan::domain::role::Role;

use crate::support::app::{account, safe_house, staff_of, worker_of};
use crate::support::db::{TestDb, load_units};
use crate::support::process::Server;
use measure::{Figures, MemoryWatch, Tally, figures, run_users, status_kib};
use users::{Think, User};

/// How many users of each role, how long each phase runs, how long a user
/// thinks between two requests in the phases that model people at work.
pub struct Plan {
    pub social_workers: usize,
    pub safe_house_staff: usize,
    pub supervisors: usize,
    pub committee_members: usize,
    pub phase: Duration,
    pub think: Duration,
    /// The pause of a person who reads what she opened before the next click.
    pub pace: Duration,
    /// Connections of the raw workloads: the server's database pool size.
    pub raw_connections: usize,
    /// Each user takes her role's operations in turn rather than by weight.
    pub in_turn: bool,
}

impl Plan {
    /// The measurement: 200 social workers, and staff, supervisors and committee
    /// members as a province has them; `BINHAN_LOAD_SECONDS` a phase (default 20).
    fn measurement() -> Plan {
        let seconds = std::env::var("BINHAN_LOAD_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
        Plan {
            social_workers: 200,
            safe_house_staff: 20,
            supervisors: 10,
            committee_members: 10,
            phase: Duration::from_secs(seconds),
            think: Duration::from_secs(1),
            pace: Duration::from_secs(5),
            raw_connections: 8,
            in_turn: false,
        }
    }

    fn smoke() -> Plan {
        Plan {
            social_workers: 6,
            safe_house_staff: 2,
            supervisors: 2,
            committee_members: 2,
            phase: Duration::from_millis(800),
            think: Duration::from_millis(20),
            pace: Duration::from_millis(50),
            raw_connections: 2,
            in_turn: true,
        }
    }
}

/// One phase's result.
pub struct Phase {
    pub name: &'static str,
    pub users: usize,
    pub figures: Vec<Figures>,
    pub errors: Vec<String>,
    pub peak_rss_mib: f64,
}

/// The whole run's results.
pub struct Report {
    pub backend: &'static str,
    pub phases: Vec<Phase>,
    /// The server's highest resident memory over its whole life (VmHWM).
    pub lifetime_peak_rss_mib: f64,
    /// The server's warnings and errors when a request failed, to say why.
    pub log_tail: String,
}

impl Report {
    fn phase(&self, name: &str) -> &Phase {
        self.phases.iter().find(|p| p.name == name).expect("phase")
    }

    /// Throughput of one operation of a phase.
    fn rate(&self, phase: &str, operation: &str) -> f64 {
        self.phase(phase).figures.iter().find(|f| f.operation == operation).map_or(0.0, |f| f.per_second)
    }

    fn print(&self) {
        eprintln!("\n### {}\n", self.backend);
        eprintln!("| phase | users | operation | answered | per second | p50 | p99 | errors | peak RSS |");
        eprintln!("|---|---|---|---|---|---|---|---|---|");
        for phase in &self.phases {
            for f in &phase.figures {
                eprintln!(
                    "| {} | {} | {} | {} | {:.0} | {:.1} ms | {:.1} ms | {} | {:.0} MiB |",
                    phase.name,
                    phase.users,
                    f.operation,
                    f.count,
                    f.per_second,
                    f.p50.as_secs_f64() * 1e3,
                    f.p99.as_secs_f64() * 1e3,
                    f.errors,
                    phase.peak_rss_mib
                );
            }
        }
        let ratio = |service: f64, raw: f64| if raw > 0.0 { service / raw } else { 0.0 };
        eprintln!(
            "\nintake: service {:.0}/s, raw {:.0}/s, ratio {:.2}; open a case: service {:.0}/s, raw {:.0}/s, \
             ratio {:.2}; server peak RSS over its life {:.0} MiB",
            self.rate(INTAKE, "intake"),
            self.rate(RAW_INTAKE, "raw intake"),
            ratio(self.rate(INTAKE, "intake"), self.rate(RAW_INTAKE, "raw intake")),
            self.rate(OPEN_SATURATED, "open case"),
            self.rate(RAW_OPEN, "raw open case"),
            ratio(self.rate(OPEN_SATURATED, "open case"), self.rate(RAW_OPEN, "raw open case")),
            self.lifetime_peak_rss_mib
        );
    }
}

const INTAKE: &str = "intake, no pause";
const RAW_INTAKE: &str = "raw intake";
const OPEN_AT_WORK: &str = "open case, users at work";
const OPEN_SATURATED: &str = "open case, no pause";
const RAW_OPEN: &str = "raw open case";
const ALONE: &str = "one user of each role, no pause";
const MIX: &str = "mix of every role, users at work";
const MIX_PACED: &str = "mix of every role, a person's pace";

/// Accounts of every role (the second factor enrolled where the role needs one),
/// one safe house; returns the users, not yet signed in, and the house.
fn accounts(db: &TestDb, plan: &Plan) -> (Vec<User>, String) {
    let mut conn = db.migrated();
    load_units(&mut conn);
    let house = safe_house(db, &mut conn, "Nhà tạm lánh Thành Sen", 500);
    let communes = communes_in_force(&mut conn);
    let mut people = Vec::new();
    let mut add = |role: Role, count: usize, prefix: &str| {
        for i in 0..count {
            let username = format!("{prefix}{i:03}");
            let commune = &communes[i % communes.len()];
            let view = match role {
                Role::SafeHouseStaff => staff_of(db, &mut conn, &username, &house),
                Role::SocialWorker => worker_of(db, &mut conn, &username, &[commune]),
                _ => account(db, &mut conn, &username, role),
            };
            if role.requires_second_factor() {
                let now = chrono::Utc::now().naive_utc();
                binhan::services::auth::enrol_with_secret(&mut conn, &db.keys(), view.id, users::SECRET, now)
                    .expect("enrol the second factor");
            }
            let mut user = User::new(username, role, people.len() as u64);
            user.commune = commune.clone();
            people.push(user);
        }
    };
    add(Role::SocialWorker, plan.social_workers, "canbo");
    add(Role::SafeHouseStaff, plan.safe_house_staff, "nhanvien");
    add(Role::Supervisor, plan.supervisors, "giamsat");
    add(Role::CommitteeMember, plan.committee_members, "uyban");
    (people, house)
}

/// Hà Tĩnh's communes and wards of today: each social worker works in one, as in
/// the province, so that each sees her commune's cases.
fn communes_in_force(conn: &mut binhan::store::DbConn) -> Vec<String> {
    use binhan::store::schema::admin_units::dsl::*;
    use diesel::prelude::*;
    admin_units
        .filter(kind.eq_any(["xa", "phuong", "thi_tran"]).and(valid_to.is_null()))
        .select(code)
        .order_by(code)
        .load(conn)
        .expect("the communes")
}

/// Runs every phase against a fresh server on `db`, the raw workloads on `raw_db`.
pub fn run(db: TestDb, raw_db: TestDb, plan: &Plan) -> Report {
    let backend = if db.schema().is_some() { "PostgreSQL" } else { "SQLite" };
    let (people, house) = accounts(&db, plan);
    let server = Server::start(&db);
    let memory = MemoryWatch::start(server.child.id());
    let port = server.port;
    let mut phases = Vec::new();
    let mut phase = |name, users: usize, tally: &Tally, elapsed: Duration| {
        eprintln!("load test, {backend}: {name} done in {:.1} s", elapsed.as_secs_f64());
        phases.push(Phase {
            name,
            users,
            figures: figures(tally, elapsed),
            errors: tally.errors.values().flatten().take(5).cloned().collect(),
            peak_rss_mib: memory.take_peak_mib(),
        });
    };

    let people = users::sign_in_all(people, port);
    let (workers, others): (Vec<User>, Vec<User>) =
        people.into_iter().partition(|u| u.role == Role::SocialWorker);
    let worker_count = workers.len();

    // Intake: every social worker records cases, one after another.
    let (workers, tally, elapsed) =
        run_users(workers, plan.phase, |u, t, end| u.act(t, Think::None, users::Work::Intake, end));
    phase(INTAKE, worker_count, &tally, elapsed);
    let cases: Arc<Vec<String>> = Arc::new(workers.iter().flat_map(|u| u.cases.clone()).collect());
    assert!(!cases.is_empty(), "intake recorded cases: {:?}", tally.errors.values().next());
    let mut by_commune: HashMap<String, Vec<String>> = HashMap::new();
    for u in &workers {
        by_commune.entry(u.commune.clone()).or_default().extend(u.cases.iter().cloned());
    }
    let by_commune: HashMap<String, Arc<Vec<String>>> =
        by_commune.into_iter().map(|(commune, cases)| (commune, Arc::new(cases))).collect();

    let raw_user = Arc::new(raw::prepare(&raw_db));
    let (tally, elapsed) = raw::run_intake(&raw_db, &raw_user, plan.raw_connections, plan.phase);
    phase(RAW_INTAKE, plan.raw_connections, &tally, elapsed);

    // Each worker's own first case gets the consent a placement needs.
    let workers = users::consent_to_placement(workers);
    let setup = |mut users: Vec<User>| {
        for u in &mut users {
            u.known_cases = match u.role {
                Role::SocialWorker => by_commune[&u.commune].clone(),
                _ => cases.clone(),
            };
            u.house = house.clone();
            u.think = plan.think;
            u.in_turn = plan.in_turn;
        }
        users
    };
    let workers = setup(workers);
    let others = setup(others);

    let (workers, tally, elapsed) =
        run_users(workers, plan.phase, |u, t, end| u.act(t, Think::Paced, users::Work::OpenCase, end));
    phase(OPEN_AT_WORK, worker_count, &tally, elapsed);
    let (mut workers, tally, elapsed) =
        run_users(workers, plan.phase, |u, t, end| u.act(t, Think::None, users::Work::OpenCase, end));
    phase(OPEN_SATURATED, worker_count, &tally, elapsed);

    let raw_cases = Arc::new(raw::cases(&raw_db));
    let (tally, elapsed) =
        raw::run_open_case(&raw_db, &raw_user, &raw_cases, plan.raw_connections, plan.phase);
    phase(RAW_OPEN, plan.raw_connections, &tally, elapsed);

    // One user of each role at once, without pauses: what each operation costs
    // when the server is not busy.
    workers.extend(others);
    let mut one_each: Vec<User> = Vec::new();
    for role in [Role::SocialWorker, Role::SafeHouseStaff, Role::Supervisor, Role::CommitteeMember] {
        let at = workers.iter().position(|u| u.role == role).expect("a user of each role");
        one_each.push(workers.swap_remove(at));
    }
    let (one_each, tally, elapsed) =
        run_users(one_each, plan.phase / 2, |u, t, end| u.act(t, Think::None, users::Work::Mix, end));
    phase(ALONE, 4, &tally, elapsed);
    workers.extend(one_each);
    let everyone = workers.len();
    let (mut workers, tally, elapsed) =
        run_users(workers, plan.phase, |u, t, end| u.act(t, Think::Paced, users::Work::Mix, end));
    phase(MIX, everyone, &tally, elapsed);

    for u in &mut workers {
        u.think = plan.pace;
    }
    let (_, tally, elapsed) =
        run_users(workers, plan.phase, |u, t, end| u.act(t, Think::Paced, users::Work::Mix, end));
    phase(MIX_PACED, everyone, &tally, elapsed);

    let lifetime_peak_rss_mib = status_kib(server.child.id(), "VmHWM:").unwrap_or(0) as f64 / 1024.0;
    drop(memory);
    let log_tail =
        if phases.iter().any(|p| !p.errors.is_empty()) { server.complaints() } else { String::new() };
    server.stop();
    Report { backend, phases, lifetime_peak_rss_mib, log_tail }
}

fn smoke(db: TestDb, raw_db: TestDb) {
    let plan = Plan::smoke();
    let report = run(db, raw_db, &plan);
    report.print();
    for phase in &report.phases {
        assert!(
            phase.errors.is_empty(),
            "{}: every request answers as it should: {:?}\nthe server logged:\n{}",
            phase.name,
            phase.errors,
            report.log_tail
        );
    }
    for (phase, operations) in [
        (INTAKE, &["intake"][..]),
        (RAW_INTAKE, &["raw intake"]),
        (OPEN_AT_WORK, &["open case"]),
        (OPEN_SATURATED, &["open case"]),
        (RAW_OPEN, &["raw open case"]),
    ] {
        for op in operations {
            assert!(report.rate(phase, op) > 0.0, "{phase}: {op} was measured");
        }
    }
    for op in [
        "open case",
        "list cases",
        "add note",
        "intake",
        "request placement",
        "house board",
        "approvals",
        "overview",
        "statistics",
    ] {
        let rate = report.rate(MIX, op) + report.rate(MIX_PACED, op);
        assert!(rate > 0.0, "the mixes measured {op}");
    }
    assert!(report.lifetime_peak_rss_mib > 0.0, "the server's memory was read");
}

#[test]
fn load_test_smoke_on_sqlite() {
    smoke(TestDb::sqlite(), TestDb::sqlite());
}

#[test]
fn load_test_smoke_on_postgresql() {
    let (Some(db), Some(raw_db)) = (TestDb::postgres(), TestDb::postgres()) else { return };
    smoke(db, raw_db);
}

fn measure(db: TestDb, raw_db: TestDb) {
    let report = run(db, raw_db, &Plan::measurement());
    report.print();
}

#[test]
#[ignore = "a measurement: run on demand with the release build (see the module's documentation)"]
fn measure_on_sqlite() {
    measure(TestDb::sqlite(), TestDb::sqlite());
}

#[test]
#[ignore = "a measurement: run on demand with the release build (see the module's documentation)"]
fn measure_on_postgresql() {
    let (Some(db), Some(raw_db)) = (TestDb::postgres(), TestDb::postgres()) else { return };
    measure(db, raw_db);
}
