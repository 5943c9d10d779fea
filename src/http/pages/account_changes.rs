//! A supervisor's page of account changes: what an administrator asked that would
//! let an account read people's data, waiting for her confirmation, and what was
//! decided lately (`services::account_changes`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{NaiveDateTime, Utc};
use serde::Deserialize;

use super::bridge::Member;
use super::cases::time::show_time;
use super::context::{PageContext, role_key};
use super::views::{AccountChangeLine, AccountChangesPage, AccountCodePage};
use super::{render, render_error, see_other};
use crate::error::AppError;
use crate::http::session::tokens_match;
use crate::http::{AppState, blocking};
use crate::services::account_changes::{self, ChangeKind, ChangeView, Decider, Decision};
use crate::services::accounts::AccountError;

fn when(at: NaiveDateTime) -> String {
    show_time(at.and_utc())
}

/// What a change asks, in words.
fn what(
    ctx: &PageContext,
    change: &ChangeView,
    communes: &std::collections::HashMap<String, String>,
) -> String {
    let kind = ctx.t(match change.kind {
        ChangeKind::Create => "account-change-create",
        ChangeKind::Widen => "account-change-widen",
        ChangeKind::Enable => "account-change-enable",
        ChangeKind::ResetPassword => "account-change-reset-password",
        ChangeKind::ResetSecondFactor => "account-change-reset-second-factor",
    });
    let role = change.asked_role.unwrap_or(change.role);
    let mut scope: Vec<String> =
        change.asked_communes.iter().map(|c| communes.get(c).cloned().unwrap_or_else(|| c.clone())).collect();
    scope.extend(change.asked_safe_house.clone());
    if scope.is_empty() {
        format!("{kind} · {}", ctx.t(role_key(role)))
    } else {
        format!("{kind} · {} · {}", ctx.t(role_key(role)), scope.join(", "))
    }
}

fn decider_of(state: &AppState, member: &Member) -> (crate::authz::Principal, crate::audit::Actor) {
    (crate::authz::Principal::of(&member.session.user, &state.config.province), member.actor.clone())
}

#[derive(Deserialize)]
pub struct ListQuery {
    done: Option<String>,
}

/// GET /account-changes
pub async fn list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let (principal, actor) = decider_of(&state, &member);
    let policies = state.policies.clone();
    let found = blocking(&state, move |conn| {
        let decider = Decider { principal: &principal, policies: &policies, actor: &actor };
        Ok(account_changes::waiting_and_recent(conn, &decider, Utc::now().naive_utc()))
    })
    .await?;
    let (waiting, recent) = match found {
        Ok(found) => found,
        Err(AccountError::Forbidden) => return Ok(render_error(&member.ctx, StatusCode::FORBIDDEN)),
        Err(e) => return Err(e.into()),
    };
    let ctx = &member.ctx;
    let communes = super::cases::commune_names(&state).await?;
    let line = |change: &ChangeView| AccountChangeLine {
        id: change.id.clone(),
        username: change.username.clone(),
        display_name: change.display_name.clone(),
        what: what(ctx, change, &communes),
        requested_by: change.requested_by.clone(),
        requested_at: when(change.requested_at),
        decided: match (&change.decided_by, change.decided_at) {
            (Some(by), Some(at)) => format!(
                "{} {by}, {}",
                ctx.t(if change.status == "confirmed" {
                    "account-changes-confirmed-by"
                } else {
                    "account-changes-refused-by"
                }),
                when(at)
            ),
            _ => String::new(),
        },
        may_decide: change.may_decide,
    };
    let notice = match query.done.as_deref() {
        Some("confirmed") => Some(ctx.t("account-changes-done-confirmed")),
        Some("refused") => Some(ctx.t("account-changes-done-refused")),
        _ => None,
    };
    let page = AccountChangesPage {
        ctx,
        title: ctx.t("page-account-changes"),
        waiting: waiting.iter().map(line).collect(),
        recent: recent.iter().map(line).collect(),
        notice,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct DecisionFields {
    csrf_token: String,
    decision: String,
}

/// POST /account-changes/{id} — confirm or refuse; a confirmation that issued an
/// enrolment code shows it once, to hand over in person.
pub async fn decide(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<String>,
    form: web::Form<DecisionFields>,
) -> Result<HttpResponse, AppError> {
    if !tokens_match(&member.session.csrf_token, &form.csrf_token) {
        return Ok(render_error(&member.ctx, StatusCode::FORBIDDEN));
    }
    let decision = match form.decision.as_str() {
        "confirm" => Decision::Confirm,
        "refuse" => Decision::Refuse,
        _ => return Ok(render_error(&member.ctx, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    let (principal, actor) = decider_of(&state, &member);
    let policies = state.policies.clone();
    let id = id.into_inner();
    let outcome = blocking(&state, move |conn| {
        let decider = Decider { principal: &principal, policies: &policies, actor: &actor };
        Ok(account_changes::decide(conn, &decider, &id, decision, Utc::now().naive_utc()))
    })
    .await?;
    let decided = match outcome {
        Ok(decided) => decided,
        Err(AccountError::Forbidden) => return Ok(render_error(&member.ctx, StatusCode::FORBIDDEN)),
        Err(AccountError::NotFound(_)) => return Ok(render_error(&member.ctx, StatusCode::NOT_FOUND)),
        Err(e) => return Err(e.into()),
    };
    match (decided.code, decided.code_expires_at) {
        (Some(code), Some(until)) => {
            let ctx = &member.ctx;
            let page = AccountCodePage {
                ctx,
                title: ctx.t("page-account-code"),
                username: decided.username,
                code: code.to_string(),
                expires: when(until),
            };
            Ok(render(StatusCode::OK, &page))
        }
        _ => Ok(see_other(if decided.decision == Decision::Confirm {
            "/account-changes?done=confirmed"
        } else {
            "/account-changes?done=refused"
        })),
    }
}

/// What a supervisor's home page says of account changes: how many wait for her,
/// the first of them, and the last decided.
#[derive(Debug, Clone, Default)]
pub struct HomeChanges {
    pub waiting: u32,
    pub first: Vec<String>,
    pub recent: Vec<String>,
}

/// How many lines of each the home page shows.
const HOME_LINES: usize = 3;

pub(in crate::http::pages) async fn for_home(
    state: &AppState,
    ctx: &PageContext,
    session: &crate::services::auth::Authenticated,
    actor: crate::audit::Actor,
) -> Result<Option<HomeChanges>, AppError> {
    let principal = crate::authz::Principal::of(&session.user, &state.config.province);
    let policies = state.policies.clone();
    let found = blocking(state, move |conn| {
        let decider = Decider { principal: &principal, policies: &policies, actor: &actor };
        Ok(account_changes::waiting_and_recent(conn, &decider, Utc::now().naive_utc()))
    })
    .await?;
    let (waiting, recent) = match found {
        Ok(found) => found,
        Err(AccountError::Forbidden) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let communes = super::cases::commune_names(state).await?;
    let line = |c: &ChangeView| format!("{} — {} ({})", what(ctx, c, &communes), c.display_name, c.username);
    let mine: Vec<&ChangeView> = waiting.iter().filter(|c| c.may_decide).collect();
    Ok(Some(HomeChanges {
        waiting: u32::try_from(mine.len()).unwrap_or(u32::MAX),
        first: mine.iter().take(HOME_LINES).map(|c| line(c)).collect(),
        recent: recent.iter().take(HOME_LINES).map(line).collect(),
    }))
}
