//! Every route of the JSON API, walked as every role and as someone not signed in,
//! answers what the policies say (issue 5, acceptance 3). A route added to
//! `binhan::http::api::ROUTES` without an expectation here fails the walk.

use actix_web::test::{TestRequest, call_service, init_service};
use binhan::domain::role::Role;
use binhan::http::api::ROUTES;
use binhan::http::app;
use binhan::services::auth::{current_code, enrol_with_secret};
use chrono::Utc;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::app::{PASSWORD, account, caller, provider, safe_house, state, worker_of};
use crate::support::db::load_units;

const SECRET: &[u8; 20] = b"twenty bytes secret!";

/// What a route must answer: by role (None: not signed in).
struct Expectation {
    method: &'static str,
    path: &'static str,
    /// Whose record the path's `{id}` names: the walking worker's, or another
    /// commune's; None for routes without a record.
    on: Option<Scope>,
    body: fn(Option<Role>) -> Option<Value>,
    status: fn(Option<Role>) -> u16,
    /// Ends the caller's session: walked after every other route.
    ends_session: bool,
}

fn signed_in(ok: u16) -> fn(Option<Role>) -> u16 {
    match ok {
        200 => |r| if r.is_some() { 200 } else { 401 },
        204 => |r| if r.is_some() { 204 } else { 401 },
        422 => |r| if r.is_some() { 422 } else { 401 },
        _ => |_| 401,
    }
}

/// What each role must answer, in the order: not signed in, social worker (of
/// Thành Sen), supervisor, safe-house staff, committee member, administrator.
macro_rules! answers {
    ($anon:expr, $worker:expr, $supervisor:expr, $staff:expr, $committee:expr, $admin:expr) => {
        |role: Option<Role>| match role {
            None => $anon,
            Some(Role::SocialWorker) => $worker,
            Some(Role::Supervisor) => $supervisor,
            Some(Role::SafeHouseStaff) => $staff,
            Some(Role::CommitteeMember) => $committee,
            Some(Role::Admin) => $admin,
        }
    };
}

/// The records the walk asks about: a case in the walking worker's commune and
/// one outside it (with a referral and a waiting request each), so every record
/// route is walked in scope and out of scope.
struct Records {
    case_in: String,
    case_out: String,
    referral_in: String,
    referral_out: String,
    approval_in: String,
    approval_out: String,
    house_in: String,
    house_out: String,
    placement_in: String,
    placement_out: String,
    /// A consent already withdrawn and a follow-up already done, per case.
    consent_in: String,
    consent_out: String,
    note_in: String,
    note_out: String,
}

/// Method, path, body, and the answers in scope and out of scope.
type RecordRoute =
    (&'static str, &'static str, fn(Option<Role>) -> Option<Value>, [fn(Option<Role>) -> u16; 2]);

#[derive(Clone, Copy)]
enum Scope {
    In,
    Out,
}

impl Records {
    /// The path with the records of `on` put in.
    fn uri(&self, path: &str, on: Option<Scope>) -> String {
        let (case, referral, approval, house, placement, consent, note) = match on {
            // The statistics name a report, the annual one of 2025 (its months are over).
            None => {
                return format!(
                    "/api/v1{}",
                    path.replace("{kind}", "annual").replace("{year}", "2025").replace("{format}", "xlsx")
                );
            }
            Some(Scope::In) => (
                &self.case_in,
                &self.referral_in,
                &self.approval_in,
                &self.house_in,
                &self.placement_in,
                &self.consent_in,
                &self.note_in,
            ),
            Some(Scope::Out) => (
                &self.case_out,
                &self.referral_out,
                &self.approval_out,
                &self.house_out,
                &self.placement_out,
                &self.consent_out,
                &self.note_out,
            ),
        };
        let id = match path.split('/').nth(1) {
            Some("referrals") => referral,
            Some("approvals") => approval,
            Some("safe-houses") => house,
            Some("placements") => placement,
            _ => case,
        };
        format!(
            "/api/v1{}",
            path.replace("{id}", id).replace("{consent_id}", consent).replace("{note_id}", note)
        )
    }
}

