//! The signed-in person's own account: `GET /account` (who am I, second factor,
//! change password), `POST /account/password`, and the second-factor set-up
//! (`GET/POST /account/second-factor`), which a
//! session still without its required second factor reaches too.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::bridge::{AnyMember, Member, page_user};
use super::context::PageContext;
use super::views::{
    AccountPage, ChoosePasswordPage, FieldMessage, RecoveryCodesPage, SecondFactorPage, SecondFactorStep,
};
use super::{render, render_error, see_other};
use crate::audit::Actor;
use crate::domain::password::{PasswordProblem, check_new_password};
use crate::error::AppError;
use crate::http::session::{cleared_session_cookie, session_cookie, tokens_match};
use crate::http::{AppState, blocking};
use crate::services::accounts::{self, AccountError};
use crate::services::auth::{self, AuthError, AuthSettings, Authenticated, Stage};

/// The message key of a refused new password.
pub fn password_problem_key(problem: PasswordProblem) -> &'static str {
    match problem {
        PasswordProblem::TooShort => "account-error-new-too-short",
        PasswordProblem::TooLong => "account-error-new-too-long",
        PasswordProblem::TooGuessable => "account-error-new-guessable",
    }
}

fn account_page(ctx: &PageContext, session: &Authenticated, errors: &[FieldMessage]) -> HttpResponse {
    let page = AccountPage {
        ctx,
        title: ctx.t("page-account"),
        username: session.user.username.clone(),
        second_factor: session.user.second_factor,
        errors,
    };
    render(if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }, &page)
}

/// GET /account
pub async fn show(member: Member) -> HttpResponse {
    account_page(&member.ctx, &member.session, &[])
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordFields {
    current_password: Zeroizing<String>,
    new_password: Zeroizing<String>,
    repeat_password: Zeroizing<String>,
    csrf_token: String,
}

/// POST /account/password — on success every session of the user ends, this one
/// too, and she signs in again with the new password.
pub async fn change_password(
    state: web::Data<AppState>,
    member: Member,
    form: web::Form<PasswordFields>,
) -> Result<HttpResponse, AppError> {
    let Member { ctx, session, actor: member_actor, .. } = member;
    let fields = form.into_inner();
    if !tokens_match(&session.csrf_token, &fields.csrf_token) {
        return Ok(render_error(&ctx, StatusCode::FORBIDDEN));
    }
    let mut errors = Vec::new();
    if fields.current_password.is_empty() {
        errors.push(FieldMessage::new("current_password", "account-error-current-missing"));
    }
    if let Err(problem) =
        check_new_password(&fields.new_password, &[&session.user.username, &session.user.display_name])
    {
        errors.push(FieldMessage::new("new_password", password_problem_key(problem)));
    } else if *fields.new_password != *fields.repeat_password {
        errors.push(FieldMessage::new("repeat_password", "account-error-repeat"));
    }
    if !errors.is_empty() {
        return Ok(account_page(&ctx, &session, &errors));
    }
    let settings = AuthSettings::from_config(&state.config);
    let user = session.user.clone();
    let who = member_actor;
    let outcome = blocking(&state, move |conn| {
        Ok(accounts::change_password(
            conn,
            &settings,
            &who,
            &user,
            &fields.current_password,
            &fields.new_password,
            Utc::now().naive_utc(),
        ))
    })
    .await?;
    match outcome {
        Ok(()) => {
            let mut response = see_other("/login?notice=password-changed");
            response
                .add_cookie(&cleared_session_cookie(state.config.cookie_secure))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(response)
        }
        Err(AccountError::Invalid(found)) => {
            let errors: Vec<FieldMessage> = found
                .iter()
                .map(|e| match e.field.as_str() {
                    "current_password" => {
                        FieldMessage::new("current_password", "account-error-current-wrong")
                    }
                    field => FieldMessage::new(field, problem_key_of_message(&e.message)),
                })
                .collect();
            Ok(account_page(&ctx, &session, &errors))
        }
        Err(e) => Err(e.into()),
    }
}

fn choose_password_page(ctx: &PageContext, errors: &[FieldMessage]) -> HttpResponse {
    let page = ChoosePasswordPage { ctx, title: ctx.t("page-choose-password"), errors };
    render(if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }, &page)
}

