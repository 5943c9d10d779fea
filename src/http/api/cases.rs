//! Cases on the JSON API (design §11): intake, lists, search (in a body, never in
//! a URL), the duplicate check, a whole case, corrections with their version, and
//! moving a case through its lifecycle.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::body::{Fields, Loose};
use super::case_views::{CaseJson, CaseSummaryJson};
use std::collections::BTreeMap;

use crate::domain::intake::{
    ConsentDraft, FieldProblem, IncidentDraft, IntakeDraft, PerpetratorDraft, SurvivorDraft,
};
use crate::domain::lifecycle::CaseStatus;
use crate::domain::risk::RiskLevel;
use crate::error::{AppError, FieldError, Problem};
use crate::http::caller::caller;
use crate::http::session::SignedIn;
use crate::http::{AppState, blocking};
use crate::services::cases::access::{Caller, CaseError};
use crate::services::cases::listing::{self, DuplicateProbe, ListFilter, SearchTerms};
use crate::services::cases::work::{self, CaseEdit, TransitionOutcome, TransitionRequest};
use crate::services::cases::{RecordedCase, detail, intake};

/// Runs case work off the async workers, as the caller.
pub(super) async fn run<T: Send + 'static>(
    state: &AppState,
    caller: Caller,
    work: impl FnOnce(&mut crate::store::DbConn, &Caller) -> Result<T, CaseError> + Send + 'static,
) -> Result<T, AppError> {
    blocking(state, move |conn| work(conn, &caller).map_err(AppError::from)).await
}