/// A route on a record: walked on the record in the worker's scope and on the
/// record outside it.
fn on_records(
    method: &'static str,
    path: &'static str,
    body: fn(Option<Role>) -> Option<Value>,
    [inside, outside]: [fn(Option<Role>) -> u16; 2],
) -> [Expectation; 2] {
    [(Scope::In, inside), (Scope::Out, outside)].map(|(on, status)| Expectation {
        method,
        path,
        on: Some(on),
        body,
        status,
        ends_session: false,
    })
}

/// The case routes. Bodies are well-formed but fail after the policies answered
/// (a stale version, an unknown code, a refused step), so the walk changes
/// nothing and each answer shows the access decision: 404 out of scope, 403 for
/// an action refused on a visible case, 409/422 once allowed in.
fn case_expectations() -> Vec<Expectation> {
    let open = |method, path, body, status| Expectation {
        method,
        path,
        on: None,
        body,
        status,
        ends_session: false,
    };
    let read: [fn(Option<Role>) -> u16; 2] =
        [answers!(401, 200, 200, 404, 404, 404), answers!(401, 404, 200, 404, 404, 404)];
    let conflict: [fn(Option<Role>) -> u16; 2] =
        [answers!(401, 409, 409, 404, 404, 404), answers!(401, 404, 409, 404, 404, 404)];
    let invalid: [fn(Option<Role>) -> u16; 2] =
        [answers!(401, 422, 422, 404, 404, 404), answers!(401, 404, 422, 404, 404, 404)];
    let supervisors_only: [fn(Option<Role>) -> u16; 2] =
        [answers!(401, 403, 422, 404, 404, 404), answers!(401, 404, 422, 404, 404, 404)];
    let lists: fn(Option<Role>) -> u16 = answers!(401, 200, 200, 403, 403, 403);
    let mut all = vec![
        open("get", "/cases", |_| None, lists),
        open("post", "/cases", |_| Some(intake_in("18100")), answers!(401, 403, 201, 403, 403, 403)),
        open("post", "/cases/search", |_| Some(json!({"name": "Nguyễn Thị Hoa"})), lists),
        open(
            "post",
            "/cases/duplicates",
            |_| Some(json!({"commune_code": "18100", "full_name": "Nguyễn Thị Hoa"})),
            answers!(401, 403, 200, 403, 403, 403),
        ),
        open("get", "/approvals", |_| None, answers!(401, 403, 200, 403, 403, 403)),
        // Possible duplicates (issue 17): supervisors only; nobody else learns they exist.
        open("get", "/possible-duplicates", |_| None, answers!(401, 404, 200, 404, 404, 404)),
        // Account changes (issue 17): supervisors decide them; nobody else sees them.
        open("get", "/account-changes", |_| None, answers!(401, 403, 200, 403, 403, 403)),
        open("get", "/service-providers", |_| None, lists),
        open("get", "/overview", |_| None, lists),
        open("get", "/safe-houses", |_| None, answers!(401, 200, 200, 200, 403, 403)),
        open(
            "post",
            "/safe-houses",
            |_| {
                Some(
                    json!({"name": "Nhà", "commune_code": "18073", "kind": "trusted_address", "capacity": 0}),
                )
            },
            answers!(401, 403, 403, 403, 403, 422),
        ),
        open("get", "/placements", |_| None, answers!(401, 403, 403, 200, 403, 403)),
    ];
    // Placements: staff of the walk's house (in scope), the case's worker, supervisors.
    let by_staff: [fn(Option<Role>) -> u16; 2] =
        [answers!(401, 403, 403, 409, 404, 404), answers!(401, 404, 403, 404, 404, 404)];
    let by_staff_invalid: [fn(Option<Role>) -> u16; 2] =
        [answers!(401, 403, 403, 422, 404, 404), answers!(401, 404, 403, 404, 404, 404)];
    let by_worker: [fn(Option<Role>) -> u16; 2] =
        [answers!(401, 409, 409, 403, 404, 404), answers!(401, 404, 409, 404, 404, 404)];
    let house_board: [fn(Option<Role>) -> u16; 2] =
        [answers!(401, 404, 200, 200, 404, 404), answers!(401, 404, 200, 404, 404, 404)];
    // A note during a stay: refused on a placement where nobody stays yet (403 to
    // those who see it), 422 for an empty note once someone stays.
    let stay_note: [fn(Option<Role>) -> u16; 2] =
        [answers!(401, 403, 403, 403, 404, 404), answers!(401, 404, 403, 404, 404, 404)];
    let on_placement: [RecordRoute; 9] = [
        ("get", "/cases/{id}/placements", |_| None, read),
        ("post", "/cases/{id}/placements", |_| Some(json!({"safe_house_id": "moon", "alias": ""})), invalid),
        ("get", "/safe-houses/{id}/board", |_| None, house_board),
        ("post", "/placements/{id}/accept", |_| Some(json!({"version": 999})), by_staff),
        (
            "post",
            "/placements/{id}/decline",
            |_| Some(json!({"version": 999, "reason": "moon"})),
            by_staff_invalid,
        ),
        ("post", "/placements/{id}/check-in", |_| Some(json!({"version": 999})), by_staff),
        (
            "post",
            "/placements/{id}/check-out",
            |_| Some(json!({"version": 999, "outcome": "moon"})),
            by_staff_invalid,
        ),
        ("post", "/placements/{id}/cancel", |_| Some(json!({"version": 999})), by_worker),
        ("post", "/placements/{id}/notes", |_| Some(json!({"text": ""})), stay_note),
    ];
    for (method, path, body, statuses) in on_placement {
        all.extend(on_records(method, path, body, statuses));
    }
    // Keeping a house: administrators only, on any house (422/409 once allowed).
    let on_house: [RecordRoute; 2] = [
        (
            "patch",
            "/safe-houses/{id}",
            |_| {
                Some(
                    json!({"version": 1, "name": "Nhà", "commune_code": "18073", "kind": "trusted_address", "capacity": 0}),
                )
            },
            [answers!(401, 403, 403, 403, 403, 422), answers!(401, 403, 403, 403, 403, 422)],
        ),
        (
            "post",
            "/safe-houses/{id}/deactivation",
            |_| Some(json!({"version": 999})),
            [answers!(401, 403, 403, 403, 403, 409), answers!(401, 403, 403, 403, 403, 409)],
        ),
    ];
    for (method, path, body, statuses) in on_house {
        all.extend(on_records(method, path, body, statuses));
    }
    let on_case: [RecordRoute; 18] = [
        ("get", "/cases/{id}", |_| None, read),
        // Who read the case: its supervisors and its own workers, like the case.
        ("get", "/cases/{id}/access-log", |_| None, read),
        // The walk's ids are not account changes: not found for a supervisor, and
        // refused to everyone else before any lookup.
        (
            "post",
            "/account-changes/{id}/decision",
            |_| Some(json!({"decision": "confirm"})),
            [answers!(401, 403, 404, 403, 403, 403), answers!(401, 403, 404, 403, 403, 403)],
        ),
        ("patch", "/cases/{id}", |_| Some(json!({"version": 999})), conflict),
        ("post", "/cases/{id}/transitions", |_| Some(json!({"to": "follow_up", "version": 1})), conflict),
        (
            "post",
            "/cases/{id}/closure-requests",
            |_| Some(json!({"version": 999, "closure_reason": "goals_met"})),
            conflict,
        ),
        ("post", "/cases/{id}/risk-assessments", |_| Some(json!({"factors": ["moon"]})), invalid),
        (
            "post",
            "/cases/{id}/consents",
            |_| Some(json!({"purpose": "moon", "given_by": "survivor"})),
            invalid,
        ),
        // A consent withdrawn and a follow-up done before the walk: "done already" once let in.
        ("post", "/cases/{id}/consents/{consent_id}/withdrawal", |_| None, conflict),
        (
            "post",
            "/cases/{id}/consent-overrides",
            |_| Some(json!({"purpose": "moon", "reason": "r"})),
            invalid,
        ),
        ("post", "/cases/{id}/measures", |_| Some(json!({"measure_type": "moon"})), invalid),
        ("post", "/cases/{id}/notes", |_| Some(json!({"body": ""})), invalid),
        ("post", "/cases/{id}/follow-ups/{note_id}/done", |_| None, conflict),
        ("post", "/cases/{id}/referrals", |_| Some(json!({"provider_id": "moon"})), invalid),
        ("post", "/cases/{id}/erasure", |_| Some(json!({"reason": "moon"})), supervisors_only),
        ("patch", "/referrals/{id}", |_| Some(json!({"status": "moon", "version": 1})), invalid),
        (
            "post",
            "/approvals/{id}/decision",
            |_| Some(json!({"approve": true, "comment": "x".repeat(3000)})),
            supervisors_only,
        ),
        // The walk's ids are not possible duplicates: not found, whoever asks.
        (
            "post",
            "/possible-duplicates/{id}/decision",
            |_| Some(json!({"decision": "moon"})),
            [answers!(401, 404, 404, 404, 404, 404), answers!(401, 404, 404, 404, 404, 404)],
        ),
    ];
    for (method, path, body, statuses) in on_case {
        all.extend(on_records(method, path, body, statuses));
    }
    all
}

