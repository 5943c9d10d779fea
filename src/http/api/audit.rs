use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Serialize;

use crate::audit::{Event, Outcome};
use crate::authz::{Action, Resource};
use crate::error::AppError;
use crate::http::authorize::authorize;
use crate::http::session::{SignedIn, actor};
use crate::http::{AppState, blocking};
use crate::store::StoreError;
use crate::store::audit::{VerifyError, verify as verify_chain};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Verification {
    intact: bool,
    /// Events checked (up to the first broken link).
    events: Option<i64>,
    /// The first broken link, named by event number, when not intact.
    broken_at: Option<String>,
}

/// GET /api/v1/audit/verify — walks the hash chain (administrators).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = Verification),
        (status = 403, description = "Only administrators verify the log", body = crate::error::Problem),
        (status = 401, description = "Not signed in", body = crate::error::Problem)))]
pub async fn verify(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
) -> Result<HttpResponse, AppError> {
    authorize(&req, &state, &session.0, Action::AuditVerify, &Resource::AuditLog, None).await?;
    let who = actor(&req, Some(&session.0));
    let verification = blocking(&state, move |conn| {
        let result = match verify_chain(conn) {
            Ok(events) => Verification { intact: true, events: Some(events), broken_at: None },
            Err(VerifyError::Broken(broken)) => {
                Verification { intact: false, events: None, broken_at: Some(broken.to_string()) }
            }
            Err(VerifyError::Query(e)) => return Err(StoreError::Query(e).into()),
        };
        let outcome = if result.intact { Outcome::Success } else { Outcome::Failure };
        crate::store::audit::append(conn, &Event::new(&who, "audit.verify", outcome, Utc::now().naive_utc()))
            .map_err(StoreError::from)?;
        Ok(result)
    })
    .await?;
    Ok(HttpResponse::Ok().json(verification))
}
