//! The work on a case on the JSON API: risk assessments, consents and overrides,
//! protection measures, notes and follow-ups, referrals, erasure.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cases::{record_id, run};
use crate::error::{AppError, Problem};
use crate::http::AppState;
use crate::http::caller::caller;
use crate::http::session::SignedIn;
use crate::services::cases::referrals::{self, ReferralRequest, ReferralUpdate};
use crate::services::cases::work::{self, ConsentRequest, MeasureRequest, NoteRequest};

#[derive(Serialize, ToSchema)]
pub struct CreatedRecord {
    id: String,
}

fn created(id: uuid::Uuid) -> HttpResponse {
    HttpResponse::Created().json(CreatedRecord { id: id.to_string() })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskBody {
    /// Risk factors present (codes of the checklist).
    #[schema(schema_with = super::schemas::risk_factors)]
    factors: Vec<String>,
    note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RiskAnswer {
    /// low, medium, high, severe
    level: &'static str,
}

/// POST /api/v1/cases/{id}/risk-assessments — a checklist gives the level; the
/// history is kept.
#[utoipa::path(post, path = "/api/v1/cases/{id}/risk-assessments", tag = "case work", request_body = RiskBody,
    params(("id" = String, Path)),
    responses((status = 201, body = RiskAnswer), (status = 404, body = Problem),
        (status = 409, description = "The case is closed", body = Problem), (status = 422, body = Problem)))]
pub async fn assess_risk(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<RiskBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let RiskBody { factors, note } = body.into_inner();
    let level = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        work::assess_risk(conn, who, id, &factors, note.as_deref())
    })
    .await?;
    Ok(HttpResponse::Created().json(RiskAnswer { level: level.as_str() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentBody {
    /// services, share_health, share_police, …, placement, statistics
    #[schema(schema_with = super::schemas::consent_purpose)]
    purpose: String,
    /// survivor, guardian, child
    #[schema(schema_with = super::schemas::consent_giver)]
    given_by: String,
    given_at: Option<DateTime<Utc>>,
}

/// POST /api/v1/cases/{id}/consents — records a consent for one purpose.
#[utoipa::path(post, path = "/api/v1/cases/{id}/consents", tag = "case work", request_body = ConsentBody,
    params(("id" = String, Path)),
    responses((status = 201, body = CreatedRecord), (status = 404, body = Problem),
        (status = 409, description = "The case is closed", body = Problem), (status = 422, body = Problem)))]
pub async fn record_consent(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<ConsentBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let b = body.into_inner();
    let request = ConsentRequest { purpose: b.purpose, given_by: b.given_by, given_at: b.given_at };
    let consent = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        work::record_consent(conn, who, id, &request)
    })
    .await?;
    Ok(created(consent))
}