/// A record id from a path: anything that is not one is simply not found.
pub(super) fn record_id(text: &str) -> Result<Uuid, AppError> {
    text.parse().map_err(|_| AppError::NotFound)
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SurvivorBody {
    #[schema(value_type = String)]
    #[serde(default)]
    full_name: Loose<String>,
    /// female, male, other, unknown
    #[schema(value_type = String)]
    #[serde(default)]
    sex: Loose<String>,
    #[schema(value_type = Option<chrono::NaiveDate>)]
    #[serde(default)]
    birth_date: Loose<chrono::NaiveDate>,
    /// When the birth date is not known: 0-5, 6-11, 12-15, 16-17, 18-24, 25-59, 60+
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    age_group: Loose<String>,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    phone: Loose<String>,
    #[schema(value_type = Option<bool>)]
    #[serde(default)]
    has_disability: Loose<bool>,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    id_number: Loose<String>,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    address: Loose<String>,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    guardian_name: Loose<String>,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    guardian_phone: Loose<String>,
    /// How to reach her safely: channels, times, a code word, numbers never to call.
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    safe_contact: Loose<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct IncidentBody {
    #[schema(value_type = Option<chrono::NaiveDate>)]
    #[serde(default)]
    occurred_on: Loose<chrono::NaiveDate>,
    /// physical, mental, sexual, economic (Law 13/2022)
    #[schema(value_type = Vec<String>)]
    #[serde(default)]
    forms: Loose<Vec<String>>,
    /// The acts of Article 3 of Law 13/2022.
    #[schema(value_type = Option<Vec<String>>)]
    #[serde(default)]
    acts: Loose<Vec<String>>,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    gbv_type: Loose<String>,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    gbv_context: Loose<String>,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    narrative: Loose<String>,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    place: Loose<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct PerpetratorBody {
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    full_name: Loose<String>,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    sex: Loose<String>,
    #[schema(value_type = String)]
    #[serde(default)]
    relationship: Loose<String>,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    commune_code: Loose<String>,
}

/// A consent given while the report is taken.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeConsentBody {
    /// services, share_health, share_police, …, placement, statistics
    #[schema(schema_with = super::schemas::consent_purpose)]
    purpose: String,
    /// survivor, guardian, child (who may give it follows her age)
    #[schema(schema_with = super::schemas::consent_giver)]
    given_by: String,
}

/// An intake: the report, the survivor, the incident, the perpetrator, and what
/// is known of her safety (risk factors, consents given now).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct IntakeBody {
    /// Who received the report (Article 19 of Law 13/2022), or self / other.
    #[schema(value_type = String)]
    #[serde(default)]
    report_source: Loose<String>,
    #[schema(value_type = String)]
    #[serde(default)]
    report_channel: Loose<String>,
    #[schema(value_type = chrono::DateTime<chrono::Utc>)]
    #[serde(default)]
    reported_at: Loose<chrono::DateTime<chrono::Utc>>,
    #[schema(value_type = String)]
    #[serde(default)]
    commune_code: Loose<String>,
    #[schema(value_type = Option<bool>)]
    #[serde(default)]
    immediate_danger: Loose<bool>,
    /// Risk factors already known (the first risk assessment, recorded with the case).
    #[schema(value_type = Option<Vec<String>>)]
    #[serde(default)]
    risk_factors: Loose<Vec<String>>,
    /// Consents given now (recorded with the case, given at the time it is saved).
    #[schema(value_type = Option<Vec<IntakeConsentBody>>)]
    #[serde(default)]
    consents: Loose<Vec<IntakeConsentBody>>,
    #[schema(value_type = SurvivorBody)]
    #[serde(default)]
    survivor: Loose<SurvivorBody>,
    #[schema(value_type = IncidentBody)]
    #[serde(default)]
    incident: Loose<IncidentBody>,
    #[schema(value_type = PerpetratorBody)]
    #[serde(default)]
    perpetrator: Loose<PerpetratorBody>,
}

impl IntakeBody {
    /// The draft, or 400 naming every field of the wrong type.
    pub(super) fn into_draft(self) -> Result<IntakeDraft, AppError> {
        let mut f = Fields::default();
        let s = f.take("survivor", self.survivor, "an object").unwrap_or_default();
        let i = f.take("incident", self.incident, "an object").unwrap_or_default();
        let q = f.take("perpetrator", self.perpetrator, "an object").unwrap_or_default();
        let draft = IntakeDraft {
            report_source: f.text("report_source", self.report_source),
            report_channel: f.text("report_channel", self.report_channel),
            reported_at: f.time("reported_at", self.reported_at),
            commune_code: f.text("commune_code", self.commune_code),
            immediate_danger: f.flag("immediate_danger", self.immediate_danger),
            risk_factors: f.codes("risk_factors", self.risk_factors),
            consents: f
                .take("consents", self.consents, "a list of {purpose, given_by}")
                .unwrap_or_default()
                .into_iter()
                .map(|c| ConsentDraft { purpose: c.purpose, given_by: c.given_by })
                .collect(),
            survivor: SurvivorDraft {
                full_name: f.text("survivor.full_name", s.full_name),
                sex: f.text("survivor.sex", s.sex),
                birth_date: f.date("survivor.birth_date", s.birth_date),
                age_group: f.text("survivor.age_group", s.age_group),
                phone: f.text("survivor.phone", s.phone),
                has_disability: f.flag("survivor.has_disability", s.has_disability),
                id_number: f.text("survivor.id_number", s.id_number),
                address: f.text("survivor.address", s.address),
                guardian_name: f.text("survivor.guardian_name", s.guardian_name),
                guardian_phone: f.text("survivor.guardian_phone", s.guardian_phone),
                safe_contact: f.text("survivor.safe_contact", s.safe_contact),
            },
            incident: IncidentDraft {
                occurred_on: f.date("incident.occurred_on", i.occurred_on),
                forms: f.codes("incident.forms", i.forms),
                acts: f.codes("incident.acts", i.acts),
                gbv_type: f.text("incident.gbv_type", i.gbv_type),
                gbv_context: f.text("incident.gbv_context", i.gbv_context),
                narrative: f.text("incident.narrative", i.narrative),
                place: f.text("incident.place", i.place),
            },
            perpetrator: PerpetratorDraft {
                full_name: f.text("perpetrator.full_name", q.full_name),
                sex: f.text("perpetrator.sex", q.sex),
                relationship: f.text("perpetrator.relationship", q.relationship),
                commune_code: f.text("perpetrator.commune_code", q.commune_code),
            },
        };
        f.finish()?;
        Ok(draft)
    }
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    id: String,
    case_number: String,
}

impl From<RecordedCase> for Created {
    fn from(r: RecordedCase) -> Self {
        Created { id: r.id.to_string(), case_number: r.case_number }
    }
}

/// POST /api/v1/cases — records an intake.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = IntakeBody,
    responses((status = 201, body = Created),
        (status = 400, description = "Not JSON, or fields of the wrong type (each named)", body = Problem),
        (status = 403, description = "Not allowed to open a case in this commune", body = Problem),
        (status = 422, description = "Rules not met (each field named)", body = Problem)))]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    body: web::Json<IntakeBody>,
) -> Result<HttpResponse, AppError> {
    let draft = body.into_inner().into_draft()?;
    let created = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        intake::record_intake(conn, who, &draft)
    })
    .await?;
    Ok(HttpResponse::Created().json(Created::from(created)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// How many cases a page holds: 1 to 200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// Where the page starts: the `next_cursor` of the page before, as given (opaque:
    /// a position in the list, no personal data). Leave it out for the first page.
    /// A cursor this list did not give answers 422.
    cursor: Option<String>,
    /// One step of the lifecycle: intake, assessment, planning, implementation,
    /// follow_up, closed.
    status: Option<String>,
    /// The latest risk level: low, medium, high, severe.
    risk: Option<String>,
    /// `true`: only cases with something overdue.
    overdue: Option<String>,
    /// `false`: closed cases too (the default lists open cases; `status=closed` lists
    /// the closed ones).
    open: Option<String>,
    /// A commune's code.
    commune: Option<String>,
    /// `true`: only the cases assigned to the caller.
    mine: Option<String>,
    /// `true`: only cases of a child.
    child: Option<String>,
}

/// Counts of the caller's cases per filter value. Each count keeps the other
/// filters as given and leaves out its own, so it is the `total` the list would
/// have with that value chosen.
#[derive(Serialize, ToSchema)]
pub struct CaseCounts {
    /// Per step of the lifecycle.
    status: BTreeMap<String, i64>,
    /// Per latest risk level; `unassessed` for cases without an assessment.
    risk: BTreeMap<String, i64>,
    /// Per commune code.
    commune: BTreeMap<String, i64>,
    /// Cases with something overdue.
    overdue: i64,
    /// Cases assigned to the caller.
    mine: i64,
    /// Cases of a child.
    child: i64,
}

/// One page of the caller's cases.
#[derive(Serialize, ToSchema)]
pub struct CasePageJson {
    /// The page's cases: overdue first, then by the soonest deadline, then newest.
    items: Vec<CaseSummaryJson>,
    /// Give it as `cursor` for the next page; null on the last one.
    next_cursor: Option<String>,
    /// How many cases the filters select, on every page together.
    total: i64,
    counts: CaseCounts,
}

impl CasePageJson {
    fn of(page: &listing::CasePage) -> Self {
        let c = &page.counts;
        CasePageJson {
            items: page.items.iter().map(CaseSummaryJson::from).collect(),
            next_cursor: page.next_cursor.clone(),
            total: c.total,
            counts: CaseCounts {
                status: c.by_status.iter().cloned().collect(),
                risk: c
                    .by_risk
                    .iter()
                    .map(|(r, n)| (r.clone().unwrap_or_else(|| "unassessed".into()), *n))
                    .collect(),
                commune: c.by_commune.iter().cloned().collect(),
                overdue: c.overdue,
                mine: c.mine,
                child: c.child,
            },
        }
    }
}

/// Search results.
#[derive(Serialize, ToSchema)]
pub struct CaseList {
    cases: Vec<CaseSummaryJson>,
}

/// The filters of a list and the page size, or what is wrong with them (told after
/// the caller was found to work on cases).
fn list_filter(query: &ListQuery) -> Result<(ListFilter, usize), Vec<FieldProblem>> {
    let mut errors = Vec::new();
    let mut flag = |name: &'static str, value: &Option<String>, default: bool| match value.as_deref() {
        None | Some("") => default,
        Some("true") => true,
        Some("false") => false,
        Some(_) => {
            errors.push(FieldProblem { field: name, message: "must be true or false".into() });
            default
        }
    };
    let overdue_only = flag("overdue", &query.overdue, false);
    let open_only = flag("open", &query.open, true);
    let mine = flag("mine", &query.mine, false);
    let child = flag("child", &query.child, false);
    let mut code = |name: &'static str, value: &Option<String>, choices: &[&str]| match value.as_deref() {
        None | Some("") => None,
        Some(text) if choices.contains(&text) => Some(text.to_string()),
        Some(_) => {
            errors.push(FieldProblem {
                field: name,
                message: format!("choose one of: {}", choices.join(", ")),
            });
            None
        }
    };
    let status = code("status", &query.status, &CaseStatus::ALL.map(|s| s.as_str()))
        .and_then(|s| CaseStatus::parse(&s));
    let risk =
        code("risk", &query.risk, &RiskLevel::ALL.map(|r| r.as_str())).and_then(|r| RiskLevel::parse(&r));
    let limit = match query.limit.as_deref().map(str::trim) {
        None | Some("") => listing::PAGE_SIZE,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=listing::MAX_PAGE_SIZE).contains(&n) => n,
            _ => {
                errors.push(FieldProblem {
                    field: "limit",
                    message: format!("must be a whole number from 1 to {}", listing::MAX_PAGE_SIZE),
                });
                listing::PAGE_SIZE
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let filter = ListFilter {
        status,
        open_only,
        overdue_only,
        commune: query.commune.clone().filter(|c| !c.trim().is_empty()),
        risk,
        mine,
        child,
    };
    Ok((filter, limit))
}

