//! Scale-out (issue 9): two `binhan serve` processes on one PostgreSQL, a client
//! going round-robin between them. Sessions, the audit chain's head and the beds
//! held by placements live in the database, so it does not matter which instance
//! answers. PostgreSQL only: SQLite is single-instance. Under `CI=true` a missing
//! PostgreSQL fails this test.

use std::time::{Duration, Instant};

use binhan::domain::role::Role;
use chrono::Utc;
use serde_json::{Value, json};

use crate::support::app::{account, safe_house, staff_of};
use crate::support::db::{TestDb, load_units};
use crate::support::intake::intake_json;
use crate::support::process::{Server, binhan, http_request, run_within, sign_in_over_http};

/// Beds of the one safe house: fewer than the placements asked for.
const BEDS: i64 = 5;
/// Concurrent clients, and the cases each records per phase.
const CLIENTS: usize = 8;
const CASES_PER_CLIENT: usize = 4;
/// Cases each client records per round of the throughput measurement.
const MEASURED_PER_CLIENT: usize = 25;

/// A request as (status, JSON body or Null).
fn call(port: u16, method: &str, path: &str, body: Option<Value>, cookie: &str) -> (u16, Value) {
    let body = body.map(|b| b.to_string());
    let (status, _, answer) =
        http_request(port, method, &format!("/api/v1{path}"), body.as_deref(), Some(cookie)).unwrap();
    (status, serde_json::from_str(&answer).unwrap_or(Value::Null))
}

