//! "Hồ sơ của tôi": the signed-in person's cases, overdue first, with filters in
//! the address (codes only) and a search by name or phone that is posted, so a
//! name never goes into a URL.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::form::Fields;
use super::time::show_time;
use super::views::{CaseLine, CasesPage};
use super::{Posted, case_commune_names, checked_form, commune_name, commune_names, refusal_page, run};
use crate::domain::lifecycle::CaseStatus;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::bridge::Member;
use crate::http::pages::{PageContext, render};
use crate::services::cases::listing::{self, CaseSummary, ListFilter, SearchTerms};

/// A case as a list shows it.
pub fn case_line(ctx: &PageContext, names: &HashMap<String, String>, case: &CaseSummary) -> CaseLine {
    let (deadline, state, state_label) = match case.next_deadline {
        Some((deadline, state)) => (
            format!("{} — {}", ctx.label("deadline", deadline.kind.as_str()), show_time(deadline.due)),
            state.as_str().to_string(),
            ctx.label("deadline-state", state.as_str()),
        ),
        None => (String::new(), String::new(), String::new()),
    };
    CaseLine {
        id: case.id.clone(),
        number: case.case_number.clone(),
        commune: commune_name(names, &case.commune_code),
        status: ctx.label("status", &case.status),
        risk: ctx.risk_label(case.risk_level.as_deref()),
        age_group: ctx.label("age-group", &case.age_group),
        deadline,
        deadline_state: state,
        deadline_state_label: state_label,
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    overdue: Option<String>,
    commune: Option<String>,
}

/// The communes the person works in (a supervisor: all of the province).
fn commune_choices(member: &Member, names: &HashMap<String, String>) -> Vec<(String, String)> {
    let mut choices: Vec<(String, String)> = if member.session.user.communes.is_empty() {
        names.iter().map(|(code, name)| (code.clone(), name.clone())).collect()
    } else {
        member.session.user.communes.iter().map(|code| (code.clone(), commune_name(names, code))).collect()
    };
    choices.sort_by_cached_key(|(_, name)| crate::http::pages::admin::vietnamese_sort_key(name));
    choices
}

async fn list_page(
    state: &AppState,
    member: &Member,
    filters: &Posted,
    search: &Posted,
    found: Result<Vec<CaseSummary>, String>,
    searched: bool,
) -> Result<HttpResponse, AppError> {
    let mut ctx = member.ctx.clone();
    ctx.path = "/cases".into();
    let ctx = &ctx;
    let names = commune_names(state).await?;
    let case_names = case_commune_names(state, ctx).await?;
    let f = Fields { ctx, posted: filters, errors: &[], prefix: "" };
    let statuses =
        CaseStatus::ALL.iter().map(|s| (s.as_str().to_string(), ctx.label("status", s.as_str()))).collect();
    let filter_fields = vec![
        f.select("status", ctx.t("cases-filter-status"), statuses, true),
        f.select("commune", ctx.t("cases-filter-commune"), commune_choices(member, &names), true),
        f.check("overdue", ctx.t("cases-filter-overdue")),
    ];
    let s = Fields { ctx, posted: search, errors: &[], prefix: "" };
    let search_fields =
        vec![s.text("name", ctx.t("cases-search-name")), s.tel("phone", ctx.t("cases-search-phone"))];
    let (cases, search_error, status) = match found {
        Ok(cases) => (cases, String::new(), StatusCode::OK),
        Err(message) => (Vec::new(), message, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let page = CasesPage {
        ctx,
        title: ctx.t("page-cases"),
        cases: cases.iter().map(|c| case_line(ctx, &case_names, c)).collect(),
        filters: filter_fields,
        search: search_fields,
        searched,
        search_error,
    };
    Ok(render(status, &page))
}

/// GET /cases?status=&overdue=1&commune=
pub async fn page(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let given = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
    let filter = ListFilter {
        status: q.status.as_deref().and_then(CaseStatus::parse),
        open_only: q.status.as_deref() != Some(CaseStatus::Closed.as_str()),
        overdue_only: q.overdue.as_deref() == Some("1"),
        commune: given(&q.commune),
    };
    let mut kept = Vec::new();
    for (name, value) in [("status", &q.status), ("commune", &q.commune), ("overdue", &q.overdue)] {
        if let Some(value) = given(value) {
            kept.push((name.to_string(), value));
        }
    }
    let found = match run(&state, &member, move |conn, who| listing::list(conn, who, &filter)).await? {
        Ok(found) => found,
        Err(e) => return refusal_page(&member, e),
    };
    list_page(&state, &member, &Posted(kept), &Posted(Vec::new()), Ok(found), false).await
}

/// POST /cases/search — by name (however written) or phone.
pub async fn search(
    state: web::Data<AppState>,
    member: Member,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let posted = match checked_form(&member, fields) {
        Ok(posted) => posted,
        Err(refused) => return Ok(*refused),
    };
    let terms = SearchTerms { name: posted.optional("name"), phone: posted.optional("phone") };
    if terms.name.is_none() && terms.phone.is_none() {
        let message = member.ctx.t("cases-search-empty");
        return list_page(&state, &member, &Posted(Vec::new()), &posted, Err(message), true).await;
    }
    let found = match run(&state, &member, move |conn, who| listing::search(conn, who, &terms)).await? {
        Ok(found) => found,
        Err(e) => return refusal_page(&member, e),
    };
    list_page(&state, &member, &Posted(Vec::new()), &posted, Ok(found), true).await
}
