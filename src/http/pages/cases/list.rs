//! "Hồ sơ của tôi": the signed-in person's cases, overdue first, with filters in
//! the address (codes only) and a search by name or phone that is posted, so a
//! name never goes into a URL.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::field_messages::field_text;
use super::form::{FieldText, Fields};
use super::time::show_time;
use super::views::{CaseLine, CasesPage};
use super::{Posted, case_commune_names, checked_form, commune_name, commune_names, refusal_page, run};
use crate::domain::lifecycle::CaseStatus;
use crate::domain::risk::RiskLevel;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::bridge::Member;
use crate::http::pages::{PageContext, render};
use crate::services::cases::access::CaseError;
use crate::services::cases::listing::{self, CaseSummary, ListFilter, SearchTerms};
use crate::store::case_lists::Counts;

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

/// The list's address: filter codes and the opaque cursor only, never a name.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    status: Option<String>,
    risk: Option<String>,
    overdue: Option<String>,
    commune: Option<String>,
    mine: Option<String>,
    child: Option<String>,
    cursor: Option<String>,
}

impl ListQuery {
    /// The filters as given, in the order of the form (empty ones left out).
    fn kept(&self) -> Vec<(String, String)> {
        let given = [
            ("status", &self.status),
            ("risk", &self.risk),
            ("commune", &self.commune),
            ("overdue", &self.overdue),
            ("mine", &self.mine),
            ("child", &self.child),
        ];
        given
            .into_iter()
            .filter_map(|(name, value)| {
                value
                    .as_deref()
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| (name.to_string(), v.to_string()))
            })
            .collect()
    }

    fn filter(&self) -> ListFilter {
        let on = |v: &Option<String>| v.as_deref() == Some("1");
        let status = self.status.as_deref().and_then(CaseStatus::parse);
        ListFilter {
            status,
            open_only: status != Some(CaseStatus::Closed),
            overdue_only: on(&self.overdue),
            commune: self.commune.clone().filter(|v| !v.trim().is_empty()),
            risk: self.risk.as_deref().and_then(RiskLevel::parse),
            mine: on(&self.mine),
            child: on(&self.child),
        }
    }
}

/// "/cases?…" with these query pairs (codes and the cursor only).
fn list_href(pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return "/cases".into();
    }
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", percent_encoded(v))).collect();
    format!("/cases?{}", query.join("&"))
}

