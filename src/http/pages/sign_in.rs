//! Signing in and out through the pages: `GET/POST /login`, `POST /logout`.
//!
//! The sign-in form has no session yet, so its CSRF token is a double submit: `GET
//! /login` sets a random token in the `__Host-login_csrf` cookie (Secure, HttpOnly,
//! SameSite=Strict) and in the form; `POST /login` goes on only when both agree.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::bridge::SessionEnded;
use super::context::PageContext;
use super::views::{LoginForm, LoginMessage};
use super::{render_error, render_login, see_other};
use crate::crypto::random::random_hex;
use crate::error::AppError;
use crate::http::blocking;
use crate::http::session::{
    ClientAddr, actor, cleared_session_cookie, current_session, session_cookie, session_token, state,
    tokens_match,
};
use crate::services::auth::{self, AuthError, AuthSettings};

/// The cookie of the sign-in form's CSRF token (before any session exists).
pub const LOGIN_CSRF_COOKIE: &str = "__Host-login_csrf";

pub(super) fn login_csrf_cookie(token: &str) -> Cookie<'static> {
    Cookie::build(LOGIN_CSRF_COOKIE, token.to_string())
        .path("/")
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .finish()
}

/// The token of this browser's sign-in form: the cookie's, when it holds one of
/// ours, else a new one (`true`: the cookie must be set).
pub(super) fn login_token(req: &HttpRequest) -> Result<(String, bool), AppError> {
    let existing = req
        .cookie(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()));
    match existing {
        Some(token) => Ok((token, false)),
        None => {
            let token = random_hex(32).map_err(|e| AppError::Internal(e.to_string()))?;
            Ok((token.to_string(), true))
        }
    }
}

/// The sign-in page with `form`, carrying the form's token (and setting its cookie
/// when it is new).
fn login_page(ctx: &PageContext, form: &LoginForm, token: &str, set_cookie: bool) -> HttpResponse {
    let ctx = ctx.clone().with_csrf_token(token);
    let mut response = render_login(&ctx, form);
    if set_cookie && let Err(e) = response.add_cookie(&login_csrf_cookie(token)) {
        tracing::error!(error = %e, "sign-in form cookie not set");
    }
    response
}

/// GET / — the home page of whoever is signed in; else the sign-in page, saying so
/// when the browser's session has ended.
pub async fn root(
    req: HttpRequest,
    ctx: PageContext,
    state: web::Data<crate::http::AppState>,
) -> HttpResponse {
    if ctx.user.is_none() && req.extensions().get::<SessionEnded>().is_some() {
        return see_other("/login?notice=session-ended");
    }
    let attention = super::cases::home_attention(&req, &ctx).await;
    let house = super::placements::glance(&req, &ctx).await;
    match (attention, house) {
        (Ok(attention), Ok(house)) => {
            let deadline = ctx.user.as_ref().filter(|u| super::reports::reads_statistics(u.role)).map(|_| {
                let (title, due, readiness) = super::reports::next_deadline(&state, &ctx);
                super::views::NextReport { title, due, readiness }
            });
            super::render_home_with(&ctx, attention, house, deadline)
        }
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "home page work list failed");
            super::render_home(&ctx)
        }
    }
}

#[derive(Deserialize)]
pub struct LoginQuery {
    notice: Option<String>,
}

