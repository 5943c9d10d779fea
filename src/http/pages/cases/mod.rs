//! The case pages (design §8): a worker's cases and the search, the intake form,
//! a case with the work on it, and a supervisor's approvals and overview. Each
//! handler reads the form, calls the case services as the signed-in caller and
//! renders; refusals come back as messages on the page they were made from.
//!
//! | route | handler |
//! |---|---|
//! | `GET /cases`, `POST /cases/search` | `list` |
//! | `GET/POST /cases/new` | `intake` |
//! | `GET /cases/{id}`, `GET/POST /cases/{id}/erase` | `show` |
//! | `GET /cases/{id}/access-log` | `access_log` |
//! | `POST /cases/{id}/…` (edit, transition, approvals, risk, consents, overrides, measures, notes, follow-ups, referrals, placements) | `work` |
//! | `GET /approvals`, `POST /approvals/{id}`, `GET /overview` | `supervision` |
//! | `GET /duplicates`, `POST /duplicates/{id}` | `duplicates` |

mod access_log;
mod duplicates;
mod field_messages;
mod form;
mod intake;
mod list;
mod placements;
mod refusals;
mod show;
mod supervision;
pub(super) mod time;
mod views;
mod work;

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

pub use field_messages::field_text;
pub use form::labelled;
pub use refusals::explain;
pub use supervision::home_attention;
pub use time::{show_date, show_time};
pub use views::HomeAttention;

use super::bridge::{Member, today_in_vietnam};
use super::{PageContext, render_error};
use crate::error::AppError;
use crate::http::caller::caller;
use crate::http::session::tokens_match;
use crate::http::{AppState, blocking};
use crate::services::cases::access::{Caller, CaseError};
use crate::services::communes::CommuneName;
use crate::store::admin_units;

/// Free text on these forms can be long (an intake's account of what happened
/// holds up to 20,000 characters, each up to 9 bytes once form-encoded).
const FORM_LIMIT: usize = 256 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    let forms = web::FormConfig::default().limit(FORM_LIMIT).error_handler(super::form_error);
    cfg.service(
        web::scope("/cases")
            .app_data(forms.clone())
            .route("", web::get().to(list::page))
            .route("/search", web::post().to(list::search))
            .route("/new", web::get().to(intake::form))
            .route("/new", web::post().to(intake::submit))
            .route("/{id}", web::get().to(show::page))
            .route("/{id}/access-log", web::get().to(access_log::page))
            .route("/{id}/erase", web::get().to(show::confirm_erase))
            .route("/{id}/erase", web::post().to(work::erase))
            .route("/{id}/edit", web::post().to(work::edit))
            .route("/{id}/transition", web::post().to(work::transition))
            .route("/{id}/approvals/{approval}", web::post().to(work::decide))
            .route("/{id}/risk", web::post().to(work::risk))
            .route("/{id}/consents", web::post().to(work::consent))
            .route("/{id}/consents/{consent}/withdraw", web::post().to(work::withdraw_consent))
            .route("/{id}/overrides", web::post().to(work::override_consent))
            .route("/{id}/measures", web::post().to(work::measure))
            .route("/{id}/notes", web::post().to(work::note))
            .route("/{id}/follow-ups/{note}/done", web::post().to(work::follow_up_done))
            .route("/{id}/referrals", web::post().to(work::refer))
            .route("/{id}/referrals/{referral}", web::post().to(work::update_referral))
            .route("/{id}/placements", web::post().to(work::request_placement))
            .route("/{id}/placements/{placement}/cancel", web::post().to(work::cancel_placement)),
    )
    .service(
        web::scope("/approvals")
            .app_data(forms)
            .route("", web::get().to(supervision::approvals))
            .route("/{id}", web::post().to(supervision::decide)),
    )
    .service(
        web::scope("/duplicates")
            .app_data(web::FormConfig::default().limit(FORM_LIMIT).error_handler(super::form_error))
            .route("", web::get().to(duplicates::list))
            .route("/{id}", web::post().to(duplicates::decide)),
    )
    .route("/overview", web::get().to(supervision::overview));
}

/// Every message key the case pages pick at run time (for the catalog's test).
pub fn dynamic_keys() -> Vec<&'static str> {
    let mut keys = field_messages::field_message_keys();
    keys.extend(intake::STEP_KEYS);
    keys.extend(show::DONE.iter().map(|(_, key)| *key));
    keys.extend(duplicates::REASON_KEYS);
    keys
}

