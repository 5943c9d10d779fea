//! A supervisor's queue and decisions, the registered service providers, and the
//! area overview, on the JSON API.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cases::{record_id, run};
use crate::error::{AppError, Problem};
use crate::http::AppState;
use crate::http::caller::caller;
use crate::http::session::SignedIn;
use crate::services::cases::approvals;
use crate::services::cases::listing;

#[derive(Serialize, ToSchema)]
pub struct PendingJson {
    id: String,
    /// closure or consent_override
    kind: &'static str,
    case_id: String,
    case_number: String,
    commune_code: String,
    risk_level: Option<String>,
    age_group: String,
    /// Why the worker asks, as typed (an audited read of the case's data).
    reason: Option<String>,
    purpose: Option<String>,
    closure_reason: Option<String>,
    requested_at: DateTime<Utc>,
    /// Two working days after the request.
    due: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct Queue {
    approvals: Vec<PendingJson>,
}

/// GET /api/v1/approvals — requests waiting for the caller's decision.
#[utoipa::path(get, path = "/api/v1/approvals", tag = "approvals", responses((status = 200, body = Queue)))]
pub async fn queue(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
) -> Result<HttpResponse, AppError> {
    let pending = run(&state, caller(&req, &state, &session.0), approvals::queue_with_reasons).await?;
    Ok(HttpResponse::Ok().json(Queue {
        approvals: pending
            .into_iter()
            .map(|p| PendingJson {
                id: p.id,
                kind: p.kind.as_str(),
                case_id: p.case_id,
                case_number: p.case_number,
                commune_code: p.commune_code,
                risk_level: p.risk_level,
                age_group: p.age_group,
                reason: p.reason,
                purpose: p.purpose,
                closure_reason: p.closure_reason,
                requested_at: p.requested_at,
                due: p.due,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    approve: bool,
    comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DecisionAnswer {
    /// approved or rejected
    status: &'static str,
    /// Where an approved closure left the case.
    case_status: Option<&'static str>,
}

/// POST /api/v1/approvals/{id}/decision — approves or rejects a request (supervisors).
#[utoipa::path(post, path = "/api/v1/approvals/{id}/decision", tag = "approvals", request_body = DecisionBody,
    params(("id" = String, Path)),
    responses((status = 200, body = DecisionAnswer), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Decided already, or the case cannot close now", body = Problem),
        (status = 422, description = "The comment is refused (too long, control characters)", body = Problem)))]
pub async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<DecisionBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let DecisionBody { approve, comment } = body.into_inner();
    let decision = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        approvals::decide(conn, who, id, approve, comment.as_deref())
    })
    .await?;
    Ok(HttpResponse::Ok().json(DecisionAnswer {
        status: decision.status.as_str(),
        case_status: decision.case_status.map(|s| s.as_str()),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ProviderJson {
    id: String,
    name: String,
    service_type: String,
    commune_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Providers {
    providers: Vec<ProviderJson>,
}

/// GET /api/v1/service-providers — the registered providers a case may be
/// referred to (for those who refer).
#[utoipa::path(get, path = "/api/v1/service-providers", tag = "approvals",
    responses((status = 200, body = Providers), (status = 403, body = Problem)))]
pub async fn providers(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
) -> Result<HttpResponse, AppError> {
    let rows = run(&state, caller(&req, &state, &session.0), |conn, who| {
        listing::works_on_cases(conn, who, "provider.list")?;
        Ok(crate::store::case_work::providers(conn)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Providers {
        providers: rows
            .into_iter()
            .map(|p| ProviderJson {
                id: p.id,
                name: p.name,
                service_type: p.service_type,
                commune_code: p.commune_code,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct CommuneOverviewJson {
    by_status: BTreeMap<String, usize>,
    open: usize,
    overdue: usize,
    high_risk: usize,
}

#[derive(Serialize, ToSchema)]
pub struct Overview {
    communes: BTreeMap<String, CommuneOverviewJson>,
}

/// GET /api/v1/overview — per commune of the caller's area: cases by status,
/// overdue, high risk.
#[utoipa::path(get, path = "/api/v1/overview", tag = "approvals", responses((status = 200, body = Overview)))]
pub async fn overview(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
) -> Result<HttpResponse, AppError> {
    let by_commune = run(&state, caller(&req, &state, &session.0), listing::overview).await?;
    Ok(HttpResponse::Ok().json(Overview {
        communes: by_commune
            .into_iter()
            .map(|(code, o)| {
                (
                    code,
                    CommuneOverviewJson {
                        by_status: o.by_status,
                        open: o.open,
                        overdue: o.overdue,
                        high_risk: o.high_risk,
                    },
                )
            })
            .collect(),
    }))
}