/// GET /login
pub async fn login_page_get(
    req: HttpRequest,
    ctx: PageContext,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, AppError> {
    if ctx.user.is_some() {
        return Ok(see_other("/"));
    }
    let (token, fresh) = login_token(&req)?;
    let form = LoginForm {
        username: String::new(),
        message: query.notice.as_deref().and_then(LoginMessage::from_notice),
    };
    Ok(login_page(&ctx, &form, &token, fresh))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginFields {
    username: String,
    password: Zeroizing<String>,
    totp: Zeroizing<String>,
    csrf_token: String,
}

/// A 6-digit code (spaces allowed) as the service reads it, or a recovery code
/// (`abcde-fghjk`) as typed; None when it is neither.
fn normalized_code(code: &str) -> Option<Zeroizing<String>> {
    let compact: Zeroizing<String> =
        Zeroizing::new(code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect());
    if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
        return Some(compact);
    }
    (compact.len() == 10 && compact.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| Zeroizing::new(code.trim().to_string()))
}

/// POST /login
pub async fn login_submit(
    req: HttpRequest,
    ctx: PageContext,
    client: ClientAddr,
    form: web::Form<LoginFields>,
) -> Result<HttpResponse, AppError> {
    let state = state(&req)?;
    let LoginFields { username, password, totp, csrf_token } = form.into_inner();
    let username = username.trim().to_string();
    let (token, fresh) = login_token(&req)?;
    let again = |message| {
        let form = LoginForm { username: username.clone(), message: Some(message) };
        login_page(&ctx, &form, &token, fresh)
    };
    // A new cookie means the form's token cannot be right: the page was opened too
    // long ago, in another browser, or not by us.
    if fresh {
        tracing::warn!(given = !csrf_token.is_empty(), "form token missing or wrong: request refused");
        return Ok(again(LoginMessage::FormExpired));
    }
    if !tokens_match(&token, &csrf_token) {
        return Ok(again(LoginMessage::FormExpired));
    }
    if !state.throttle.allow(client.0) {
        return Ok(again(LoginMessage::TooManyAttempts));
    }
    if username.is_empty() {
        return Ok(again(LoginMessage::MissingUsername));
    }
    if password.is_empty() {
        return Ok(again(LoginMessage::MissingPassword));
    }
    let code = if totp.trim().is_empty() {
        None
    } else {
        match normalized_code(&totp) {
            Some(code) => Some(code),
            None => return Ok(again(LoginMessage::CodeFormat)),
        }
    };
    let settings = AuthSettings::from_config(&state.config);
    let keys = state.keys.clone();
    let previous = session_token(&req).map(Zeroizing::new);
    let name = username.clone();
    let request = actor(&req, None);
    let outcome = blocking(&state, move |conn| {
        let now = Utc::now().naive_utc();
        let code = code.as_deref().map(|c| c.as_str());
        let outcome = auth::login(conn, &keys, &settings, &request, &name, &password, code, now);
        // A new session replaces the one this browser had (ASVS 7.2.4).
        if outcome.is_ok()
            && let Some(previous) = previous.filter(|t| !t.is_empty())
        {
            auth::logout(conn, &request, &previous, now)?;
        }
        Ok(outcome)
    })
    .await?;
    let session = match outcome {
        Ok(session) => session,
        Err(AuthError::CodeRequired) => return Ok(again(LoginMessage::CodeRequired)),
        Err(AuthError::InvalidCredentials) => return Ok(again(LoginMessage::InvalidCredentials)),
        Err(e) => return Err(e.into()),
    };
    let next = super::bridge::next_step(session.stage);
    let mut response = see_other(next);
    response
        .add_cookie(&session_cookie(&session.token, state.config.cookie_secure))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut used = login_csrf_cookie("");
    used.set_max_age(time::Duration::ZERO);
    response.add_cookie(&used).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(response)
}

/// The only field of forms that carry nothing but their token.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenOnly {
    pub csrf_token: String,
}

/// POST /logout — ends the session, clears the cookie and what the browser kept of
/// the site (cache and storage, so the lock state goes too).
pub async fn logout(
    req: HttpRequest,
    ctx: PageContext,
    form: web::Form<TokenOnly>,
) -> Result<HttpResponse, AppError> {
    let state = state(&req)?;
    if let Some(session) = current_session(&req).await? {
        if !tokens_match(&session.csrf_token, &form.csrf_token) {
            return Ok(render_error(&ctx, actix_web::http::StatusCode::FORBIDDEN));
        }
        if let Some(token) = session_token(&req).map(Zeroizing::new) {
            let who = actor(&req, Some(&session));
            blocking(&state, move |conn| Ok(auth::logout(conn, &who, &token, Utc::now().naive_utc())?))
                .await?;
        }
    }
    let mut response = see_other("/login?notice=signed-out");
    response
        .add_cookie(&cleared_session_cookie(state.config.cookie_secure))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    response.headers_mut().insert(
        header::HeaderName::from_static("clear-site-data"),
        header::HeaderValue::from_static("\"cache\", \"storage\""),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::normalized_code;

    #[test]
    fn six_digits_and_recovery_codes_are_codes_and_nothing_else_is() {
        assert_eq!(normalized_code("123456").as_deref().map(String::as_str), Some("123456"));
        assert_eq!(normalized_code(" 123 456 ").as_deref().map(String::as_str), Some("123456"));
        assert_eq!(normalized_code("abcde-fghjk").as_deref().map(String::as_str), Some("abcde-fghjk"));
        assert_eq!(normalized_code("ABCDEFGHJK").as_deref().map(String::as_str), Some("ABCDEFGHJK"));
        for bad in ["12345", "1234567", "abc", "abcde-fghj", "12345!", "abcde_fghjk"] {
            assert!(normalized_code(bad).is_none(), "{bad}");
        }
    }
}