fn intake_in(commune: &str) -> Value {
    json!({
        "report_source": "hotline", "report_channel": "phone",
        "reported_at": Utc::now().to_rfc3339(), "commune_code": commune,
        "survivor": {"full_name": "Nguyễn Thị Hoa", "sex": "female", "age_group": "25-59"},
        "incident": {"forms": ["mental"]},
        "perpetrator": {"relationship": "spouse"}
    })
}

fn expectations() -> Vec<Expectation> {
    let mut all = account_expectations();
    all.extend(case_expectations());
    all.extend(statistics_expectations());
    all
}

/// Anonymized statistics: the Committee and supervisors only (design §10).
fn statistics_expectations() -> Vec<Expectation> {
    ["/stats/summary", "/reports/{kind}/{year}", "/reports/{kind}/{year}/{format}"]
        .into_iter()
        .map(|path| Expectation {
            method: "get",
            path,
            on: None,
            body: |_| None,
            status: answers!(401, 403, 200, 403, 200, 403),
            ends_session: false,
        })
        .collect()
}

#[test]
fn a_committee_member_is_refused_every_route_that_names_a_record() {
    let record_routes: Vec<Expectation> = expectations().into_iter().filter(|e| e.on.is_some()).collect();
    assert!(record_routes.len() > 40, "the walk names the record routes");
    let answered: Vec<String> = record_routes
        .iter()
        .filter(|e| !matches!((e.status)(Some(Role::CommitteeMember)), 403 | 404))
        .map(|e| format!("{} {}", e.method, e.path))
        .collect();
    assert!(answered.is_empty(), "a committee member must get 404 or 403 on: {answered:?}");
    let named: Vec<(&str, &str)> = record_routes.iter().map(|e| (e.method, e.path)).collect();
    let unwalked: Vec<_> = ROUTES.iter().filter(|r| r.1.contains("{id}") && !named.contains(r)).collect();
    assert!(unwalked.is_empty(), "routes with a record that the walk does not walk on records: {unwalked:?}");
}

