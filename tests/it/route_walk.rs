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
use crate::support::app::{PASSWORD, account, state};
use crate::support::db::load_units;

const SECRET: &[u8; 20] = b"twenty bytes secret!";

/// What a route must answer: by role (None: not signed in).
struct Expectation {
    method: &'static str,
    path: &'static str,
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

fn expectations() -> Vec<Expectation> {
    vec![
        Expectation {
            method: "post",
            path: "/auth/login",
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
            body: |_| None,
            status: signed_in(204),
            ends_session: true,
        },
        Expectation {
            method: "post",
            path: "/auth/logout",
            body: |_| None,
            status: |_| 204,
            ends_session: true,
        },
        Expectation {
            method: "post",
            path: "/auth/unlock",
            body: |_| Some(json!({"password": PASSWORD})),
            status: signed_in(204),
            ends_session: false,
        },
        Expectation {
            method: "get",
            path: "/me",
            body: |_| None,
            status: signed_in(200),
            ends_session: false,
        },
        Expectation {
            method: "post",
            path: "/me/password",
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
            body: |_| Some(json!({"code": "000000"})),
            status: |_| 401,
            ends_session: false,
        },
        Expectation {
            method: "post",
            path: "/me/second-factor",
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
            body: |_| None,
            status: |_| 200,
            ends_session: false,
        },
        Expectation {
            method: "get",
            path: "/audit/verify",
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
                let uri = format!("/api/v1{}", expectation.path);
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
                    wrong.push(format!("{} {} as {role:?}: {status}, expected {expected}", expectation.method, expectation.path));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
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
