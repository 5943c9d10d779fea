//! Calling the JSON API of the in-process app as a signed-in user.

use actix_web::body::MessageBody;
use actix_web::cookie::Cookie;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::{TestRequest, call_service, read_body};
use binhan::services::auth::current_code;
use chrono::Utc;
use serde_json::{Value, json};

use super::app::PASSWORD;

/// The second-factor secret every test account that needs one is enrolled with.
pub const SECRET: &[u8; 20] = b"twenty bytes secret!";

/// Answers as (status, JSON body or Null).
pub async fn send<S, B>(app: &S, req: TestRequest) -> (u16, Value)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let res = call_service(app, req.to_request()).await;
    let status = res.status().as_u16();
    let bytes = read_body(res).await;
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Signs in through the API and returns the session cookie.
pub async fn sign_in<S, B>(app: &S, username: &str, second_factor: bool) -> Cookie<'static>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let code = second_factor.then(|| current_code(SECRET, Utc::now().naive_utc()).unwrap());
    let req = TestRequest::post()
        .uri("/api/v1/auth/login")
        .set_json(json!({"username": username, "password": PASSWORD, "totp": code}));
    let res = call_service(app, req.to_request()).await;
    assert_eq!(res.status(), 200, "{username} signs in");
    res.response()
        .cookies()
        .find(|c| c.name() == "__Host-binhan_session")
        .expect("session cookie")
        .into_owned()
}

pub fn get(path: &str, cookie: &Cookie<'static>) -> TestRequest {
    TestRequest::get().uri(&format!("/api/v1{path}")).cookie(cookie.clone())
}

pub fn post(path: &str, cookie: &Cookie<'static>, body: Value) -> TestRequest {
    TestRequest::post().uri(&format!("/api/v1{path}")).cookie(cookie.clone()).set_json(body)
}

pub fn patch(path: &str, cookie: &Cookie<'static>, body: Value) -> TestRequest {
    TestRequest::patch().uri(&format!("/api/v1{path}")).cookie(cookie.clone()).set_json(body)
}
