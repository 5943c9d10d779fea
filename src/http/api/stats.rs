//! Anonymized statistics and the periodic reports on the JSON API: the same
//! view as the pages (labels in the language of `Accept-Language`), figures as
//! numbers and hidden cells as the string "suppressed".

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::reporting::ReportKind;
use crate::error::{AppError, Problem};
use crate::http::caller::caller;
use crate::http::pages::Lang;
use crate::http::pages::reports::view::{Figure, ReportView, RowView, report_view};
use crate::http::pages::reports::{file_format, file_response};
use crate::http::session::SignedIn;
use crate::http::{AppState, blocking};
use crate::services::cases::access::Caller;
use crate::services::stats::{self, ExportFormat, Report, StatsError, StatsRules};

impl From<StatsError> for AppError {
    fn from(e: StatsError) -> Self {
        match e {
            StatsError::NotFound => AppError::NotFound,
            StatsError::Forbidden => AppError::Forbidden,
            StatsError::NotReady(period) => AppError::Refused {
                code: "report_not_ready",
                title: "Kỳ báo cáo chưa kết thúc (reporting period not over)",
                detail: format!(
                    "Kỳ báo cáo kéo dài đến hết tháng {last}; số liệu có sau khi kỳ kết thúc. \
                     The period runs to the end of {last}; its figures come once it is over.",
                    last = period.last
                ),
                allowed: Vec::new(),
                current_version: None,
            },
            StatsError::Store(e) => crate::store::StoreError::Query(e).into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ColumnJson {
    key: String,
    label: String,
}

#[derive(Serialize, ToSchema)]
pub struct RowJson {
    key: String,
    label: String,
    /// One per column: a number, or "suppressed" (disclosure control), or a
    /// derived figure as text (averages, per cents).
    #[schema(schema_with = figures_schema)]
    figures: Vec<serde_json::Value>,
}

/// A figure: a count (an integer), or text ("suppressed", an average, a per cent).
fn figures_schema() -> utoipa::openapi::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
    ArrayBuilder::new()
        .items(ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::Integer, Type::String])))
        .build()
}

#[derive(Serialize, ToSchema)]
pub struct TableJson {
    id: String,
    title: String,
    row_header: String,
    columns: Vec<ColumnJson>,
    rows: Vec<RowJson>,
    totals: Option<RowJson>,
    /// Most cells are hidden: the figures of the whole scope say more.
    mostly_suppressed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ReportJson {
    /// half-year or annual
    kind: String,
    year: i32,
    title: String,
    /// First and last month of the period, as YYYY-MM.
    first_month: String,
    last_month: String,
    due: NaiveDate,
    /// ready (figures can still grow until the due day) or due
    status: String,
    /// province, or the communes of a local committee member
    scope: String,
    /// k: cells of 1 to k−1 cases are suppressed.
    threshold: u64,
    /// Cases reported in the period; absent when the report is withheld.
    cases: Option<u64>,
    /// Too few cases to publish anything for this scope.
    withheld: bool,
    made_at: DateTime<Utc>,
    coverage: Vec<String>,
    tables: Vec<TableJson>,
}

fn figure_json(figure: &Figure) -> serde_json::Value {
    match figure {
        Figure::Count(n) => serde_json::Value::from(*n),
        Figure::Hidden => serde_json::Value::from("suppressed"),
        Figure::Text(t) => serde_json::Value::from(t.clone()),
    }
}

fn row_json(row: &RowView) -> RowJson {
    RowJson {
        key: row.key.clone(),
        label: row.label.clone(),
        figures: row.figures.iter().map(figure_json).collect(),
    }
}

fn report_json(report: &Report, view: &ReportView) -> ReportJson {
    let month = |m: crate::domain::reporting::Month| format!("{}-{:02}", m.year(), m.month());
    ReportJson {
        kind: view.kind.to_string(),
        year: view.year,
        title: view.title.clone(),
        first_month: month(report.period.first),
        last_month: month(report.period.last),
        due: report.period.due,
        status: view.status.to_string(),
        scope: view.scope.clone(),
        threshold: report.threshold,
        cases: report.cases,
        withheld: report.withheld,
        made_at: report.made_at,
        coverage: view.coverage.clone(),
        tables: view
            .tables
            .iter()
            .map(|t| TableJson {
                id: t.id.to_string(),
                title: t.title.clone(),
                row_header: t.row_header.clone(),
                columns: t
                    .column_keys
                    .iter()
                    .zip(&t.columns)
                    .map(|(key, label)| ColumnJson { key: key.clone(), label: label.clone() })
                    .collect(),
                rows: t.rows.iter().map(row_json).collect(),
                totals: t.totals.as_ref().map(row_json),
                mostly_suppressed: t.mostly_hidden,
            })
            .collect(),
    }
}

fn rules(state: &AppState) -> StatsRules {
    state.config.stats_rules().unwrap_or_default()
}

async fn read<T: Send + 'static>(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    session: &SignedIn,
    job: impl FnOnce(&mut crate::store::DbConn, &Caller, &StatsRules) -> Result<T, StatsError> + Send + 'static,
) -> Result<T, AppError> {
    let who = caller(req, state, &session.0);
    let rules = rules(state);
    blocking(state, move |conn| job(conn, &who, &rules).map_err(AppError::from)).await
}

