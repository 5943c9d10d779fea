//! Faults (issue 9): what survives when `binhan serve` is killed in the middle of
//! writes, and what it does while its PostgreSQL is away. The real binary over
//! plain HTTP, as the clients of a commune meet it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use binhan::domain::role::Role;
use binhan::services::auth::{current_code, enrol_with_secret};
use chrono::Utc;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::api::SECRET;
use crate::support::app::{PASSWORD, account, safe_house, staff_of};
use crate::support::db::{TestDb, load_units};
use crate::support::intake::intake_json;
use crate::support::process::{Server, binhan, http_get, http_request, run_within};
use crate::support::throwaway_postgres::ThrowawayPostgres;

/// Beds in each of the two safe houses: few, so that acceptances compete.
const BEDS: i32 = 2;

/// One answer of the server.
struct Answer {
    status: u16,
    content_type: String,
    body: Value,
}

/// A signed-in user of the JSON API.
#[derive(Clone)]
struct Client {
    port: u16,
    cookie: String,
}

impl Client {
    fn sign_in(port: u16, username: &str, second_factor: bool) -> Client {
        let totp = second_factor.then(|| current_code(SECRET, Utc::now().naive_utc()).unwrap());
        let body = json!({"username": username, "password": PASSWORD, "totp": totp}).to_string();
        let (status, head, answer) =
            http_request(port, "POST", "/api/v1/auth/login", Some(&body), None).expect("an answer");
        assert_eq!(status, 200, "{username} signs in: {answer}");
        let cookie = head
            .lines()
            .filter_map(|l| l.split_once(':').filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie")))
            .filter_map(|(_, value)| value.trim().split(';').next())
            .find(|c| c.starts_with("__Host-binhan_session="))
            .expect("session cookie")
            .to_string();
        Client { port, cookie }
    }

    /// The answer to a call of `/api/v1{path}`, or None when none came (the
    /// server was killed or is gone).
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Option<Answer> {
        let body = body.map(|b| b.to_string());
        let path = format!("/api/v1{path}");
        let (status, head, text) =
            http_request(self.port, method, &path, body.as_deref(), Some(&self.cookie))?;
        let content_type = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.trim().to_string())
            .unwrap_or_default();
        Some(Answer { status, content_type, body: serde_json::from_str(&text).unwrap_or(Value::Null) })
    }
}

/// A fictional survivor's name, different for every client and every case.
fn survivor_name(client: usize, n: usize) -> String {
    const FAMILY: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng"];
    const GIVEN: [&str; 16] = [
        "Hoa", "Lan", "Mai", "Cúc", "Đào", "Hương", "Thảo", "Nhung", "Yến", "Oanh", "Trang", "Hạnh", "Liên",
        "Ngọc", "Quyên", "Vân",
    ];
    let (mut rest, mut given) = (n, Vec::new());
    loop {
        given.push(GIVEN[rest % GIVEN.len()]);
        rest /= GIVEN.len();
        if rest == 0 {
            break;
        }
    }
    format!("{} Thị {}", FAMILY[client % FAMILY.len()], given.join(" "))
}

/// A placement whose acceptance the house's staff saw answered.
struct Placement {
    id: String,
    house: String,
    /// The last step answered 2xx: accepted, checked_in or checked_out.
    answered: &'static str,
    /// The step sent when the server died, if its answer never came.
    in_doubt: Option<&'static str>,
}

/// What one client saw acknowledged.
#[derive(Default)]
struct Ledger {
    /// Cases answered 201: id and the survivor's name sent.
    cases: Vec<(String, String)>,
    placements: Vec<Placement>,
    refused_for_beds: usize,
}

/// What the clients have had acknowledged so far, for choosing the moment to kill.
#[derive(Default)]
struct Progress {
    cases: AtomicUsize,
    accepted: AtomicUsize,
}