/// POST /api/v1/cases/{id}/consents/{consent_id}/withdrawal — the consent no
/// longer holds.
#[utoipa::path(post, path = "/api/v1/cases/{id}/consents/{consent_id}/withdrawal", tag = "case work",
    params(("id" = String, Path), ("consent_id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn withdraw_consent(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, consent) = (record_id(&path.0)?, record_id(&path.1)?);
    run(&state, caller(&req, &state, &session.0), move |conn, who| {
        work::withdraw_consent(conn, who, id, consent)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideBody {
    /// The consent purpose the override is for.
    #[schema(schema_with = super::schemas::consent_purpose)]
    purpose: String,
    /// Why it is in the survivor's best interest.
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct OverrideAnswer {
    id: String,
    /// approved (given by a supervisor) or requested (waits for one)
    status: &'static str,
}

/// POST /api/v1/cases/{id}/consent-overrides — a best-interest override of a
/// missing consent: given by a supervisor, asked for by a worker.
#[utoipa::path(post, path = "/api/v1/cases/{id}/consent-overrides", tag = "case work", request_body = OverrideBody,
    params(("id" = String, Path)),
    responses((status = 201, body = OverrideAnswer), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn override_consent(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<OverrideBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let OverrideBody { purpose, reason } = body.into_inner();
    let (approval, status) = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        referrals::override_consent(conn, who, id, &purpose, &reason)
    })
    .await?;
    Ok(HttpResponse::Created().json(OverrideAnswer { id: approval.to_string(), status: status.as_str() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureBody {
    /// A measure of Article 22 of Law 13/2022.
    #[schema(schema_with = super::schemas::measure_type)]
    measure_type: String,
    /// commune_chair, court, commune_police, other (required for a no-contact order)
    #[schema(schema_with = super::schemas::maybe_ordered_by)]
    ordered_by: Option<String>,
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
    details: Option<String>,
}

/// POST /api/v1/cases/{id}/measures — a protection measure with its dates.
#[utoipa::path(post, path = "/api/v1/cases/{id}/measures", tag = "case work", request_body = MeasureBody,
    params(("id" = String, Path)),
    responses((status = 201, body = CreatedRecord), (status = 404, body = Problem),
        (status = 409, description = "The case is closed", body = Problem), (status = 422, body = Problem)))]
pub async fn record_measure(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<MeasureBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let b = body.into_inner();
    let request = MeasureRequest {
        measure_type: b.measure_type,
        ordered_by: b.ordered_by,
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        details: b.details,
    };
    let measure = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        work::record_measure(conn, who, id, &request)
    })
    .await?;
    Ok(created(measure))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// note (default: also when empty or left out) or follow_up
    #[serde(default)]
    #[schema(schema_with = super::schemas::note_kind_or_empty)]
    kind: String,
    body: String,
    /// A follow-up's date.
    due_at: Option<DateTime<Utc>>,
}

/// POST /api/v1/cases/{id}/notes — a note or a follow-up (sealed).
#[utoipa::path(post, path = "/api/v1/cases/{id}/notes", tag = "case work", request_body = NoteBody,
    params(("id" = String, Path)),
    responses((status = 201, body = CreatedRecord), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_note(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<NoteBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let b = body.into_inner();
    let request = NoteRequest { kind: b.kind, body: b.body, due_at: b.due_at };
    let note = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        work::add_note(conn, who, id, &request)
    })
    .await?;
    Ok(created(note))
}

/// POST /api/v1/cases/{id}/follow-ups/{note_id}/done — a follow-up was made.
#[utoipa::path(post, path = "/api/v1/cases/{id}/follow-ups/{note_id}/done", tag = "case work",
    params(("id" = String, Path), ("note_id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn complete_follow_up(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, note) = (record_id(&path.0)?, record_id(&path.1)?);
    run(&state, caller(&req, &state, &session.0), move |conn, who| {
        work::complete_follow_up(conn, who, id, note)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralBody {
    provider_id: String,
    note: Option<String>,
}

/// POST /api/v1/cases/{id}/referrals — refers the survivor to a registered
/// provider; refused (409 `consent_required`) without the consent it needs.
#[utoipa::path(post, path = "/api/v1/cases/{id}/referrals", tag = "case work", request_body = ReferralBody,
    params(("id" = String, Path)),
    responses((status = 201, body = CreatedRecord), (status = 404, body = Problem),
        (status = 409, description = "Consent missing (who must consent is listed)", body = Problem),
        (status = 422, body = Problem)))]
pub async fn refer(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<ReferralBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let b = body.into_inner();
    let request = ReferralRequest { provider_id: b.provider_id, note: b.note };
    let referral = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        referrals::refer(conn, who, id, &request)
    })
    .await?;
    Ok(created(referral))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralPatch {
    /// accepted, declined, completed, cancelled
    #[schema(schema_with = super::schemas::referral_status)]
    status: String,
    #[serde(deserialize_with = "super::body::version")]
    version: i32,
    note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReferralAnswer {
    status: &'static str,
    version: i32,
}

/// PATCH /api/v1/referrals/{id} — the provider's answer or the outcome.
#[utoipa::path(patch, path = "/api/v1/referrals/{id}", tag = "case work", request_body = ReferralPatch,
    params(("id" = String, Path)),
    responses((status = 200, body = ReferralAnswer), (status = 404, body = Problem),
        (status = 409, description = "Step not allowed (allowed ones listed) or stale version", body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_referral(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<ReferralPatch>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let b = body.into_inner();
    let update = ReferralUpdate { status: b.status, version: b.version, note: b.note };
    let (status, version) = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        referrals::update_referral(conn, who, id, &update)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ReferralAnswer { status: status.as_str(), version }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErasureBody {
    /// survivor_request, entered_in_error, court_order, retention_expired
    reason: String,
}

/// POST /api/v1/cases/{id}/erasure — crypto-shreds the case's personal data
/// (supervisors); statistics are unchanged.
#[utoipa::path(post, path = "/api/v1/cases/{id}/erasure", tag = "case work", request_body = ErasureBody,
    params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Erased already", body = Problem), (status = 422, body = Problem)))]
pub async fn erase(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<ErasureBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let reason = body.into_inner().reason;
    run(&state, caller(&req, &state, &session.0), move |conn, who| work::erase(conn, who, id, &reason))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