/// GET /api/v1/cases — a page of the caller's cases, overdue first (no personal
/// data), with the cursor of the next page and the counts per filter value.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(ListQuery),
    responses((status = 200, body = CasePageJson),
               (status = 422, body = Problem, description = "A filter, the limit or the cursor is not one \
                this list takes: `errors` names each (a bad cursor: leave it out to start again)")))]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let asked = list_filter(&query);
    let cursor = query.cursor.clone();
    let page = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        listing::works_on_cases(conn, who, "case.list")?;
        let (filter, limit) = asked.map_err(CaseError::Invalid)?;
        listing::page(conn, who, &filter, cursor.as_deref(), limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CasePageJson::of(&page)))
}

/// A search: by name (however written) or phone. In the body: names never go in
/// a URL.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchBody {
    name: Option<String>,
    phone: Option<String>,
}

/// POST /api/v1/cases/search — cases in the caller's scope whose survivor has this
/// name or phone.
#[utoipa::path(post, path = "/api/v1/cases/search", tag = "cases", request_body = SearchBody,
    responses((status = 200, body = CaseList), (status = 422, body = Problem),
        (status = 429, description = "Too many searches and duplicate checks by this account this minute (see Retry-After)", body = Problem)))]
pub async fn search(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    body: web::Json<SearchBody>,
) -> Result<HttpResponse, AppError> {
    let SearchBody { name, phone } = body.into_inner();
    if name.as_deref().is_none_or(|n| n.trim().is_empty())
        && phone.as_deref().is_none_or(|p| p.trim().is_empty())
    {
        return Err(AppError::Invalid(vec![FieldError {
            field: "name".into(),
            message: "give a name or a phone number".into(),
        }]));
    }
    let terms = SearchTerms { name, phone };
    let per_minute = state.config.lookups_per_minute;
    let cases = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        listing::search(conn, who, &terms, per_minute)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CaseList { cases: cases.iter().map(CaseSummaryJson::from).collect() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DuplicateBody {
    /// The commune the intake is for.
    commune_code: String,
    full_name: String,
    birth_date: Option<chrono::NaiveDate>,
    phone: Option<String>,
    id_number: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DuplicateAnswer {
    /// Someone with this name and birth year, phone or ID number has a case the
    /// caller may open. A case outside her scope is never told (the answer is the
    /// same as for no match): it becomes a possible duplicate for a supervisor
    /// when the new case is recorded.
    may_already_have_case: bool,
    /// The matching cases the caller may open.
    cases: Vec<CaseSummaryJson>,
}

/// POST /api/v1/cases/duplicates — "this person may already have a case".
#[utoipa::path(post, path = "/api/v1/cases/duplicates", tag = "cases", request_body = DuplicateBody,
    responses((status = 200, body = DuplicateAnswer), (status = 403, body = Problem),
        (status = 429, description = "Too many searches and duplicate checks by this account this minute (see Retry-After)", body = Problem)))]
pub async fn duplicates(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    body: web::Json<DuplicateBody>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let probe = DuplicateProbe {
        commune_code: b.commune_code,
        full_name: b.full_name,
        birth_date: b.birth_date,
        phone: b.phone,
        id_number: b.id_number,
    };
    let per_minute = state.config.lookups_per_minute;
    let check = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        listing::duplicates(conn, who, &probe, per_minute)
    })
    .await?;
    Ok(HttpResponse::Ok().json(DuplicateAnswer {
        may_already_have_case: check.may_already_have_case,
        cases: check.visible.iter().map(CaseSummaryJson::from).collect(),
    }))
}