fn report_path(kind: &str, year: &str) -> Result<(ReportKind, i32), AppError> {
    match (ReportKind::parse(kind), year.parse::<i32>()) {
        (Some(kind), Ok(year)) => Ok((kind, year)),
        _ => Err(AppError::NotFound),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    /// half-year or annual; with `year`. Default: the newest report with figures.
    kind: Option<String>,
    year: Option<i32>,
}

/// GET /api/v1/stats/summary — the dashboard's figures: cases by commune, month,
/// age and sex, form of violence.
#[utoipa::path(get, path = "/api/v1/stats/summary", tag = "statistics", params(SummaryQuery),
    responses((status = 200, body = ReportJson), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, description = "The period is not over", body = Problem),
              (status = 422, description = "kind without year, or year without kind", body = Problem)))]
pub async fn summary(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    query: web::Query<SummaryQuery>,
) -> Result<HttpResponse, AppError> {
    let wanted = match (query.kind.as_deref(), query.year) {
        (Some(kind), Some(year)) => Some((ReportKind::parse(kind).ok_or(AppError::NotFound)?, year)),
        (None, None) => None,
        _ => {
            return Err(AppError::Invalid(vec![crate::error::FieldError {
                field: "kind".into(),
                message: "give both kind (half-year or annual) and year, or neither".into(),
            }]));
        }
    };
    let report = read(&req, &state, &session, move |conn, who, rules| {
        let (kind, year) = match wanted {
            Some(chosen) => chosen,
            None => {
                let today = who.now.with_timezone(&crate::domain::deadlines::vietnam()).date_naive();
                let newest = rules.calendar.published(today, 2).first().map(|p| (p.kind, p.year));
                newest.ok_or(StatsError::NotFound)?
            }
        };
        stats::summary(conn, who, rules, kind, year)
    })
    .await?;
    let view = report_view(&report, Lang::of_request(&req));
    Ok(HttpResponse::Ok().json(report_json(&report, &view)))
}

/// GET /api/v1/reports/{kind}/{year} — a periodic report with all its tables.
#[utoipa::path(get, path = "/api/v1/reports/{kind}/{year}", tag = "statistics",
    params(("kind" = String, Path, description = "half-year or annual"), ("year" = i32, Path)),
    responses((status = 200, body = ReportJson), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, description = "The period is not over", body = Problem)))]
pub async fn report(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (kind, year) = report_path(&path.0, &path.1)?;
    let report =
        read(&req, &state, &session, move |conn, who, rules| stats::report(conn, who, rules, kind, year))
            .await?;
    let view = report_view(&report, Lang::of_request(&req));
    Ok(HttpResponse::Ok().json(report_json(&report, &view)))
}

/// GET /api/v1/reports/{kind}/{year}/{format} — the report as CSV or XLSX, the
/// same figures as the JSON; recorded as an export.
#[utoipa::path(get, path = "/api/v1/reports/{kind}/{year}/{format}", tag = "statistics",
    params(("kind" = String, Path, description = "half-year or annual"), ("year" = i32, Path),
           ("format" = String, Path, description = "csv or xlsx")),
    responses((status = 200, description = "The file (text/csv or XLSX)"), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, description = "The period is not over", body = Problem)))]
pub async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (kind, year) = report_path(&path.0, &path.1)?;
    let format: ExportFormat = file_format(&path.2).ok_or(AppError::NotFound)?;
    let report = read(&req, &state, &session, move |conn, who, rules| {
        stats::export(conn, who, rules, kind, year, format)
    })
    .await?;
    let lang = Lang::of_request(&req);
    file_response(&report_view(&report, lang), lang, format)
}