fn account_expectations() -> Vec<Expectation> {
    vec![
        Expectation {
            method: "post",
            path: "/auth/enrol",
            on: None,
            // An enrolment code nobody was given: refused like a wrong password.
            body: |_| {
                Some(
                    json!({"username": "nobody", "code": "abcd-efgh-jkmn-pqrs", "password": "một mật khẩu dài của ai đó"}),
                )
            },
            status: |_| 401,
            ends_session: false,
        },
        Expectation {
            method: "post",
            path: "/auth/login",
            on: None,
            // Someone not signed in tries an unknown account; each role signs in again
            // with her password, the second-factor roles with a code that is not
            // theirs (the walk already used this time step's code), so 401.
            body: |role| {
                Some(
                    json!({"username": role.map_or("nobody", username), "password": PASSWORD, "totp": role.filter(|r| r.requires_second_factor()).map(|_| "recovery")}),
                )
            },
            status: |role| match role {
                None => 401,
                Some(r) if r.requires_second_factor() => 401,
                Some(_) => 200,
            },
            ends_session: false,
        },
        // Locks the walker's session: walked at the end, before the sign-out.
        Expectation {
            method: "post",
            path: "/auth/lock",
            on: None,
            body: |_| None,
            status: signed_in(204),
            ends_session: true,
        },
        Expectation {
            method: "post",
            path: "/auth/logout",
            on: None,
            body: |_| None,
            status: |_| 204,
            ends_session: true,
        },
        Expectation {
            method: "post",
            path: "/auth/unlock",
            on: None,
            body: |_| Some(json!({"password": PASSWORD})),
            status: signed_in(204),
            ends_session: false,
        },
        Expectation {
            method: "get",
            path: "/me",
            on: None,
            body: |_| None,
            status: signed_in(200),
            ends_session: false,
        },
        Expectation {
            method: "post",
            path: "/me/password",
            on: None,
            body: |_| {
                Some(
                    json!({"current_password": "not the current one", "new_password": "mây trắng bay qua đỉnh núi"}),
                )
            },
            status: signed_in(422),
            ends_session: false,
        },
        Expectation {
            method: "post",
            path: "/me/second-factor/confirm",
            on: None,
            body: |_| Some(json!({"code": "000000"})),
            status: |_| 401,
            ends_session: false,
        },
        Expectation {
            method: "post",
            path: "/me/second-factor",
            on: None,
            body: |_| None,
            // Set up once; a factor in force (the walk enrolled these roles) is only
            // ever reset by an administrator.
            status: |role| match role {
                None => 401,
                Some(r) if r.requires_second_factor() => 409,
                Some(_) => 200,
            },
            ends_session: false,
        },
        Expectation {
            method: "get",
            path: "/openapi.json",
            on: None,
            body: |_| None,
            status: |_| 200,
            ends_session: false,
        },
        Expectation {
            method: "get",
            path: "/audit/verify",
            on: None,
            body: |_| None,
            status: |role| match role {
                None => 401,
                Some(Role::Admin) => 200,
                Some(_) => 403,
            },
            ends_session: false,
        },
    ]
}

