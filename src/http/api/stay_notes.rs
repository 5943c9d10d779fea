//! Notes during a stay on the JSON API (issue 15 item 12): written here, read in
//! the placement's JSON (`notes`) by whoever may read them now.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cases::{record_id, run};
use crate::error::{AppError, Problem};
use crate::http::AppState;
use crate::http::caller::caller;
use crate::http::session::SignedIn;
use crate::services::placements::notes;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StayNoteBody {
    /// A short note (sealed): at most 500 characters.
    #[schema(max_length = 500)]
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedStayNote {
    id: String,
}

/// POST /api/v1/placements/{id}/notes — a note during the stay: the house's
/// staff, the case's worker and supervisors, while she stays.
#[utoipa::path(post, path = "/api/v1/placements/{id}/notes", tag = "placements", request_body = StayNoteBody,
    params(("id" = String, Path)),
    responses((status = 201, body = CreatedStayNote), (status = 403, description = "Nobody stays now, or not this reader's", body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn write_note(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<StayNoteBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let text = body.into_inner().text;
    let note = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        notes::write_note(conn, who, id, &text)
    })
    .await?;
    Ok(HttpResponse::Created().json(CreatedStayNote { id: note.to_string() }))
}