/// One round of a client: a new case; consent to a safe house; a bed asked for;
/// the house accepts, she checks in and out. None once the server stops answering.
fn one_round(
    ledger: &mut Ledger,
    progress: &Progress,
    (worker, staff): (&Client, &Client),
    house: &str,
    (client, n): (usize, usize),
) -> Option<()> {
    let name = survivor_name(client, n);
    let created = worker.call("POST", "/cases", Some(intake_json(&name, "18073")))?;
    assert_eq!(created.status, 201, "a new case: {}", created.body);
    let case = created.body["id"].as_str().unwrap().to_string();
    ledger.cases.push((case.clone(), name));
    progress.cases.fetch_add(1, Ordering::Relaxed);

    let consent = json!({"purpose": "placement", "given_by": "survivor"});
    let consented = worker.call("POST", &format!("/cases/{case}/consents"), Some(consent))?;
    assert_eq!(consented.status, 201, "consent: {}", consented.body);
    let ask = json!({"safe_house_id": house, "alias": format!("Chị {client}-{n}")});
    let requested = worker.call("POST", &format!("/cases/{case}/placements"), Some(ask))?;
    assert_eq!(requested.status, 201, "a bed asked for: {}", requested.body);
    let id = requested.body["id"].as_str().unwrap().to_string();

    let accepted = staff.call("POST", &format!("/placements/{id}/accept"), Some(json!({"version": 1})))?;
    match accepted.status {
        200 => {}
        409 if accepted.body["code"] == "not_enough_beds" => {
            ledger.refused_for_beds += 1;
            return Some(());
        }
        other => panic!("an acceptance answered {other}: {}", accepted.body),
    }
    ledger.placements.push(Placement {
        id: id.clone(),
        house: house.into(),
        answered: "accepted",
        in_doubt: None,
    });
    progress.accepted.fetch_add(1, Ordering::Relaxed);
    let steps = [
        ("check-in", json!({"version": 2}), "checked_in"),
        ("check-out", json!({"version": 3, "outcome": "with_relatives"}), "checked_out"),
    ];
    for (step, body, status) in steps {
        let placement = ledger.placements.last_mut().unwrap();
        placement.in_doubt = Some(status);
        let answer = staff.call("POST", &format!("/placements/{id}/{step}"), Some(body))?;
        assert_eq!(answer.status, 200, "{step}: {}", answer.body);
        (placement.answered, placement.in_doubt) = (status, None);
    }
    Some(())
}

