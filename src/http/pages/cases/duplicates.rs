//! A supervisor's possible duplicates (issue 17): cases recorded by someone who
//! could not see an older case of the same survivor. Each item shows both cases
//! (number, commune) and why they match; the supervisor links them or dismisses
//! the item. Anyone who may reconcile nothing is told there is no such page (404).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::refusals::explain;
use super::show_time;
use super::{case_commune_names, checked_form, commune_name, record_id, refusal_page, run};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::bridge::Member;
use crate::http::pages::{Lang, PageContext, render, render_error, see_other};
use crate::services::cases::access::CaseError;
use crate::services::cases::duplicates::{self, MatchReason, Reconcile};

/// The message keys of the reason codes, picked at run time.
pub const REASON_KEYS: [&str; 3] =
    ["duplicate-reason-name_birth", "duplicate-reason-phone", "duplicate-reason-id_number"];

fn reason_key(reason: MatchReason) -> &'static str {
    match reason {
        MatchReason::NameBirth => REASON_KEYS[0],
        MatchReason::Phone => REASON_KEYS[1],
        MatchReason::IdNumber => REASON_KEYS[2],
    }
}

pub struct CaseCell {
    pub id: String,
    pub number: String,
    pub commune: String,
}

pub struct DuplicateLine {
    pub id: String,
    pub new_case: CaseCell,
    pub existing_case: CaseCell,
    pub reasons: String,
    pub found: String,
}

#[derive(Template)]
#[template(path = "duplicates.html")]
pub struct DuplicatesPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub items: Vec<DuplicateLine>,
    pub notice: String,
    pub message: String,
}

#[derive(Deserialize)]
pub struct DuplicatesQuery {
    done: Option<String>,
}

/// GET /duplicates
pub async fn list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<DuplicatesQuery>,
) -> Result<HttpResponse, AppError> {
    let notice = match query.done.as_deref() {
        Some("linked") => member.ctx.t("duplicates-done-linked"),
        Some("dismissed") => member.ctx.t("duplicates-done-dismissed"),
        _ => String::new(),
    };
    list_page(&state, &member, notice, String::new(), StatusCode::OK).await
}

async fn list_page(
    state: &AppState,
    member: &Member,
    notice: String,
    message: String,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let items = match run(state, member, duplicates::open_items).await? {
        Ok(items) => items,
        Err(e) => return refusal_page(member, e),
    };
    let names = case_commune_names(state, &member.ctx).await?;
    let mut ctx = member.ctx.clone();
    ctx.path = "/duplicates".into();
    let ctx = &ctx;
    let cell = |side: &duplicates::CaseSide| CaseCell {
        id: side.id.clone(),
        number: side.case_number.clone(),
        commune: commune_name(&names, &side.commune_code),
    };
    let items = items
        .iter()
        .map(|item| DuplicateLine {
            id: item.id.clone(),
            new_case: cell(&item.new_case),
            existing_case: cell(&item.existing_case),
            reasons: item.reasons.iter().map(|r| ctx.t(reason_key(*r))).collect::<Vec<_>>().join(", "),
            found: show_time(item.created_at),
        })
        .collect();
    let page = DuplicatesPage { ctx, title: ctx.t("page-duplicates"), items, notice, message };
    Ok(render(status, &page))
}

/// POST /duplicates/{id} — `decision=link` or `decision=dismiss`.
pub async fn decide(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<String>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = record_id(&id) else { return Ok(render_error(&member.ctx, StatusCode::NOT_FOUND)) };
    let posted = match checked_form(&member, fields) {
        Ok(posted) => posted,
        Err(refused) => return Ok(*refused),
    };
    let decision = Reconcile::parse(&posted.one("decision"));
    let decided =
        run(&state, &member, move |conn, who| duplicates::reconcile(conn, who, id, decision)).await?;
    match decided {
        Err(CaseError::Invalid(_)) => {
            let message = member.ctx.t("duplicates-choose");
            list_page(&state, &member, String::new(), message, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Ok(decision) => Ok(see_other(match decision {
            Reconcile::Link => "/duplicates?done=linked",
            Reconcile::Dismiss => "/duplicates?done=dismissed",
        })),
        Err(e) => match explain(&member.ctx, &e) {
            Some((status, message, problems)) => {
                let message = std::iter::once(message).chain(problems).collect::<Vec<_>>().join(" ");
                list_page(&state, &member, String::new(), message, status).await
            }
            None => refusal_page(&member, e),
        },
    }
}