/// GET /account/new-password — for a session whose password an administrator
/// gave; anyone else has her own already and goes to her account page.
pub async fn choose_password_form(member: AnyMember) -> HttpResponse {
    if member.session.stage != Stage::ChangePassword {
        return see_other("/account");
    }
    choose_password_page(&member.ctx, &[])
}

/// POST /account/new-password — she chooses her own password; her session goes on
/// under a new cookie, to the second-factor set-up where it is needed, else home.
pub async fn choose_password(
    state: web::Data<AppState>,
    member: AnyMember,
    form: web::Form<PasswordFields>,
) -> Result<HttpResponse, AppError> {
    let AnyMember { ctx, session, actor: who } = member;
    let fields = form.into_inner();
    if !tokens_match(&session.csrf_token, &fields.csrf_token) {
        return Ok(render_error(&ctx, StatusCode::FORBIDDEN));
    }
    if session.stage != Stage::ChangePassword {
        return Ok(see_other("/account"));
    }
    let mut errors = Vec::new();
    if fields.current_password.is_empty() {
        errors.push(FieldMessage::new("current_password", "account-error-current-missing"));
    }
    if let Err(problem) =
        check_new_password(&fields.new_password, &[&session.user.username, &session.user.display_name])
    {
        errors.push(FieldMessage::new("new_password", password_problem_key(problem)));
    } else if *fields.new_password != *fields.repeat_password {
        errors.push(FieldMessage::new("repeat_password", "account-error-repeat"));
    }
    if !errors.is_empty() {
        return Ok(choose_password_page(&ctx, &errors));
    }
    let settings = AuthSettings::from_config(&state.config);
    let user = session.user.clone();
    let outcome = blocking(&state, move |conn| {
        Ok(accounts::choose_password(
            conn,
            &settings,
            &who,
            &user,
            &fields.current_password,
            &fields.new_password,
            Utc::now().naive_utc(),
        ))
    })
    .await?;
    match outcome {
        Ok(next) => {
            let mut response = see_other(super::bridge::next_step(next.stage));
            response
                .add_cookie(&session_cookie(&next.token, state.config.cookie_secure))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(response)
        }
        Err(AccountError::Invalid(found)) => {
            let errors: Vec<FieldMessage> = found
                .iter()
                .map(|e| match e.field.as_str() {
                    "current_password" => {
                        FieldMessage::new("current_password", "choose-password-error-given")
                    }
                    _ if e.message.starts_with("choose a password other") => {
                        FieldMessage::new("new_password", "choose-password-error-same")
                    }
                    field => FieldMessage::new(field, problem_key_of_message(&e.message)),
                })
                .collect();
            Ok(choose_password_page(&ctx, &errors))
        }
        Err(e) => Err(e.into()),
    }
}

/// The service reports a refused new password in words; the page names the reason
/// in the reader's language.
pub(super) fn problem_key_of_message(message: &str) -> &'static str {
    [PasswordProblem::TooShort, PasswordProblem::TooLong, PasswordProblem::TooGuessable]
        .into_iter()
        .find(|problem| problem.to_string() == message)
        .map_or("account-error-new-refused", password_problem_key)
}

/// The QR code as markup to put in the page: the service draws it (no user input
/// reaches it but the username, percent-encoded inside the data), without the XML
/// prologue that has no place inside HTML.
fn qr_markup(svg: &str) -> String {
    svg.find("<svg").map(|at| svg[at..].to_string()).unwrap_or_default()
}

/// The base32 secret in groups of four, for typing into an app by hand.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .filter_map(|chunk| std::str::from_utf8(chunk).ok())
        .collect::<Vec<_>>()
        .join(" ")
}