on_both_backends! {
    /// Eight clients write cases and placements; the server is killed with SIGKILL
    /// in the middle and started again on the same database.
    fn a_server_killed_mid_write_keeps_every_acknowledged_write(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let houses: Vec<String> = ["Địa chỉ tin cậy Thạch Hạ", "Nhà tạm lánh Cẩm Xuyên"]
            .iter()
            .map(|name| safe_house(&db, &mut conn, name, BEDS))
            .collect();
        account(&db, &mut conn, "hanh", Role::SocialWorker);
        staff_of(&db, &mut conn, "mai", &houses[0]);
        staff_of(&db, &mut conn, "lan", &houses[1]);
        let dung = account(&db, &mut conn, "dung", Role::Supervisor);
        enrol_with_secret(&mut conn, &db.keys(), dung.id, SECRET, Utc::now().naive_utc()).unwrap();
        drop(conn);

        let server = Server::start(&db);
        let worker = Client::sign_in(server.port, "hanh", false);
        let staff = [Client::sign_in(server.port, "mai", false), Client::sign_in(server.port, "lan", false)];
        let progress = Arc::new(Progress::default());
        let clients: Vec<_> = (0..8)
            .map(|client| {
                let (worker, staff, house) = (worker.clone(), staff[client % 2].clone(), houses[client % 2].clone());
                let progress = progress.clone();
                std::thread::spawn(move || {
                    let mut ledger = Ledger::default();
                    let until = Instant::now() + Duration::from_secs(90);
                    let mut n = 0;
                    while Instant::now() < until
                        && one_round(&mut ledger, &progress, (&worker, &staff), &house, (client, n)).is_some()
                    {
                        n += 1;
                    }
                    ledger
                })
            })
            .collect();

        // Kill once the clients have had enough acknowledged, while they still write.
        let waited = Instant::now();
        while (progress.cases.load(Ordering::Relaxed) < 100 || progress.accepted.load(Ordering::Relaxed) < 10)
            && waited.elapsed() < Duration::from_secs(60)
            && !clients.iter().any(|c| c.is_finished())
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        server.kill();
        let ledgers: Vec<Ledger> = clients.into_iter().map(|c| c.join().expect("a client failed")).collect();
        let cases: Vec<&(String, String)> = ledgers.iter().flat_map(|l| &l.cases).collect();
        let placements: Vec<&Placement> = ledgers.iter().flat_map(|l| &l.placements).collect();
        eprintln!(
            "acknowledged before the kill: {} cases, {} accepted placements ({} refused for want of beds)",
            cases.len(),
            placements.len(),
            ledgers.iter().map(|l| l.refused_for_beds).sum::<usize>()
        );
        assert!(cases.len() >= 100 && placements.len() >= 10, "enough was written before the kill");

        let server = Server::start(&db);
        let supervisor = Client::sign_in(server.port, "dung", true);
        for (id, name) in &cases {
            let case = supervisor.call("GET", &format!("/cases/{id}"), None).expect("an answer");
            assert_eq!(case.status, 200, "acknowledged case {id} is there: {}", case.body);
            assert_eq!(case.body["survivor"]["full_name"], name.as_str(), "case {id} decrypts to the name sent");
        }
        let mut conn = db.conn();
        for p in &placements {
            let row = binhan::store::placements::placement(&mut conn, &p.id).unwrap();
            let row = row.unwrap_or_else(|| panic!("acknowledged placement {} is there", p.id));
            assert!(
                row.status == p.answered || Some(row.status.as_str()) == p.in_doubt,
                "placement {} is {}, acknowledged as {} (in doubt: {:?})",
                p.id,
                row.status,
                p.answered,
                p.in_doubt
            );
            assert_eq!(row.safe_house_id, p.house);
        }
        let now = Utc::now().naive_utc();
        for house in &houses {
            let taken = binhan::store::placements::beds_taken(&mut conn, house, now).unwrap();
            assert!(taken <= i64::from(BEDS), "house {house} has {taken} beds taken of {BEDS}");
        }
        drop(conn);

        // The restarted server takes writes again, and its audit chain is whole.
        let worker = Client::sign_in(server.port, "hanh", false);
        let created = worker.call("POST", "/cases", Some(intake_json("Đinh Thị Sau Khởi Động", "18073"))).expect("an answer");
        assert_eq!(created.status, 201, "{}", created.body);
        server.stop();
        let mut verify = binhan();
        verify
            .env("BINHAN_DATABASE_URL", &db.url_text)
            .env("BINHAN_DATA_DIR", db.data_dir())
            .args(["audit", "verify"]);
        let out = run_within(verify, Duration::from_secs(60));
        assert!(
            out.status.success(),
            "binhan audit verify: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// One call made by a client during the PostgreSQL test: when it was sent and
/// answered, and its status with the problem code (None if no answer came).
struct Call {
    sent: Instant,
    answered: Instant,
    answer: Option<(u16, String)>,
}

/// PostgreSQL is stopped (`pg_ctl stop -m fast`) and started again while clients
/// write: meanwhile the server answers 503 `unavailable` as problem+json and says
/// it is not ready; once PostgreSQL is back it serves again by itself, and what it
/// acknowledged before the stop is still there.
#[test]
fn while_postgresql_is_down_the_server_answers_503_and_recovers_by_itself() {
    let Some(pg) = ThrowawayPostgres::start() else { return };
    let db = TestDb::postgres_at(&pg.url());
    let mut conn = db.migrated();
    load_units(&mut conn);
    account(&db, &mut conn, "hanh", Role::SocialWorker);
    drop(conn);
    let server = Server::start(&db);
    let worker = Client::sign_in(server.port, "hanh", false);

    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|client| {
            let (worker, stop) = (worker.clone(), stop.clone());
            std::thread::spawn(move || {
                let (mut calls, mut created) = (Vec::new(), Vec::new());
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let name = survivor_name(client, n);
                    let sent = Instant::now();
                    let answer = worker.call("POST", "/cases", Some(intake_json(&name, "18073")));
                    if let Some(Answer { status: 201, body, .. }) = &answer {
                        created.push((body["id"].as_str().unwrap().to_string(), name));
                    }
                    if let Some(a) = &answer
                        && a.status == 503
                    {
                        assert_eq!(a.content_type, "application/problem+json");
                    }
                    let answer =
                        answer.map(|a| (a.status, a.body["code"].as_str().unwrap_or("").to_string()));
                    calls.push(Call { sent, answered: Instant::now(), answer });
                    n += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                (calls, created)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(2));

    let stopping = Instant::now();
    pg.stop_fast();
    let stopped = Instant::now();
    let unavailable =
        worker.call("POST", "/cases", Some(intake_json("Lý Thị Chờ", "18073"))).expect("an answer");
    assert_eq!(unavailable.status, 503, "{}", unavailable.body);
    assert_eq!(unavailable.content_type, "application/problem+json");
    assert_eq!(unavailable.body["code"], "unavailable");
    let answered_503 = stopped.elapsed();
    // Not ready: it waits for a connection as long as a request does (http_get's
    // 5 s read timeout would be too short for that).
    let (status, _, ready) = http_request(server.port, "GET", "/readyz", None, None).expect("an answer");
    assert_eq!(status, 503, "not ready while the database is away: {ready}");
    assert!(ready.contains("\"unavailable\""), "{ready}");
    assert_eq!(http_get(server.port, "/healthz").map(|(s, _)| s), Some(200), "the process itself is up");
    std::thread::sleep(Duration::from_secs(2));

    pg.start_again();
    let restarted = Instant::now();
    loop {
        let answer =
            worker.call("POST", "/cases", Some(intake_json("Lý Thị Trở Lại", "18073"))).expect("an answer");
        if answer.status == 201 {
            break;
        }
        assert_eq!((answer.status, answer.body["code"].as_str()), (503, Some("unavailable")));
        assert!(restarted.elapsed() < Duration::from_secs(10), "no recovery 10 s after PostgreSQL was back");
        std::thread::sleep(Duration::from_millis(100));
    }
    let recovered = Instant::now();
    eprintln!(
        "PostgreSQL down for {:?}; first 503 after {answered_503:?}; serving again {:?} after it was back",
        restarted - stopped,
        recovered - restarted
    );
    assert_eq!(http_get(server.port, "/readyz").map(|(s, _)| s), Some(200), "ready again");
    std::thread::sleep(Duration::from_secs(2));
    stop.store(true, Ordering::Relaxed);
    let results: Vec<_> = clients.into_iter().map(|c| c.join().expect("a client failed")).collect();

    let calls: Vec<&Call> = results.iter().flat_map(|(calls, _)| calls).collect();
    let count =
        |wanted: u16| calls.iter().filter(|c| c.answer.as_ref().is_some_and(|a| a.0 == wanted)).count();
    eprintln!("client calls: {} answered 201, {} answered 503", count(201), count(503));
    for call in &calls {
        match &call.answer {
            Some((201, _)) => {}
            Some((503, code)) if code == "unavailable" => {
                assert!(call.answered > stopping, "503 only once PostgreSQL was stopping");
                assert!(call.sent < recovered, "no 503 once the server answered again");
            }
            other => panic!(
                "a client got {other:?}: only 201 or 503 unavailable, never a 500 or no answer; the server said:\n{}",
                server.complaints()
            ),
        }
    }
    assert!(count(503) > 0, "the clients met the outage too");
    let after: Vec<_> = calls.iter().filter(|c| c.sent > recovered).collect();
    assert!(after.len() >= 4, "the clients wrote after the recovery");

    // Every case acknowledged, before or after the outage, is there and decrypts.
    for (id, name) in results.iter().flat_map(|(_, created)| created) {
        let case = worker.call("GET", &format!("/cases/{id}"), None).expect("an answer");
        assert_eq!(case.status, 200, "acknowledged case {id} is there: {}", case.body);
        assert_eq!(case.body["survivor"]["full_name"], name.as_str(), "case {id} decrypts to the name sent");
    }
    let mut conn = db.conn();
    binhan::store::audit::verify(&mut conn).expect("the audit chain is whole");
    server.stop();
}
