//! The Committee's pages (design §10): the dashboard with its deadlines and
//! charts, each periodic report, its printable page and its downloads. Only
//! aggregates reach these pages; the services check the policies and audit.
//!
//! | route | what |
//! |---|---|
//! | `GET /reports` | the dashboard: next deadline, reports ready, charts of the newest |
//! | `GET /reports/{half-year\|annual}/{year}` | a report: tables and charts |
//! | `GET /reports/{kind}/{year}/print` | the printable page (PDF from the browser) |
//! | `GET /reports/{kind}/{year}/csv`, `…/xlsx` | the downloads |

pub mod charts;
pub mod exports;
pub mod view;

use actix_web::http::StatusCode;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::reporting::{PeriodStatus, ReportKind, TableId};
use crate::error::AppError;
use crate::http::pages::bridge::Member;
use crate::http::pages::{Lang, PageContext, render, render_error};
use crate::http::{AppState, blocking, caller::caller};
use crate::services::stats::{self, ExportFormat, StatsError, StatsRules};
use charts::Bar;
use view::{Figure, ReportView, TableView, report_title, report_view, status_key};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports", web::get().to(dashboard))
        .route("/reports/{kind}/{year}", web::get().to(show))
        .route("/reports/{kind}/{year}/print", web::get().to(print))
        .route("/reports/{kind}/{year}/{format}", web::get().to(download));
}

/// A chart ready for a template: an image of the SVG (its words are then part of
/// the picture, not of the page, and its figures are in the tables below it).
pub struct Chart {
    pub src: String,
    pub alt: String,
}

impl Chart {
    fn new(title: &str, svg: &str, lang: Lang) -> Chart {
        Chart {
            src: charts::data_uri(svg),
            alt: crate::http::pages::i18n::catalog().message_with(
                lang,
                "reports-chart-alt",
                &[("title", title)],
            ),
        }
    }
}

/// A report line of the dashboard.
pub struct ReportLine {
    pub title: String,
    pub href: String,
    pub status_text: String,
    pub due: String,
}

#[derive(Template)]
#[template(path = "reports.html")]
pub struct DashboardPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub next_title: String,
    pub next_due: String,
    pub next_status: String,
    pub next_period: String,
    pub reports: Vec<ReportLine>,
    pub latest: Option<ReportView>,
    pub latest_href: String,
    pub charts: Vec<Chart>,
}

#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub report: ReportView,
    pub charts: Vec<Chart>,
    pub base: String,
}

#[derive(Template)]
#[template(path = "report_print.html")]
pub struct PrintPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub report: ReportView,
    pub charts: Vec<Chart>,
}

#[derive(Template)]
#[template(path = "report_waiting.html")]
pub struct WaitingPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub explanation: String,
}

fn rules(state: &AppState) -> StatsRules {
    // Checked when the configuration was read.
    state.config.stats_rules().unwrap_or_default()
}

async fn work<T: Send + 'static>(
    state: &web::Data<AppState>,
    member: &Member,
    job: impl FnOnce(
        &mut crate::store::DbConn,
        &crate::services::cases::access::Caller,
        &StatsRules,
    ) -> Result<T, StatsError>
    + Send
    + 'static,
) -> Result<Result<T, StatsError>, AppError> {
    let who = caller(&member.req, state, &member.session);
    let rules = rules(state);
    blocking(state, move |conn| Ok(job(conn, &who, &rules))).await
}

/// What a page shows when the services say no.
fn refused(member: &Member, error: StatsError) -> Result<HttpResponse, AppError> {
    let ctx = &member.ctx;
    match error {
        StatsError::NotFound => Ok(render_error(ctx, StatusCode::NOT_FOUND)),
        StatsError::Forbidden => Ok(render_error(ctx, StatusCode::FORBIDDEN)),
        StatsError::NotReady(period) => {
            let page = WaitingPage {
                ctx,
                title: report_title(ctx.lang, period.kind, period.year),
                explanation: ctx.t_with(
                    "stats-not-ready",
                    &[
                        ("last", &period.last.to_string()),
                        ("due", &period.due.format("%d/%m/%Y").to_string()),
                    ],
                ),
            };
            Ok(render(StatusCode::CONFLICT, &page))
        }
        StatsError::Store(e) => Err(crate::store::StoreError::Query(e).into()),
    }
}

