//! The people of the load test: each signed in with a session of her own, doing
//! what her role does in a day's work.

use std::sync::Arc;
use std::time::{Duration, Instant};

use binhan::domain::role::Role;
use serde_json::json;

use super::client::{Answer, Client};
use super::measure::Tally;
use crate::support::app::PASSWORD;
use crate::support::intake::intake_json;

/// The authenticator secret of every account that needs a second factor (each
/// account keeps its own last-used step, so one secret serves all).
pub const SECRET: &[u8] = b"load-test-second-factor";

pub struct User {
    pub username: String,
    pub role: Role,
    client: Option<Client>,
    /// Cases this user recorded.
    pub cases: Vec<String>,
    /// The cases this user may open: her commune's (a supervisor: all).
    pub known_cases: Arc<Vec<String>>,
    /// A case of hers with the survivor's consent to a placement.
    consented: Option<String>,
    /// The placement the consented case holds open: a case holds one at a time,
    /// so the next "request placement" withdraws it instead.
    open_placement: Option<String>,
    pub house: String,
    /// A social worker's commune, where she records her reports.
    pub commune: String,
    /// The mean pause between two requests when paced.
    pub think: Duration,
    /// Whether the mix takes each operation of the role in turn instead of by its
    /// weight: the short run in CI then meets every one for sure.
    pub in_turn: bool,
    turn: usize,
    random: u64,
    recorded: u64,
}

/// Whether a user pauses before each request: not at all (the server's capacity),
/// or as a person reading and typing does (exponentially distributed pauses of
/// mean `User::think`, so that requests arrive as from independent people).
#[derive(Clone, Copy)]
pub enum Think {
    None,
    Paced,
}

/// What a phase asks of a user.
#[derive(Clone, Copy)]
pub enum Work {
    Intake,
    OpenCase,
    /// What her role does in a day, by the weights of `User::mix_operation`.
    Mix,
}

impl User {
    pub fn new(username: String, role: Role, seed: u64) -> User {
        User {
            username,
            role,
            client: None,
            cases: Vec::new(),
            known_cases: Arc::new(Vec::new()),
            consented: None,
            open_placement: None,
            house: String::new(),
            commune: String::new(),
            think: Duration::ZERO,
            in_turn: false,
            turn: 0,
            random: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
            recorded: 0,
        }
    }

