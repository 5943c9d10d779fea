//! A supervisor's pages: the requests waiting for a decision (closures of
//! high-risk and child cases, best-interest overrides) and the area overview; and
//! what the home pages of workers and supervisors ask of them now.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::list::case_line;
use super::refusals::explain;
use super::time::show_time;
use super::views::{ApprovalsPage, CommuneLine, HomeApproval, HomeAttention, OverviewPage, PendingLine};
use super::{case_commune_names, checked_form, commune_name, record_id, refusal_page, run};
use crate::domain::lifecycle::CaseStatus;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::caller::caller;
use crate::http::pages::bridge::Member;
use crate::http::pages::{PageContext, render, render_error, see_other};
use crate::http::session::{actor, current_session};
use crate::services::cases::{approvals, listing};

#[derive(Deserialize)]
pub struct ApprovalsQuery {
    done: Option<String>,
}

fn is_supervisor(member: &Member) -> bool {
    member.session.user.role == Role::Supervisor
}

/// GET /approvals
pub async fn approvals(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<ApprovalsQuery>,
) -> Result<HttpResponse, AppError> {
    let notice = match query.done.as_deref() {
        Some("approved") => member.ctx.t("approvals-done-approved"),
        Some("rejected") => member.ctx.t("approvals-done-rejected"),
        _ => String::new(),
    };
    approvals_page(&state, &member, notice, String::new(), StatusCode::OK).await
}

async fn approvals_page(
    state: &AppState,
    member: &Member,
    notice: String,
    message: String,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    if !is_supervisor(member) {
        return Ok(render_error(&member.ctx, StatusCode::FORBIDDEN));
    }
    let pending = match run(state, member, approvals::queue_with_reasons).await? {
        Ok(pending) => pending,
        Err(e) => return refusal_page(member, e),
    };
    let names = case_commune_names(state, &member.ctx).await?;
    let mut ctx = member.ctx.clone();
    ctx.path = "/approvals".into();
    let ctx = &ctx;
    let now = chrono::Utc::now();
    let pending = pending
        .into_iter()
        .map(|p| PendingLine {
            about: p
                .closure_reason
                .as_deref()
                .map(|r| ctx.label("closure-reason", r))
                .or_else(|| p.purpose.as_deref().map(|purpose| ctx.label("consent-purpose", purpose)))
                .unwrap_or_default(),
            kind: ctx.label("approval-kind", p.kind.as_str()),
            reason: p.reason.unwrap_or_default(),
            age_group: ctx.label("age-group", &p.age_group),
            risk: ctx.risk_label(p.risk_level.as_deref()),
            commune: commune_name(&names, &p.commune_code),
            requested: show_time(p.requested_at),
            due: show_time(p.due),
            overdue: p.due < now,
            id: p.id,
            case_id: p.case_id,
            number: p.case_number,
        })
        .collect();
    let page = ApprovalsPage { ctx, title: ctx.t("page-approvals"), pending, notice, message };
    Ok(render(status, &page))
}

/// POST /approvals/{id} — approve (`approve=1`) or reject, with a comment.
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
    let approve = posted.one("approve") == "1";
    let comment = posted.optional("comment");
    let decided =
        run(&state, &member, move |conn, who| approvals::decide(conn, who, id, approve, comment.as_deref()))
            .await?;
    match decided {
        Ok(_) => Ok(see_other(if approve { "/approvals?done=approved" } else { "/approvals?done=rejected" })),
        Err(e) => match explain(&member.ctx, &e) {
            Some((status, message, problems)) => {
                let message = std::iter::once(message).chain(problems).collect::<Vec<_>>().join(" ");
                approvals_page(&state, &member, String::new(), message, status).await
            }
            None => refusal_page(&member, e),
        },
    }
}

/// GET /overview — per commune of the supervisor's area.
pub async fn overview(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, AppError> {
    if !is_supervisor(&member) {
        return Ok(render_error(&member.ctx, StatusCode::FORBIDDEN));
    }
    let by_commune = match run(&state, &member, listing::overview).await? {
        Ok(found) => found,
        Err(e) => return refusal_page(&member, e),
    };
    let names = case_commune_names(&state, &member.ctx).await?;
    let ctx = &member.ctx;
    let mut communes: Vec<CommuneLine> = by_commune
        .into_iter()
        .map(|(code, o)| CommuneLine {
            name: commune_name(&names, &code),
            open: o.open,
            overdue: o.overdue,
            high_risk: o.high_risk,
            by_status: by_status(ctx, &o.by_status),
        })
        .collect();
    communes.sort_by_cached_key(|c| crate::http::pages::admin::vietnamese_sort_key(&c.name));
    let page = OverviewPage { ctx, title: ctx.t("page-overview"), communes };
    Ok(render(StatusCode::OK, &page))
}

/// The cases by status, in the lifecycle's order.
fn by_status(ctx: &PageContext, counts: &BTreeMap<String, usize>) -> Vec<(String, usize)> {
    CaseStatus::ALL
        .iter()
        .filter_map(|s| counts.get(s.as_str()).map(|n| (ctx.label("status", s.as_str()), *n)))
        .collect()
}

/// How many cases and requests a home page lists: enough to start the day on a
/// phone; the full lists are a tap away.
const HOME_CASES: usize = 5;
const HOME_APPROVALS: usize = 3;

/// What the home page of a worker or a supervisor lists: cases overdue or due
/// soon, and for a supervisor the requests waiting (how many, and the oldest).
/// Nothing for other roles.
pub async fn home_attention(req: &HttpRequest, ctx: &PageContext) -> Result<Option<HomeAttention>, AppError> {
    let Some(user) = &ctx.user else { return Ok(None) };
    if !matches!(user.role, Role::SocialWorker | Role::Supervisor) {
        return Ok(None);
    }
    let Some(session) = current_session(req).await? else { return Ok(None) };
    let Some(state) = req.app_data::<web::Data<AppState>>() else { return Ok(None) };
    let who = caller(req, state, &session);
    let supervisor = user.role == Role::Supervisor;
    let (cases, waiting) = crate::http::blocking(state, move |conn| {
        let cases = listing::attention(conn, &who, HOME_CASES).map_err(AppError::from)?;
        let waiting =
            if supervisor { Some(approvals::queue(conn, &who).map_err(AppError::from)?) } else { None };
        Ok((cases, waiting))
    })
    .await?;
    let names = case_commune_names(state, ctx).await?;
    let account_changes = if supervisor {
        crate::http::pages::account_changes::for_home(state, ctx, &session, actor(req, Some(&session)))
            .await?
    } else {
        None
    };
    let now = chrono::Utc::now();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(Some(HomeAttention {
        more: count(cases.total.saturating_sub(cases.cases.len())),
        cases: cases.cases.iter().map(|c| case_line(ctx, &names, c)).collect(),
        approvals: waiting.as_ref().map(|w| count(w.len())),
        first_approvals: waiting
            .unwrap_or_default()
            .into_iter()
            .take(HOME_APPROVALS)
            .map(|p| HomeApproval {
                kind: ctx.label("approval-kind", p.kind.as_str()),
                due: show_time(p.due),
                overdue: p.due < now,
                case_id: p.case_id,
                number: p.case_number,
            })
            .collect(),
        account_changes,
    }))
}
