//! `GET/POST /enrol`: the owner of a new or reset account chooses her password with
//! the one-time enrolment code a supervisor (or the server's operator) handed her.
//! No session exists yet, so the form's CSRF token is the sign-in page's double
//! submit; attempts count against the address like sign-ins do.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::account::{password_problem_key, problem_key_of_message};
use super::context::PageContext;
use super::render;
use super::sign_in::{login_csrf_cookie, login_token};
use super::views::{EnrolPage, FieldMessage};
use crate::domain::password::check_new_password;
use crate::error::AppError;
use crate::http::blocking;
use crate::http::session::{ClientAddr, actor, session_cookie, state, tokens_match};
use crate::services::accounts::AccountError;
use crate::services::auth::{AuthError, AuthSettings};
use crate::services::enrolment;

fn page(
    ctx: &PageContext,
    token: &str,
    set_cookie: bool,
    username: &str,
    errors: &[FieldMessage],
) -> HttpResponse {
    let ctx = ctx.clone().with_csrf_token(token);
    let page = EnrolPage { ctx: &ctx, title: ctx.t("page-enrol"), username: username.to_string(), errors };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut response = render(status, &page);
    if set_cookie && let Err(e) = response.add_cookie(&login_csrf_cookie(token)) {
        tracing::error!(error = %e, "enrolment form cookie not set");
    }
    response
}

/// GET /enrol
pub async fn form(req: HttpRequest, ctx: PageContext) -> Result<HttpResponse, AppError> {
    let (token, fresh) = login_token(&req)?;
    Ok(page(&ctx, &token, fresh, "", &[]))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EnrolFields {
    username: String,
    code: Zeroizing<String>,
    new_password: Zeroizing<String>,
    repeat_password: Zeroizing<String>,
    totp: Zeroizing<String>,
    csrf_token: String,
}

/// POST /enrol
pub async fn submit(
    req: HttpRequest,
    ctx: PageContext,
    client: ClientAddr,
    form: web::Form<EnrolFields>,
) -> Result<HttpResponse, AppError> {
    let state = state(&req)?;
    let fields = form.into_inner();
    let username = fields.username.trim().to_lowercase();
    let (token, fresh) = login_token(&req)?;
    let again = |errors: &[FieldMessage]| page(&ctx, &token, fresh, &username, errors);
    if fresh || !tokens_match(&token, &fields.csrf_token) {
        return Ok(again(&[FieldMessage::new("code", "enrol-error-form-expired")]));
    }
    if !state.throttle.allow(client.0) {
        return Ok(again(&[FieldMessage::new("code", "enrol-error-too-many")]));
    }
    let mut errors = Vec::new();
    if username.is_empty() {
        errors.push(FieldMessage::new("username", "enrol-error-username"));
    }
    if fields.code.trim().is_empty() {
        errors.push(FieldMessage::new("code", "enrol-error-code-missing"));
    }
    if let Err(problem) = check_new_password(&fields.new_password, &[&username]) {
        errors.push(FieldMessage::new("new_password", password_problem_key(problem)));
    } else if *fields.new_password != *fields.repeat_password {
        errors.push(FieldMessage::new("repeat_password", "account-error-repeat"));
    }
    if !errors.is_empty() {
        return Ok(again(&errors));
    }
    let settings = AuthSettings::from_config(&state.config);
    let request = actor(&req, None);
    let keys = state.keys.clone();
    let name = username.clone();
    let outcome = blocking(&state, move |conn| {
        let second: String = fields.totp.chars().filter(|c| !c.is_whitespace()).collect();
        Ok(enrolment::enrol(
            conn,
            &keys,
            &settings,
            &request,
            &name,
            &fields.code,
            Some(second.as_str()).filter(|c| !c.is_empty()),
            &fields.new_password,
            Utc::now().naive_utc(),
        ))
    })
    .await?;
    match outcome {
        Ok(session) => {
            let mut response = super::see_other(super::bridge::next_step(session.stage));
            response
                .add_cookie(&session_cookie(&session.token, state.config.cookie_secure))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(response)
        }
        Err(AccountError::Auth(AuthError::CodeRequired)) => {
            Ok(again(&[FieldMessage::new("totp", "enrol-error-second-factor")]))
        }
        Err(AccountError::Auth(AuthError::InvalidCredentials)) => {
            Ok(again(&[FieldMessage::new("code", "enrol-error-code")]))
        }
        Err(AccountError::Invalid(found)) => {
            let errors: Vec<FieldMessage> = found
                .iter()
                .map(|e| FieldMessage::new(&e.field, problem_key_of_message(&e.message)))
                .collect();
            Ok(again(&errors))
        }
        Err(e) => Err(e.into()),
    }
}