    /// xorshift64*: enough randomness to pick cases and pauses, reproducible.
    fn next(&mut self) -> u64 {
        self.random ^= self.random >> 12;
        self.random ^= self.random << 25;
        self.random ^= self.random >> 27;
        self.random.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, from: &'a [String]) -> Option<&'a String> {
        if from.is_empty() { None } else { from.get((self.next() % from.len() as u64) as usize) }
    }

    /// Pauses if paced, never past the phase's `end`; false when the phase ended.
    fn pause(&mut self, think: Think, end: Instant) -> bool {
        if let Think::Paced = think {
            let uniform = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
            let pause = self.think.mul_f64(-(1.0 - uniform).ln());
            std::thread::sleep(pause.min(end.saturating_duration_since(Instant::now())));
        }
        Instant::now() < end
    }

    fn client(&mut self) -> &mut Client {
        self.client.as_mut().expect("signed in")
    }

    /// One request of `work`, after a pause if paced (none once the phase ended at
    /// `end`); its latency or its error goes to `tally`.
    pub fn act(&mut self, tally: &mut Tally, think: Think, work: Work, end: Instant) {
        if !self.pause(think, end) {
            return;
        }
        let operation = match work {
            Work::Intake => "intake",
            Work::OpenCase => "open case",
            Work::Mix => self.mix_operation(),
        };
        let Some((method, path, body, expected)) = self.request(operation) else {
            tally.record(operation, Duration::ZERO, Err("nothing to work on".into()));
            return;
        };
        let started = Instant::now();
        let answer = self.client().send(method, &path, body.as_deref());
        let took = started.elapsed();
        let outcome = match &answer {
            Some(Answer { status, .. }) if *status == expected => Ok(()),
            Some(Answer { status, body }) => Err(format!(
                "{operation}: {status} {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            )),
            None => Err(format!("{operation}: no answer")),
        };
        if operation == "intake"
            && outcome.is_ok()
            && let Some(id) = answer.as_ref().and_then(|a| a.json()["id"].as_str().map(str::to_string))
        {
            self.cases.push(id);
        }
        if operation == "request placement"
            && outcome.is_ok()
            && method == "POST"
            && path.ends_with("/placements")
            && let Some(id) = answer.as_ref().and_then(|a| a.json()["id"].as_str().map(str::to_string))
        {
            self.open_placement = Some(id);
        }
        tally.record(operation, took, outcome);
    }

    /// A day's work by role: a social worker mostly reads her cases and her list,
    /// writes notes, now and then records a new report or asks for a bed; safe-house staff watch their
    /// house's board; supervisors their queues and cases; committee members the
    /// statistics.
    fn mix_operation(&mut self) -> &'static str {
        if self.in_turn {
            let operations: &[&'static str] = match self.role {
                Role::SocialWorker => &["open case", "list cases", "add note", "intake", "request placement"],
                Role::SafeHouseStaff => &["house board"],
                Role::Supervisor => &["approvals", "overview", "open case"],
                _ => &["statistics"],
            };
            self.turn += 1;
            return operations[self.turn % operations.len()];
        }
        let roll = self.next() % 100;
        match self.role {
            Role::SocialWorker => match roll {
                0..48 => "open case",
                48..72 => "list cases",
                72..90 => "add note",
                90..97 => "intake",
                _ => "request placement",
            },
            Role::SafeHouseStaff => "house board",
            Role::Supervisor => match roll {
                0..34 => "approvals",
                34..67 => "overview",
                _ => "open case",
            },
            _ => "statistics",
        }
    }

    /// The method, path, body and expected status of an operation.
    fn request(&mut self, operation: &str) -> Option<(&'static str, String, Option<String>, u16)> {
        let known = self.known_cases.clone();
        Some(match operation {
            "intake" => {
                self.recorded += 1;
                let body = intake_json(&format!("Chị {} {}", self.username, self.recorded), &self.commune);
                ("POST", "/api/v1/cases".into(), Some(body.to_string()), 201)
            }
            "open case" => ("GET", format!("/api/v1/cases/{}", self.pick(&known)?), None, 200),
            "list cases" => ("GET", "/api/v1/cases".into(), None, 200),
            "add note" => {
                let own = self.cases.clone();
                let case = self.pick(&own)?;
                let body = json!({"body": "Đã gọi điện hỏi thăm, chị an toàn."}).to_string();
                ("POST", format!("/api/v1/cases/{case}/notes"), Some(body), 201)
            }
            "request placement" if self.open_placement.is_some() => {
                let id = self.open_placement.take()?;
                let body = json!({"version": 1}).to_string();
                ("POST", format!("/api/v1/placements/{id}/cancel"), Some(body), 200)
            }
            "request placement" => {
                let case = self.consented.clone()?;
                let body = json!({"safe_house_id": self.house, "alias": "Chị Lan"}).to_string();
                ("POST", format!("/api/v1/cases/{case}/placements"), Some(body), 201)
            }
            "house board" => ("GET", "/api/v1/placements".into(), None, 200),
            "approvals" => ("GET", "/api/v1/approvals".into(), None, 200),
            "overview" => ("GET", "/api/v1/overview".into(), None, 200),
            "statistics" => ("GET", "/api/v1/stats/summary".into(), None, 200),
            other => panic!("no such operation: {other}"),
        })
    }
}

/// The length in bytes of the survivors' names the users type ("Chị canbo001 12").
pub const INTAKE_NAME_LEN: usize = 18;

/// Signs every user in, four at a time (each sign-in hashes a password).
pub fn sign_in_all(users: Vec<User>, port: u16) -> Vec<User> {
    let chunks: Vec<Vec<User>> = {
        let mut chunks: Vec<Vec<User>> = (0..4).map(|_| Vec::new()).collect();
        for (i, user) in users.into_iter().enumerate() {
            chunks[i % 4].push(user);
        }
        chunks
    };
    let threads: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            std::thread::spawn(move || {
                chunk
                    .into_iter()
                    .map(|mut user| {
                        let mut client = Client::new(port);
                        let code = user.role.requires_second_factor().then(|| {
                            binhan::services::auth::current_code(SECRET, chrono::Utc::now().naive_utc())
                                .expect("an authenticator code")
                        });
                        client.sign_in(&user.username, PASSWORD, code);
                        user.client = Some(client);
                        user
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    threads.into_iter().flat_map(|t| t.join().expect("sign-in")).collect()
}

/// Each social worker records the survivor's consent to a placement on her first
/// case.
pub fn consent_to_placement(mut workers: Vec<User>) -> Vec<User> {
    for user in &mut workers {
        let case = user.cases.first().cloned().expect("the worker recorded a case");
        let body = json!({"purpose": "placement", "given_by": "survivor"}).to_string();
        let answer = user.client().send("POST", &format!("/api/v1/cases/{case}/consents"), Some(&body));
        let status = answer.as_ref().map(|a| a.status);
        assert_eq!(
            status,
            Some(201),
            "consent: {:?}",
            answer.map(|a| String::from_utf8_lossy(&a.body).into_owned())
        );
        user.consented = Some(case);
    }
    workers
}