/// GET /api/v1/cases/{id} — the whole case (an audited read).
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = CaseJson), (status = 404, description = "No such case, or not yours to see", body = Problem)))]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let who = caller(&req, &state, &session.0);
    let now = who.now;
    let (detail, related) = run(&state, who, move |conn, who| {
        let detail = detail::case_detail(conn, who, id)?;
        let related = crate::services::cases::duplicates::related(conn, who, &id.to_string())?;
        Ok((detail, related))
    })
    .await?;
    let mut case = CaseJson::of(detail, now);
    case.related_cases = related.iter().map(CaseSummaryJson::from).collect();
    Ok(HttpResponse::Ok().json(case))
}

/// Corrections: every intake field may be corrected; only the fields given
/// change (an empty text clears an optional one); `version` is the one read.
/// The survivor's, the incident's and the perpetrator's fields go in objects
/// named as at intake, so that a problem's field name (`survivor.birth_date`)
/// points at it; the survivor's contact fields are also taken at the top level.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    #[serde(deserialize_with = "super::body::version")]
    version: i32,
    report_source: Option<String>,
    report_channel: Option<String>,
    reported_at: Option<chrono::DateTime<chrono::Utc>>,
    commune_code: Option<String>,
    immediate_danger: Option<bool>,
    full_name: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    guardian_name: Option<String>,
    guardian_phone: Option<String>,
    safe_contact: Option<String>,
    survivor: Option<SurvivorEdit>,
    incident: Option<IncidentEdit>,
    perpetrator: Option<PerpetratorEdit>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SurvivorEdit {
    full_name: Option<String>,
    sex: Option<String>,
    /// yyyy-mm-dd; empty when not known (then `age_group` is needed). The age
    /// group and whether she is a child follow it, as on the day of the report.
    birth_date: Option<String>,
    age_group: Option<String>,
    phone: Option<String>,
    has_disability: Option<bool>,
    id_number: Option<String>,
    address: Option<String>,
    guardian_name: Option<String>,
    guardian_phone: Option<String>,
    safe_contact: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct IncidentEdit {
    /// yyyy-mm-dd, or empty.
    occurred_on: Option<String>,
    forms: Option<Vec<String>>,
    acts: Option<Vec<String>>,
    gbv_type: Option<String>,
    gbv_context: Option<String>,
    narrative: Option<String>,
    place: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct PerpetratorEdit {
    full_name: Option<String>,
    sex: Option<String>,
    relationship: Option<String>,
    commune_code: Option<String>,
}

impl EditBody {
    fn into_edit(self) -> CaseEdit {
        let s = self.survivor.unwrap_or_default();
        let i = self.incident.unwrap_or_default();
        let q = self.perpetrator.unwrap_or_default();
        CaseEdit {
            version: self.version,
            report_source: self.report_source,
            report_channel: self.report_channel,
            reported_at: self.reported_at,
            commune_code: self.commune_code,
            immediate_danger: self.immediate_danger,
            full_name: s.full_name.or(self.full_name),
            sex: s.sex,
            birth_date: s.birth_date,
            age_group: s.age_group,
            phone: s.phone.or(self.phone),
            has_disability: s.has_disability,
            id_number: s.id_number,
            address: s.address.or(self.address),
            guardian_name: s.guardian_name.or(self.guardian_name),
            guardian_phone: s.guardian_phone.or(self.guardian_phone),
            safe_contact: s.safe_contact.or(self.safe_contact),
            occurred_on: i.occurred_on,
            forms: i.forms,
            acts: i.acts,
            gbv_type: i.gbv_type,
            gbv_context: i.gbv_context,
            narrative: i.narrative,
            place: i.place,
            perpetrator_name: q.full_name,
            perpetrator_sex: q.sex,
            relationship: q.relationship,
            perpetrator_commune: q.commune_code,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Saved {
    version: i32,
}

/// PATCH /api/v1/cases/{id} — corrects a case's details (409 if someone saved first).
#[utoipa::path(patch, path = "/api/v1/cases/{id}", tag = "cases", request_body = EditBody,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = Saved), (status = 404, body = Problem),
        (status = 409, description = "Someone saved first: nothing was written", body = Problem), (status = 422, body = Problem)))]
pub async fn edit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<EditBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let edit = body.into_inner().into_edit();
    let version =
        run(&state, caller(&req, &state, &session.0), move |conn, who| work::edit_case(conn, who, id, &edit))
            .await?;
    Ok(HttpResponse::Ok().json(Saved { version }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionBody {
    /// The step to go to.
    #[schema(schema_with = super::schemas::case_status)]
    to: String,
    #[serde(deserialize_with = "super::body::version")]
    version: i32,
    /// Required when closing: goals_met, safe_and_stable, moved_away, consent_withdrawn, no_contact_possible, other.
    #[schema(schema_with = super::schemas::maybe_closure_reason)]
    closure_reason: Option<String>,
    comment: Option<String>,
    /// Required when reopening a closed case: why, in the worker's words (sealed,
    /// shown on the case's timeline).
    reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TransitionAnswer {
    /// The case's status now.
    status: Option<String>,
    version: Option<i32>,
    /// Set when a closure waits for a supervisor's approval.
    approval_id: Option<String>,
}

/// POST /api/v1/cases/{id}/transitions — moves a case on; closing high-risk and
/// child cases asks a supervisor (202).
#[utoipa::path(post, path = "/api/v1/cases/{id}/transitions", tag = "cases", request_body = TransitionBody,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = TransitionAnswer),
        (status = 202, description = "Closure requested: waits for a supervisor", body = TransitionAnswer),
        (status = 404, body = Problem),
        (status = 409, description = "Not allowed from this step (the allowed ones are listed), stale version, or closure blocked", body = Problem),
        (status = 422, body = Problem)))]
pub async fn transition(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<TransitionBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let b = body.into_inner();
    let request = TransitionRequest {
        to: b.to,
        version: b.version,
        closure_reason: b.closure_reason,
        comment: b.comment,
        reason: b.reason,
    };
    answer_transition(&req, &state, &session, id, request).await
}

pub(super) async fn answer_transition(
    req: &HttpRequest,
    state: &AppState,
    session: &SignedIn,
    id: Uuid,
    request: TransitionRequest,
) -> Result<HttpResponse, AppError> {
    let outcome =
        run(state, caller(req, state, &session.0), move |conn, who| work::move_case(conn, who, id, &request))
            .await?;
    Ok(match outcome {
        TransitionOutcome::Moved { status, version } => HttpResponse::Ok().json(TransitionAnswer {
            status: Some(status.as_str().into()),
            version: Some(version),
            approval_id: None,
        }),
        TransitionOutcome::ApprovalRequested { approval_id } => {
            HttpResponse::Accepted().json(TransitionAnswer {
                status: None,
                version: None,
                approval_id: Some(approval_id.to_string()),
            })
        }
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureBody {
    #[serde(deserialize_with = "super::body::version")]
    version: i32,
    #[schema(schema_with = super::schemas::closure_reason)]
    closure_reason: String,
    comment: Option<String>,
}

/// POST /api/v1/cases/{id}/closure-requests — closes the case, or asks a
/// supervisor when its risk is high or it is a child's.
#[utoipa::path(post, path = "/api/v1/cases/{id}/closure-requests", tag = "cases", request_body = ClosureBody,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = TransitionAnswer), (status = 202, body = TransitionAnswer),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn request_closure(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<ClosureBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let b = body.into_inner();
    let request = TransitionRequest {
        to: CaseStatus::Closed.as_str().into(),
        version: b.version,
        closure_reason: Some(b.closure_reason),
        comment: b.comment,
        reason: None,
    };
    answer_transition(&req, &state, &session, id, request).await
}

#[derive(Serialize, ToSchema)]
pub struct AccessEntryJson {
    at: chrono::DateTime<chrono::Utc>,
    /// The account's username; none for the server's own commands.
    username: Option<String>,
    role: Option<&'static str>,
    /// The audit action, e.g. `case.read`.
    action: String,
    /// success, denied or failure
    outcome: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccessLogJson {
    /// Newest first, at most 500.
    entries: Vec<AccessEntryJson>,
}

/// GET /api/v1/cases/{id}/access-log — who read or changed the case (its
/// supervisors and own social workers only; reading it is recorded too).
#[utoipa::path(get, path = "/api/v1/cases/{id}/access-log", tag = "cases",
    params(("id" = String, Path, description = "The case")),
    responses((status = 200, body = AccessLogJson),
        (status = 404, description = "No such case, or not the caller's", body = Problem)))]
pub async fn access_log(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let who = caller(&req, &state, &session.0);
    let entries =
        run(&state, who, move |conn, who| crate::services::cases::access_log::access_log(conn, who, id))
            .await?;
    Ok(HttpResponse::Ok().json(AccessLogJson {
        entries: entries
            .into_iter()
            .map(|e| AccessEntryJson {
                at: e.at.and_utc(),
                username: e.who.map(|(username, _)| username),
                role: e.role.map(|r| r.as_str()),
                action: e.action,
                outcome: e.outcome,
            })
            .collect(),
    }))
}