/// GET /account/second-factor — starts the set-up (a new secret, shown as a QR code
/// and as text). Someone whose second factor is in force learns how to move it to
/// a new phone: an administrator resets it, never a session (someone at an
/// unlocked screen could otherwise make it theirs).
pub async fn second_factor(state: web::Data<AppState>, member: AnyMember) -> Result<HttpResponse, AppError> {
    let AnyMember { ctx, session, actor } = member;
    if session.stage == Stage::Full && session.user.second_factor {
        let page = SecondFactorPage {
            ctx: &ctx,
            title: ctx.t("page-second-factor"),
            step: SecondFactorStep::Replace,
        };
        return Ok(render(StatusCode::OK, &page));
    }
    begin(&state, &ctx, &session, actor).await
}

async fn begin(
    state: &AppState,
    ctx: &PageContext,
    session: &Authenticated,
    who: Actor,
) -> Result<HttpResponse, AppError> {
    let keys = state.keys.clone();
    let user = session.user.clone();
    let setup = blocking(state, move |conn| {
        Ok(auth::begin_second_factor(conn, &keys, &who, &user, Utc::now().naive_utc())?)
    })
    .await?;
    let step = SecondFactorStep::Scan {
        qr_svg: qr_markup(&setup.qr_svg),
        secret: grouped(&setup.secret),
        otpauth_uri: setup.otpauth_uri.to_string(),
    };
    let page = SecondFactorPage { ctx, title: ctx.t("page-second-factor"), step };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmFields {
    code: Zeroizing<String>,
    csrf_token: String,
}

/// POST /account/second-factor — the first code confirms the new secret; the page
/// then shows the ten recovery codes, once.
pub async fn confirm_second_factor(
    state: web::Data<AppState>,
    member: AnyMember,
    form: web::Form<ConfirmFields>,
) -> Result<HttpResponse, AppError> {
    let AnyMember { mut ctx, session, actor: who } = member;
    let fields = form.into_inner();
    if !tokens_match(&session.csrf_token, &fields.csrf_token) {
        return Ok(render_error(&ctx, StatusCode::FORBIDDEN));
    }
    let code: Zeroizing<String> =
        Zeroizing::new(fields.code.chars().filter(|c| !c.is_whitespace()).collect());
    let keys = state.keys.clone();
    let confirming = session.clone();
    let outcome = blocking(&state, move |conn| {
        Ok(auth::confirm_second_factor(conn, &keys, &who, &confirming, &code, Utc::now().naive_utc()))
    })
    .await?;
    match outcome {
        Ok(codes) => {
            // A session that was waiting for this is now signed in in full.
            if ctx.user.is_none() {
                ctx.user = Some(page_user(&state, &session.user).await?);
            }
            let codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
            let page = RecoveryCodesPage { ctx: &ctx, title: ctx.t("page-recovery-codes"), codes };
            Ok(render(StatusCode::OK, &page))
        }
        Err(AuthError::InvalidCredentials) => {
            let page = SecondFactorPage {
                ctx: &ctx,
                title: ctx.t("page-second-factor"),
                step: SecondFactorStep::Retry,
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_shown_in_groups_of_four() {
        assert_eq!(grouped("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), "ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567");
        assert_eq!(grouped("ABCDEF"), "ABCD EF");
    }

    #[test]
    fn the_qr_code_loses_its_xml_prologue() {
        assert_eq!(qr_markup(r#"<?xml version="1.0"?><svg a="b"></svg>"#), r#"<svg a="b"></svg>"#);
        assert_eq!(qr_markup("no image"), "");
    }

    #[test]
    fn each_refused_password_reads_back_from_the_service_message() {
        for problem in [PasswordProblem::TooShort, PasswordProblem::TooLong, PasswordProblem::TooGuessable] {
            assert_eq!(problem_key_of_message(&problem.to_string()), password_problem_key(problem));
        }
        assert_eq!(problem_key_of_message("something else"), "account-error-new-refused");
    }
}