/// A query value as it goes in an address: codes and cursors pass as they are,
/// anything else (an edited address) percent-encoded.
fn percent_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A choice's label with how many cases it would show.
fn counted(label: String, n: i64) -> String {
    format!("{label} ({n})")
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

/// What the list shows besides its rows: the total, the pages, the counts.
struct Paging {
    counts: Counts,
    next_href: String,
    first_href: String,
    notice: String,
}

async fn list_page(
    state: &AppState,
    member: &Member,
    filters: &Posted,
    search: &Posted,
    search_errors: &[FieldText],
    found: Result<Vec<CaseSummary>, String>,
    paging: Option<Paging>,
) -> Result<HttpResponse, AppError> {
    let mut ctx = member.ctx.clone();
    ctx.path = "/cases".into();
    let ctx = &ctx;
    let names = commune_names(state).await?;
    let case_names = case_commune_names(state, ctx).await?;
    let f = Fields { ctx, posted: filters, errors: &[], prefix: "" };
    let empty = Counts::default();
    let counts = paging.as_ref().map_or(&empty, |p| &p.counts);
    let count_of =
        |list: &[(String, i64)], code: &str| list.iter().find(|(c, _)| c == code).map_or(0, |(_, n)| *n);
    let statuses = CaseStatus::ALL
        .iter()
        .map(|s| {
            let label = ctx.label("status", s.as_str());
            (s.as_str().to_string(), counted(label, count_of(&counts.by_status, s.as_str())))
        })
        .collect();
    let risks = RiskLevel::ALL
        .iter()
        .map(|r| {
            let n =
                counts.by_risk.iter().find(|(c, _)| c.as_deref() == Some(r.as_str())).map_or(0, |(_, n)| *n);
            (r.as_str().to_string(), counted(ctx.risk_label(Some(r.as_str())), n))
        })
        .collect();
    let communes = commune_choices(member, &names)
        .into_iter()
        .map(|(code, name)| {
            let n = count_of(&counts.by_commune, &code);
            (code, counted(name, n))
        })
        .collect();
    let filter_fields = vec![
        f.select("status", ctx.t("cases-filter-status"), statuses, true),
        f.select("risk", ctx.t("cases-filter-risk"), risks, true),
        f.select("commune", ctx.t("cases-filter-commune"), communes, true),
        f.check("overdue", counted(ctx.t("cases-filter-overdue"), counts.overdue)),
        f.check("mine", counted(ctx.t("cases-filter-mine"), counts.mine)),
        f.check("child", counted(ctx.t("cases-filter-child"), counts.child)),
    ];
    let s = Fields { ctx, posted: search, errors: search_errors, prefix: "" };
    let search_fields =
        vec![s.text("name", ctx.t("cases-search-name")), s.tel("phone", ctx.t("cases-search-phone"))];
    let (cases, search_error, status) = match found {
        Ok(cases) => (cases, String::new(), StatusCode::OK),
        Err(message) => (Vec::new(), message, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let status = if paging.as_ref().is_some_and(|p| !p.notice.is_empty()) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        status
    };
    let total = paging.as_ref().map(|p| ctx.t_count("cases-total", "count", &(p.counts.total.max(0) as u32)));
    let page = CasesPage {
        ctx,
        title: ctx.t("page-cases"),
        cases: cases.iter().map(|c| case_line(ctx, &case_names, c)).collect(),
        filters: filter_fields,
        search: search_fields,
        searched: paging.is_none(),
        search_error,
        total: total.unwrap_or_default(),
        next_href: paging.as_ref().map(|p| p.next_href.clone()).unwrap_or_default(),
        first_href: paging.as_ref().map(|p| p.first_href.clone()).unwrap_or_default(),
        notice: paging.map(|p| p.notice).unwrap_or_default(),
    };
    Ok(render(status, &page))
}

/// GET /cases?status=&risk=&commune=&overdue=1&mine=1&child=1&cursor= — one page of
/// the list (a supervisor's: the province), with the counts per filter value.
pub async fn page(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let kept = q.kept();
    let filter = q.filter();
    let cursor = q.cursor.clone().filter(|c| !c.trim().is_empty());
    let asked = cursor.clone();
    let answer = run(&state, &member, move |conn, who| {
        match listing::page(conn, who, &filter, asked.as_deref(), listing::PAGE_SIZE) {
            // An address with a cursor this list did not give (edited, or from an old
            // version): the first page, with a word about it.
            Err(CaseError::Invalid(_)) => {
                listing::page(conn, who, &filter, None, listing::PAGE_SIZE).map(|page| (page, true))
            }
            other => other.map(|page| (page, false)),
        }
    })
    .await?;
    let (found, bad_cursor) = match answer {
        Ok(found) => found,
        Err(e) => return refusal_page(&member, e),
    };
    let with_cursor = |c: &str| {
        let mut pairs = kept.clone();
        pairs.push(("cursor".into(), c.to_string()));
        list_href(&pairs)
    };
    let paging = Paging {
        next_href: found.next_cursor.as_deref().map(with_cursor).unwrap_or_default(),
        first_href: if cursor.is_some() && !bad_cursor { list_href(&kept) } else { String::new() },
        notice: if bad_cursor { member.ctx.t("cases-cursor-bad") } else { String::new() },
        counts: found.counts,
    };
    list_page(&state, &member, &Posted(kept), &Posted(Vec::new()), &[], Ok(found.items), Some(paging)).await
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
        return list_page(&state, &member, &Posted(Vec::new()), &posted, &[], Err(message), None).await;
    }
    let problems = terms.problems();
    if !problems.is_empty() {
        let texts: Vec<FieldText> =
            problems.iter().map(|p| FieldText::new(p.field, field_text(&member.ctx, &p.message))).collect();
        let message = member.ctx.t("cases-search-refused");
        return list_page(&state, &member, &Posted(Vec::new()), &posted, &texts, Err(message), None).await;
    }
    let per_minute = state.config.lookups_per_minute;
    let found =
        match run(&state, &member, move |conn, who| listing::search(conn, who, &terms, per_minute)).await? {
            Ok(found) => found,
            Err(CaseError::RateLimited { retry_after_s }) => {
                let message = too_many_lookups(&member.ctx, retry_after_s);
                let page =
                    list_page(&state, &member, &Posted(Vec::new()), &posted, &[], Err(message), None).await?;
                return Ok(too_many(page, retry_after_s));
            }
            Err(e) => return refusal_page(&member, e),
        };
    list_page(&state, &member, &Posted(Vec::new()), &posted, &[], Ok(found), None).await
}

/// "Too many searches this minute", with the wait, in the page's language.
pub fn too_many_lookups(ctx: &PageContext, retry_after_s: u64) -> String {
    ctx.t_with("lookups-too-many", &[("seconds", &retry_after_s.to_string())])
}

/// A page answering a lookup over the limit: 429 with `Retry-After`.
pub fn too_many(mut page: HttpResponse, retry_after_s: u64) -> HttpResponse {
    *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&retry_after_s.to_string()) {
        page.headers_mut().insert(actix_web::http::header::RETRY_AFTER, value);
    }
    page
}