fn path_report(path: &(String, String)) -> Option<(ReportKind, i32)> {
    Some((ReportKind::parse(&path.0)?, path.1.parse().ok()?))
}

/// GET /reports
pub async fn dashboard(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, AppError> {
    let board = match work(&state, &member, stats::dashboard).await? {
        Ok(board) => board,
        Err(e) => return refused(&member, e),
    };
    let ctx = &member.ctx;
    let reports = board
        .published
        .iter()
        .map(|(p, status)| ReportLine {
            title: report_title(ctx.lang, p.kind, p.year),
            href: format!("/reports/{}/{}", p.kind.as_str(), p.year),
            status_text: ctx.t(&status_key(*status)),
            due: p.due.format("%d/%m/%Y").to_string(),
        })
        .collect();
    let next = board.next_due;
    let latest = board.latest.as_ref().map(|r| report_view(r, ctx.lang));
    let charts = latest.as_ref().map(|v| summary_charts(v, ctx.lang)).unwrap_or_default();
    let latest_href = board
        .latest
        .as_ref()
        .map(|r| format!("/reports/{}/{}", r.period.kind.as_str(), r.period.year))
        .unwrap_or_default();
    let page = DashboardPage {
        ctx,
        title: ctx.t("page-reports"),
        next_title: report_title(ctx.lang, next.kind, next.year),
        next_due: next.due.format("%d/%m/%Y").to_string(),
        next_status: ctx.t(&status_key(board.next_status)),
        next_period: ctx
            .t_with("stats-period", &[("first", &next.first.to_string()), ("last", &next.last.to_string())]),
        reports,
        latest,
        latest_href,
        charts,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The report named by a path, read (`format` None) or exported; a refusal is
/// the page that explains it.
async fn report_of(
    state: &web::Data<AppState>,
    member: &Member,
    (kind, year): (String, String),
    format: Option<ExportFormat>,
) -> Result<Result<stats::Report, HttpResponse>, AppError> {
    let Some((kind, year)) = path_report(&(kind, year)) else {
        return Ok(Err(render_error(&member.ctx, StatusCode::NOT_FOUND)));
    };
    let job = move |conn: &mut _, who: &_, rules: &_| match format {
        None => stats::report(conn, who, rules, kind, year),
        Some(format) => stats::export(conn, who, rules, kind, year, format),
    };
    match work(state, member, job).await? {
        Ok(report) => Ok(Ok(report)),
        Err(e) => refused(member, e).map(Err),
    }
}

/// GET /reports/{kind}/{year}
pub async fn show(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let report = match report_of(&state, &member, path.into_inner(), None).await? {
        Ok(report) => report,
        Err(page) => return Ok(page),
    };
    let ctx = &member.ctx;
    let view = report_view(&report, ctx.lang);
    let page = ReportPage {
        ctx,
        title: view.title.clone(),
        charts: report_charts(&view, ctx.lang),
        base: format!("/reports/{}/{}", report.period.kind.as_str(), report.period.year),
        report: view,
    };
    Ok(render(StatusCode::OK, &page))
}

/// GET /reports/{kind}/{year}/print — recorded as an export.
pub async fn print(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let report = match report_of(&state, &member, path.into_inner(), Some(ExportFormat::Print)).await? {
        Ok(report) => report,
        Err(page) => return Ok(page),
    };
    let ctx = &member.ctx;
    let view = report_view(&report, ctx.lang);
    let page =
        PrintPage { ctx, title: view.title.clone(), charts: report_charts(&view, ctx.lang), report: view };
    Ok(render(StatusCode::OK, &page))
}

/// GET /reports/{kind}/{year}/{csv|xlsx}
pub async fn download(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (kind, year, format) = path.into_inner();
    let Some(format) = file_format(&format) else {
        return Ok(render_error(&member.ctx, StatusCode::NOT_FOUND));
    };
    let report = match report_of(&state, &member, (kind, year), Some(format)).await? {
        Ok(report) => report,
        Err(page) => return Ok(page),
    };
    file_response(&report_view(&report, member.ctx.lang), member.ctx.lang, format)
}

pub fn file_format(text: &str) -> Option<ExportFormat> {
    match text {
        "csv" => Some(ExportFormat::Csv),
        "xlsx" => Some(ExportFormat::Xlsx),
        _ => None,
    }
}

/// A report as a file to save: `bao-cao-nam-2026.xlsx` and the like.
pub fn file_response(view: &ReportView, lang: Lang, format: ExportFormat) -> Result<HttpResponse, AppError> {
    let stem = match view.kind {
        "half-year" => format!("bao-cao-6-thang-{}", view.year),
        _ => format!("bao-cao-nam-{}", view.year),
    };
    let (bytes, content_type, extension) = match format {
        ExportFormat::Xlsx => (
            exports::xlsx(view, lang).map_err(|e| AppError::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        _ => (
            exports::csv(view, lang).map_err(|e| AppError::Internal(e.to_string()))?,
            "text/csv; charset=utf-8",
            "csv",
        ),
    };
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(format!("{stem}.{extension}"))],
    };
    Ok(HttpResponse::Ok().content_type(content_type).insert_header(disposition).body(bytes))
}

fn bars_of(table: &TableView, column: usize) -> Vec<Bar> {
    table
        .rows
        .iter()
        .map(|r| Bar {
            label: r.label.clone(),
            figure: r.figures.get(column).cloned().unwrap_or(Figure::Hidden),
        })
        .collect()
}

fn hidden(lang: Lang) -> String {
    Figure::Hidden.text(lang)
}

/// The dashboard's charts: cases by month, by form of violence.
fn summary_charts(view: &ReportView, lang: Lang) -> Vec<Chart> {
    let mut out = Vec::new();
    if let Some(t) = view.table(TableId::CasesByMonth.as_str()) {
        out.push(Chart::new(&t.title, &charts::columns(&t.title, &bars_of(t, 0), &hidden(lang)), lang));
    }
    if let Some(t) = view.table(TableId::CasesByForm.as_str()) {
        out.push(Chart::new(&t.title, &charts::bars(&t.title, &bars_of(t, 0), &hidden(lang)), lang));
    }
    out
}

/// A report's charts: the dashboard's, and stays by kind of house.
fn report_charts(view: &ReportView, lang: Lang) -> Vec<Chart> {
    let mut out = summary_charts(view, lang);
    if let Some(t) = view.table(TableId::Placements.as_str()) {
        out.push(Chart::new(&t.title, &charts::bars(&t.title, &bars_of(t, 0), &hidden(lang)), lang));
    }
    out
}

/// Whether the home page of this role shows the reporting calendar.
pub fn reads_statistics(role: crate::domain::role::Role) -> bool {
    matches!(role, crate::domain::role::Role::CommitteeMember | crate::domain::role::Role::Supervisor)
}

/// The next deadline, for the home page: from the calendar alone.
pub fn next_deadline(state: &AppState, ctx: &PageContext) -> (String, String, String) {
    let rules = rules(state);
    let today = chrono::Utc::now().with_timezone(&crate::domain::deadlines::vietnam()).date_naive();
    let next = rules.calendar.next_due(today);
    let status = next.status(today);
    let text = match status {
        PeriodStatus::Collecting => ctx.t_with("stats-home-collecting", &[("last", &next.last.to_string())]),
        _ => ctx.t("stats-home-ready"),
    };
    (report_title(ctx.lang, next.kind, next.year), next.due.format("%d/%m/%Y").to_string(), text)
}

/// Message keys made from codes.
pub fn dynamic_keys() -> Vec<String> {
    view::dynamic_keys()
}
