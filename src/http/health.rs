use actix_web::{HttpResponse, web};
use serde_json::json;

use super::{AppState, blocking};
use crate::error::AppError;
use crate::store::{StoreError, migrations};

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The process can serve: the database answers and its schema is current.
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let pending = blocking(&state, |conn| {
        migrations::pending_count(conn).map_err(|e| match e {
            StoreError::Query(_) | StoreError::Migration(_) => AppError::Unavailable(e.to_string()),
            other => other.into(),
        })
    })
    .await?;
    if pending > 0 {
        return Err(AppError::Unavailable(format!("{pending} migrations pending: run `binhan migrate`")));
    }
    Ok(HttpResponse::Ok().json(json!({ "status": "ready" })))
}