/// A form's fields as sent, in order (checkboxes repeat their name).
pub struct Posted(pub Vec<(String, String)>);

impl Posted {
    /// The first value of `name`, trimmed; empty when absent.
    pub fn one(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
    }

    /// Every value of `name` that is not empty.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    pub fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }

    /// `Some(text)` when the field was sent (an empty field clears what it edits).
    pub fn given(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string())
    }

    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.one(name)).filter(|v| !v.is_empty())
    }

    fn token_matches(&self, member: &Member) -> bool {
        tokens_match(&member.session.csrf_token, &self.one("csrf_token"))
    }
}

/// A form that must carry the session's CSRF token: `Err` is the 403 page.
pub fn checked_form(
    member: &Member,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<Posted, Box<HttpResponse>> {
    let posted = Posted(fields.into_inner());
    if posted.token_matches(member) {
        Ok(posted)
    } else {
        Err(Box::new(render_error(&member.ctx, StatusCode::FORBIDDEN)))
    }
}

/// The signed-in person as the case services know them.
pub fn caller_of(state: &AppState, member: &Member) -> Caller {
    caller(&member.req, state, &member.session)
}

/// Runs case work off the async workers. The outer error is the system failing;
/// the inner one is the case work refusing, for the page to explain.
pub async fn run<T: Send + 'static>(
    state: &AppState,
    member: &Member,
    work: impl FnOnce(&mut crate::store::DbConn, &Caller) -> Result<T, CaseError> + Send + 'static,
) -> Result<Result<T, CaseError>, AppError> {
    let who = caller_of(state, member);
    blocking(state, move |conn| Ok(work(conn, &who))).await
}

/// The page of a refusal that leaves nothing to show: no such case (or not the
/// reader's), or not allowed; anything else is the system's failure.
pub fn refusal_page(member: &Member, error: CaseError) -> Result<HttpResponse, AppError> {
    match error {
        CaseError::NotFound => Ok(render_error(&member.ctx, StatusCode::NOT_FOUND)),
        CaseError::Forbidden => Ok(render_error(&member.ctx, StatusCode::FORBIDDEN)),
        other => Err(other.into()),
    }
}

/// A record id from a path: anything else is no such record.
pub fn record_id(text: &str) -> Option<uuid::Uuid> {
    text.parse().ok()
}

/// The names of the communes of the province in force today, by code.
pub async fn commune_names(state: &AppState) -> Result<HashMap<String, String>, AppError> {
    let province = state.config.province.clone();
    blocking(state, move |conn| {
        Ok(admin_units::communes_of_province(conn, &province, today_in_vietnam())
            .map_err(crate::store::StoreError::from)?
            .into_iter()
            .map(|c| (c.code.clone(), c.full_name()))
            .collect())
    })
    .await
}

/// The name of every commune a case may have been recorded in, as a page shows
/// it: those in force today, an old commune by the 2025 commune it became part
/// of, a split one by its old name marked as former ("Xã Đại Nài (cũ)").
pub async fn case_commune_names(
    state: &AppState,
    ctx: &PageContext,
) -> Result<HashMap<String, String>, AppError> {
    let province = state.config.province.clone();
    let names = blocking(state, move |conn| {
        Ok(crate::services::communes::names_of_province(conn, &province, today_in_vietnam())
            .map_err(crate::store::StoreError::from)?)
    })
    .await?;
    Ok(names
        .into_iter()
        .map(|(code, name)| match name {
            CommuneName::Current(name) => (code, name),
            CommuneName::Former(name) => (code, ctx.t1("commune-former", "name", &name)),
        })
        .collect())
}

/// The name of a commune, or its code when no list knows it.
pub fn commune_name(names: &HashMap<String, String>, code: &str) -> String {
    names.get(code).cloned().unwrap_or_else(|| code.to_string())
}

/// Where the browser goes after work on a case: back to it, saying what was done
/// (a fixed word in the URL, never what was typed), at the section it was done in.
pub fn back_to_case(id: uuid::Uuid, done: &str, section: &str) -> HttpResponse {
    super::see_other(&format!("/cases/{id}?done={done}#{section}"))
}
