//! A supervisor's possible duplicates on the JSON API (issue 17): cases recorded
//! by someone who could not see an older case of the same survivor, with why they
//! match (reason codes); linking or dismissing each. Anyone who may reconcile
//! nothing gets 404.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cases::{record_id, run};
use crate::error::{AppError, Problem};
use crate::http::AppState;
use crate::http::caller::caller;
use crate::http::session::SignedIn;
use crate::services::cases::duplicates::{self, CaseSide, Reconcile};

#[derive(Serialize, ToSchema)]
pub struct DuplicateCaseJson {
    id: String,
    case_number: String,
    commune_code: String,
}

impl From<&CaseSide> for DuplicateCaseJson {
    fn from(side: &CaseSide) -> Self {
        DuplicateCaseJson {
            id: side.id.clone(),
            case_number: side.case_number.clone(),
            commune_code: side.commune_code.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PossibleDuplicateJson {
    id: String,
    /// The case recorded last, by someone who could not see the other.
    new_case: DuplicateCaseJson,
    existing_case: DuplicateCaseJson,
    /// Why they match: name_birth, phone, id_number.
    #[schema(schema_with = super::schemas::match_reasons)]
    reasons: Vec<&'static str>,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct PossibleDuplicates {
    possible_duplicates: Vec<PossibleDuplicateJson>,
}

/// GET /api/v1/possible-duplicates — open items the caller may reconcile (supervisors).
#[utoipa::path(get, path = "/api/v1/possible-duplicates", tag = "approvals",
    responses((status = 200, body = PossibleDuplicates),
        (status = 404, description = "Not for this role", body = Problem)))]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
) -> Result<HttpResponse, AppError> {
    let items = run(&state, caller(&req, &state, &session.0), duplicates::open_items).await?;
    Ok(HttpResponse::Ok().json(PossibleDuplicates {
        possible_duplicates: items
            .iter()
            .map(|item| PossibleDuplicateJson {
                id: item.id.clone(),
                new_case: (&item.new_case).into(),
                existing_case: (&item.existing_case).into(),
                reasons: item.reasons.iter().map(|r| r.as_str()).collect(),
                created_at: item.created_at,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReconcileBody {
    /// link (the same survivor: the two cases are linked) or dismiss.
    #[schema(schema_with = super::schemas::reconcile_decision)]
    decision: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReconcileAnswer {
    /// linked or dismissed
    status: &'static str,
}

/// POST /api/v1/possible-duplicates/{id}/decision — link the two cases or dismiss the item.
#[utoipa::path(post, path = "/api/v1/possible-duplicates/{id}/decision", tag = "approvals",
    request_body = ReconcileBody, params(("id" = String, Path)),
    responses((status = 200, body = ReconcileAnswer),
        (status = 404, description = "No such item, or not yours to reconcile", body = Problem),
        (status = 409, description = "Decided already", body = Problem),
        (status = 422, description = "decision is not link or dismiss", body = Problem)))]
pub async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<ReconcileBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let decision = Reconcile::parse(body.decision.trim());
    let decision = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        duplicates::reconcile(conn, who, id, decision)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ReconcileAnswer {
        status: match decision {
            Reconcile::Link => "linked",
            Reconcile::Dismiss => "dismissed",
        },
    }))
}