/// `CLIENTS` clients record `per_client` cases each at once, client `i`'s `j`-th
/// case on `ports[(i + j) % ports.len()]`. Returns the cases (id, name) and the
/// writes per second.
fn record_cases(ports: &[u16], cookie: &str, phase: &str, per_client: usize) -> (Vec<(String, String)>, f64) {
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (ports, cookie, phase) = (ports.to_vec(), cookie.to_string(), phase.to_string());
            std::thread::spawn(move || {
                (0..per_client)
                    .map(|j| {
                        let name = format!("Chị {phase} {i}-{j}");
                        let port = ports[(i + j) % ports.len()];
                        let (status, created) =
                            call(port, "POST", "/cases", Some(intake_json(&name, "18073")), &cookie);
                        assert_eq!(status, 201, "{created}");
                        (created["id"].as_str().unwrap().to_string(), name)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let cases: Vec<_> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
    let rate = cases.len() as f64 / started.elapsed().as_secs_f64();
    (cases, rate)
}

/// `CLIENTS` clients read the cases at once, each case once, round-robin over
/// `ports`. Returns the reads per second.
fn read_cases(ports: &[u16], cookie: &str, cases: &[(String, String)]) -> f64 {
    let started = Instant::now();
    let clients: Vec<_> = cases
        .chunks(cases.len().div_ceil(CLIENTS))
        .enumerate()
        .map(|(i, chunk)| {
            let (ports, cookie, chunk) = (ports.to_vec(), cookie.to_string(), chunk.to_vec());
            std::thread::spawn(move || {
                for (j, (case, _)) in chunk.iter().enumerate() {
                    let port = ports[(i + j) % ports.len()];
                    assert_eq!(call(port, "GET", &format!("/cases/{case}"), None, &cookie).0, 200);
                }
            })
        })
        .collect();
    clients.into_iter().for_each(|c| c.join().unwrap());
    cases.len() as f64 / started.elapsed().as_secs_f64()
}

fn median(mut figures: Vec<f64>) -> f64 {
    figures.sort_by(f64::total_cmp);
    figures[figures.len() / 2]
}

/// The throughput of the same concurrent intakes and case reads against one
/// instance and round-robin over two, alternating, five rounds; prints the
/// medians. A measurement, not a check: run it on demand, with the release build:
/// `cargo build --release && BINHAN_BIN=target/release/binhan cargo test --test it
/// scale_out::throughput -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement; run on demand"]
fn throughput_of_one_and_two_instances() {
    let Some(db) = TestDb::postgres() else { return };
    let mut conn = db.migrated();
    load_units(&mut conn);
    account(&db, &mut conn, "hanh", Role::SocialWorker);
    drop(conn);
    let servers = [Server::start(&db), Server::start(&db)];
    let ports: Vec<u16> = servers.iter().map(|s| s.port).collect();
    let worker = sign_in_over_http(ports[0], "hanh");
    record_cases(&ports, &worker, "khởi động", CASES_PER_CLIENT);
    let (mut writes, mut reads) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    for round in 0..5 {
        for (k, on) in [&ports[..1], &ports[..]].into_iter().enumerate() {
            let (cases, rate) = record_cases(on, &worker, &format!("{round}-{k}"), MEASURED_PER_CLIENT);
            writes[k].push(rate);
            reads[k].push(read_cases(on, &worker, &cases));
        }
    }
    for server in servers {
        server.stop();
    }
    let [w1, w2] = writes.map(median);
    let [r1, r2] = reads.map(median);
    eprintln!(
        "{CLIENTS} concurrent clients, {} intakes per round, median of 5 rounds:\n\
         intakes/s: one instance {w1:.0}, two instances {w2:.0} ({:.2}x)\n\
         case reads/s: one instance {r1:.0}, two instances {r2:.0} ({:.2}x)",
        CLIENTS * MEASURED_PER_CLIENT,
        w2 / w1,
        r2 / r1
    );
}

#[test]
fn two_servers_on_one_postgresql_share_sessions_cases_beds_and_one_audit_chain() {
    let Some(db) = TestDb::postgres() else { return };
    let mut conn = db.migrated();
    load_units(&mut conn);
    account(&db, &mut conn, "hanh", Role::SocialWorker);
    let house = safe_house(&db, &mut conn, "Địa chỉ tin cậy Thạch Hạ", BEDS as i32);
    staff_of(&db, &mut conn, "mai", &house);
    drop(conn);
    let servers = [Server::start(&db), Server::start(&db)];
    let ports: Vec<u16> = servers.iter().map(|s| s.port).collect();
    let (a, b) = (ports[0], ports[1]);

    // Sessions are rows of the database: signed in on A, known on B; signed out
    // on B, gone on A.
    let worker = sign_in_over_http(a, "hanh");
    let (status, me) = call(b, "GET", "/me", None, &worker);
    assert_eq!((status, me["username"].as_str()), (200, Some("hanh")), "A's session works on B");
    let short_lived = sign_in_over_http(a, "hanh");
    assert_eq!(call(b, "POST", "/auth/logout", None, &short_lived).0, 204);
    assert_eq!(call(a, "GET", "/me", None, &short_lived).0, 401, "signed out on B means signed out on A");
    let staff = sign_in_over_http(b, "mai");

    // Concurrent clients record cases, alternately on each instance.
    let (cases, _) = record_cases(&ports, &worker, "hai", CASES_PER_CLIENT);
    assert_eq!(cases.len(), CLIENTS * CASES_PER_CLIENT);

    // Every case asks the one house for a bed at once: consent on one instance,
    // the request on the other, the acceptance by the house's staff on the first.
    let askers: Vec<_> = cases
        .chunks(cases.len().div_ceil(CLIENTS))
        .enumerate()
        .map(|(i, chunk)| {
            let (chunk, worker, staff, house, ports) =
                (chunk.to_vec(), worker.clone(), staff.clone(), house.clone(), ports.clone());
            std::thread::spawn(move || {
                let mut accepted = 0;
                for (j, (case, _)) in chunk.iter().enumerate() {
                    let (here, there) = (ports[(i + j) % 2], ports[(i + j + 1) % 2]);
                    let consent = json!({"purpose": "placement", "given_by": "survivor"});
                    let (status, answer) =
                        call(here, "POST", &format!("/cases/{case}/consents"), Some(consent), &worker);
                    assert_eq!(status, 201, "{answer}");
                    let ask = json!({"safe_house_id": house, "alias": format!("Chị {i}-{j}")});
                    let (status, created) =
                        call(there, "POST", &format!("/cases/{case}/placements"), Some(ask), &worker);
                    assert_eq!(status, 201, "{created}");
                    let path = format!("/placements/{}/accept", created["id"].as_str().unwrap());
                    match call(here, "POST", &path, Some(json!({"version": 1})), &staff) {
                        (200, _) => accepted += 1,
                        (409, problem) => assert_eq!(problem["code"], "not_enough_beds", "{problem}"),
                        (other, problem) => panic!("acceptance answered {other}: {problem}"),
                    }
                }
                accepted
            })
        })
        .collect();
    let accepted: i64 = askers.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(accepted, BEDS, "as many acceptances as beds, whichever instance answered");

    // Every case reads the same from both instances.
    for (case, name) in &cases {
        for port in [a, b] {
            let (status, read) = call(port, "GET", &format!("/cases/{case}"), None, &worker);
            assert_eq!(status, 200, "{read}");
            assert_eq!(read["survivor"]["full_name"].as_str(), Some(name.as_str()));
        }
    }
    let (status, board) = call(b, "GET", "/safe-houses", None, &worker);
    assert_eq!(status, 200, "{board}");
    assert_eq!(board["houses"][0]["free"], 0, "{board}");

    for server in servers {
        server.stop();
    }
    let mut conn = db.conn();
    let taken = binhan::store::placements::beds_taken(&mut conn, &house, Utc::now().naive_utc()).unwrap();
    assert_eq!(taken, BEDS, "no bed booked twice");
    let mut verify = binhan();
    verify.env("BINHAN_DATABASE_URL", &db.url_text).args(["audit", "verify"]);
    let out = run_within(verify, Duration::from_secs(60));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said} {}", String::from_utf8_lossy(&out.stderr));
    assert!(said.starts_with("The audit log is intact: "), "one chain written by both instances: {said}");
}