fn username(role: Role) -> &'static str {
    match role {
        Role::SocialWorker => "hanh",
        Role::Supervisor => "dung",
        Role::SafeHouseStaff => "mai",
        Role::CommitteeMember => "thu",
        Role::Admin => "quantri",
    }
}

#[test]
fn every_api_route_has_an_expectation() {
    let known: Vec<_> = expectations().iter().map(|e| (e.method, e.path)).collect();
    let missing: Vec<_> = ROUTES.iter().filter(|r| !known.contains(r)).collect();
    assert!(missing.is_empty(), "routes without an expectation in tests/it/route_walk.rs: {missing:?}");
    let stale: Vec<_> = known.iter().filter(|k| !ROUTES.contains(k)).collect();
    assert!(stale.is_empty(), "expectations for routes that no longer exist: {stale:?}");
}

on_both_backends! {
    async fn every_api_route_answers_every_role_as_the_policies_say(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        for role in Role::ALL {
            let user = account(&db, &mut conn, username(role), role);
            if role.requires_second_factor() {
                enrol_with_secret(&mut conn, &db.keys(), user.id, SECRET, Utc::now().naive_utc()).unwrap();
            }
        }
        let records = records(&db, &mut conn);
        let app = init_service(app(state(&db))).await;
        let mut walk = expectations();
        walk.sort_by_key(|e| e.ends_session);
        let mut wrong = Vec::new();
        let mut who: Vec<(Option<Role>, Option<actix_web::cookie::Cookie<'static>>)> = vec![(None, None)];
        for role in Role::ALL {
            let code = role.requires_second_factor().then(|| current_code(SECRET, Utc::now().naive_utc()).unwrap());
            let req = TestRequest::post()
                .uri("/api/v1/auth/login")
                .set_json(json!({"username": username(role), "password": PASSWORD, "totp": code}));
            let res = call_service(&app, req.to_request()).await;
            assert_eq!(res.status(), 200, "{role} signs in");
            who.push((Some(role), res.response().cookies().next().map(|c| c.into_owned())));
        }
        for expectation in &walk {
            assert!(ROUTES.contains(&(expectation.method, expectation.path)));
            for (role, cookie) in &who {
                let uri = records.uri(expectation.path, expectation.on);
                let mut req = match expectation.method {
                    "get" => TestRequest::get(),
                    "post" => TestRequest::post(),
                    "patch" => TestRequest::patch(),
                    other => panic!("method {other}"),
                }
                .uri(&uri);
                if let Some(cookie) = cookie {
                    req = req.cookie(cookie.clone());
                }
                if let Some(body) = (expectation.body)(*role) {
                    req = req.set_json(body);
                }
                let status = call_service(&app, req.to_request()).await.status().as_u16();
                let expected = (expectation.status)(*role);
                if status != expected {
                    wrong.push(format!("{} {uri} as {role:?}: {status}, expected {expected}", expectation.method));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

/// The walk's records: a case in Thành Sen (the walking worker's) and one in
/// Trần Phú (another worker's), each with a referral and a request waiting for a
/// supervisor.
fn records(db: &crate::support::db::TestDb, conn: &mut binhan::store::DbConn) -> Records {
    use binhan::services::cases::{intake, referrals, work};
    use binhan::services::placements::request::{PlacementRequest, request_placement};
    let provider = provider(conn, "Trạm Y tế", "health");
    let hanh = binhan::store::users::by_username(conn, "hanh").unwrap().unwrap();
    let hanh = binhan::services::auth::user_view(conn, &hanh).unwrap();
    let lan = worker_of(db, conn, "lan", &["18100"]);
    let houses = [safe_house(db, conn, "Địa chỉ tin cậy A", 4), safe_house(db, conn, "Địa chỉ tin cậy B", 4)];
    {
        use binhan::store::schema::users::dsl::*;
        use diesel::prelude::*;
        diesel::update(users.filter(username.eq("mai")))
            .set(safe_house_id.eq(&houses[0]))
            .execute(conn)
            .unwrap();
    }
    let mut ids = Vec::new();
    // Children's cases: a supervisor's best-interest override exists only for them.
    for ((who, commune), house) in [(&hanh, "18073"), (&lan, "18100")].into_iter().zip(&houses) {
        let as_worker = caller(db, who);
        let case = intake::record_intake(conn, &as_worker, &draft(commune)).unwrap().id;
        let consent = |purpose: &str, given_by: &str| work::ConsentRequest {
            purpose: purpose.into(),
            given_by: given_by.into(),
            given_at: None,
        };
        for purpose in ["share_health", "placement"] {
            for giver in ["guardian", "child"] {
                work::record_consent(conn, &as_worker, case, &consent(purpose, giver)).unwrap();
            }
        }
        let withdrawn =
            work::record_consent(conn, &as_worker, case, &consent("services", "guardian")).unwrap();
        work::withdraw_consent(conn, &as_worker, case, withdrawn).unwrap();
        let follow_up = work::NoteRequest {
            kind: "follow_up".into(),
            body: "Gọi lại".into(),
            due_at: Some(Utc::now() + chrono::Duration::days(1)),
        };
        let note = work::add_note(conn, &as_worker, case, &follow_up).unwrap();
        work::complete_follow_up(conn, &as_worker, case, note).unwrap();
        let referral = referrals::refer(
            conn,
            &as_worker,
            case,
            &referrals::ReferralRequest { provider_id: provider.clone(), note: None },
        )
        .unwrap();
        let (approval, _) =
            referrals::override_consent(conn, &as_worker, case, "share_police", "Vì an toàn của em").unwrap();
        let asked =
            PlacementRequest { safe_house_id: house.clone(), alias: "Bé H.".into(), ..Default::default() };
        let placement = request_placement(conn, &as_worker, case, &asked).unwrap();
        ids.push([case, referral, approval, placement, withdrawn, note].map(|id| id.to_string()));
    }
    let [
        [case_in, referral_in, approval_in, placement_in, consent_in, note_in],
        [case_out, referral_out, approval_out, placement_out, consent_out, note_out],
    ] = <[_; 2]>::try_from(ids).unwrap();
    let [house_in, house_out] = houses;
    Records {
        case_in,
        case_out,
        referral_in,
        referral_out,
        approval_in,
        approval_out,
        house_in,
        house_out,
        placement_in,
        placement_out,
        consent_in,
        consent_out,
        note_in,
        note_out,
    }
}

fn draft(commune: &str) -> binhan::domain::intake::IntakeDraft {
    use binhan::domain::intake::*;
    IntakeDraft {
        report_source: "hotline".into(),
        report_channel: "phone".into(),
        reported_at: Some(Utc::now()),
        commune_code: commune.into(),
        survivor: SurvivorDraft {
            full_name: "Lê Thị Hoa".into(),
            sex: "female".into(),
            birth_date: Some((Utc::now() - chrono::Duration::days(365 * 12 + 30)).date_naive()),
            ..Default::default()
        },
        incident: IncidentDraft { forms: vec!["mental".into()], ..Default::default() },
        perpetrator: PerpetratorDraft { relationship: "spouse".into(), ..Default::default() },
        ..Default::default()
    }
}

#[test]
fn the_openapi_document_describes_exactly_the_routes_of_the_api() {
    use utoipa::OpenApi;
    let doc = serde_json::to_value(binhan::http::api::ApiDoc::openapi()).unwrap();
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    documented.sort();
    let mut routes: Vec<(String, String)> =
        ROUTES.iter().map(|(m, p)| (m.to_string(), format!("/api/v1{p}"))).collect();
    routes.sort();
    assert_eq!(documented, routes, "OpenAPI paths vs api_routes!");
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

/// Found by schemathesis (scripts/api-fuzz): query parameters documented as path
/// parameters, problems documented as `application/json`, 400 and 401 missing.
#[test]
fn the_openapi_document_puts_each_parameter_and_problem_where_it_is() {
    use utoipa::OpenApi;
    let doc = serde_json::to_value(binhan::http::api::ApiDoc::openapi()).unwrap();
    let public = ["/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/openapi.json"];
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let params = operation["parameters"].as_array().cloned().unwrap_or_default();
            for param in &params {
                let name = param["name"].as_str().unwrap();
                let in_path = path.contains(&format!("{{{name}}}"));
                assert_eq!(
                    param["in"] == "path",
                    in_path,
                    "{method} {path}: parameter {name} is in {}",
                    param["in"]
                );
            }
            for (status, response) in operation["responses"].as_object().unwrap() {
                let content = response["content"].as_object().cloned().unwrap_or_default();
                for (media, body) in &content {
                    let problem = body["schema"]["$ref"] == "#/components/schemas/Problem";
                    assert_eq!(
                        problem,
                        media == "application/problem+json",
                        "{method} {path} {status}: {media}"
                    );
                }
            }
            let responses = &operation["responses"];
            if !public.contains(&path.as_str()) {
                assert!(responses["401"].is_object(), "{method} {path}: 401 undocumented");
            }
            if operation["requestBody"].is_object() {
                assert!(responses["400"].is_object(), "{method} {path}: 400 undocumented");
            }
        }
    }
}

/// Found by schemathesis: a method a path does not have was 404; it is 405 with
/// `Allow`, as a problem.
#[actix_web::test]
async fn a_method_a_path_does_not_have_is_405_with_allow() {
    let db = crate::support::db::TestDb::sqlite();
    db.migrated();
    let app = init_service(app(state(&db))).await;
    for (method, uri, allow) in [
        ("TRACE", "/api/v1/me", "GET"),
        ("DELETE", "/api/v1/cases", "GET, POST"),
        ("PUT", "/api/v1/cases/0190", "GET, PATCH"),
        ("GET", "/api/v1/auth/login", "POST"),
    ] {
        let method = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
        let res =
            call_service(&app, TestRequest::default().method(method.clone()).uri(uri).to_request()).await;
        assert_eq!(res.status(), 405, "{method} {uri}");
        assert_eq!(res.headers().get("allow").unwrap(), allow, "{method} {uri}");
        assert_eq!(res.headers().get("content-type").unwrap(), "application/problem+json");
    }
}

#[actix_web::test]
async fn the_openapi_document_is_served_as_json() {
    let db = crate::support::db::TestDb::sqlite();
    db.migrated();
    let app = init_service(app(state(&db))).await;
    let res = call_service(&app, TestRequest::get().uri("/api/v1/openapi.json").to_request()).await;
    assert_eq!(res.status(), 200);
    let doc: Value = actix_web::test::read_body_json(res).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(doc["info"]["title"], "Bình An API");
}

/// Every page route that names a record: method and path, `{step}` walked as each
/// step of a placement.
const RECORD_PAGES: &[(&str, &str)] = &[
    ("get", "/cases/{id}"),
    ("get", "/cases/{id}/erase"),
    ("post", "/cases/{id}/erase"),
    ("post", "/cases/{id}/edit"),
    ("post", "/cases/{id}/transition"),
    ("post", "/cases/{id}/approvals/{approval}"),
    ("post", "/cases/{id}/risk"),
    ("post", "/cases/{id}/consents"),
    ("post", "/cases/{id}/consents/{consent}/withdraw"),
    ("post", "/cases/{id}/overrides"),
    ("post", "/cases/{id}/measures"),
    ("post", "/cases/{id}/notes"),
    ("post", "/cases/{id}/follow-ups/{note}/done"),
    ("post", "/cases/{id}/referrals"),
    ("post", "/cases/{id}/referrals/{referral}"),
    ("post", "/cases/{id}/placements"),
    ("post", "/cases/{id}/placements/{placement}/cancel"),
    ("post", "/approvals/{id}"),
    ("post", "/duplicates/{id}"),
    ("get", "/cases/{id}/access-log"),
    ("post", "/account-changes/{id}"),
    ("post", "/placements/{id}/notes"),
    ("post", "/placements/{id}/{step}"),
    ("get", "/admin/safe-houses/{id}"),
    ("post", "/admin/safe-houses/{id}"),
    ("get", "/admin/safe-houses/{id}/deactivate"),
    ("post", "/admin/safe-houses/{id}/deactivate"),
];

/// Placeholders of page routes that name no record.
const NOT_RECORDS: [&str; 6] = ["{username}", "{lang}", "{name}", "{kind}", "{year}", "{format}"];

#[test]
fn every_page_route_that_names_a_record_is_in_the_committee_walk() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http/pages");
    let mut sources = vec![root.clone()];
    let mut unwalked = Vec::new();
    while let Some(dir) = sources.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices(".route(\"") {
                let rest = &text[at + 8..];
                let route = &rest[..rest.find('"').unwrap()];
                let names_record = route.contains('{') && !NOT_RECORDS.iter().any(|p| route.contains(p));
                if names_record && !RECORD_PAGES.iter().any(|(_, full)| full.ends_with(route)) {
                    unwalked.push(format!("{route} ({})", path.display()));
                }
            }
        }
    }
    assert!(unwalked.is_empty(), "page routes with a record missing from RECORD_PAGES: {unwalked:?}");
}

on_both_backends! {
    async fn a_committee_member_gets_404_or_403_on_every_page_that_names_a_record(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        for (name, role) in [("hanh", Role::SocialWorker), ("mai", Role::SafeHouseStaff), ("thu", Role::CommitteeMember)] {
            let user = account(&db, &mut conn, name, role);
            if role.requires_second_factor() {
                enrol_with_secret(&mut conn, &db.keys(), user.id, SECRET, Utc::now().naive_utc()).unwrap();
            }
        }
        let records = records(&db, &mut conn);
        let app = init_service(app(state(&db))).await;
        let mut thu = crate::sign_in_pages::Browser::default();
        let code = current_code(SECRET, Utc::now().naive_utc()).unwrap();
        let signed = crate::sign_in_pages::sign_in(&app, &mut thu, "thu", PASSWORD, &code).await;
        assert_eq!(signed.status, 303);
        let token = thu.send(&app, thu.get("/account")).await.field("csrf_token");
        let mut answered = Vec::new();
        for (method, path) in RECORD_PAGES {
            for on in [&records.case_in, &records.case_out] {
                let (case, referral, approval, placement, consent, note) = if on == &records.case_in {
                    (&records.case_in, &records.referral_in, &records.approval_in, &records.placement_in, &records.consent_in, &records.note_in)
                } else {
                    (&records.case_out, &records.referral_out, &records.approval_out, &records.placement_out, &records.consent_out, &records.note_out)
                };
                let house = if on == &records.case_in { &records.house_in } else { &records.house_out };
                let id = match path.split('/').nth(1) {
                    Some("approvals") => approval,
                    Some("placements") => placement,
                    Some("admin") => house,
                    _ => case,
                };
                let filled = path
                    .replace("{id}", id)
                    .replace("{consent}", consent)
                    .replace("{note}", note)
                    .replace("{referral}", referral)
                    .replace("{placement}", placement)
                    .replace("{approval}", approval);
                let steps: Vec<String> = if filled.contains("{step}") {
                    ["accept", "decline", "check-in", "check-out", "cancel"].iter().map(|s| filled.replace("{step}", s)).collect()
                } else {
                    vec![filled]
                };
                for uri in steps {
                    let req = if *method == "get" { thu.get(&uri) } else { thu.post(&uri, &[("csrf_token", token.as_str())]) };
                    let page = thu.send(&app, req).await;
                    if !matches!(page.status, 403 | 404) {
                        answered.push(format!("{method} {uri}: {}", page.status));
                    }
                    assert!(!page.html.contains("Lê Thị Hoa"), "{method} {uri} shows the survivor's name");
                }
            }
        }
        assert!(answered.is_empty(), "a committee member reached: {answered:?}");
    }
}
