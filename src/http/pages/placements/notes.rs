//! POST /placements/{id}/notes — a note during a stay, from the house's board
//! (issue 15 item 12). Back to the board on success; a refused note comes back in
//! its form with the reason, nothing typed lost.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::house::{NoteDraft, board};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::bridge::Member;
use crate::http::pages::cases::{checked_form, explain, record_id, refusal_page, run};
use crate::http::pages::{render_error, see_other};
use crate::services::placements::notes;

pub async fn write(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = record_id(&path) else { return Ok(render_error(&member.ctx, StatusCode::NOT_FOUND)) };
    let posted = match checked_form(&member, fields) {
        Ok(posted) => posted,
        Err(refused) => return Ok(*refused),
    };
    let text = posted.one("text");
    let typed = text.clone();
    match run(&state, &member, move |conn, who| notes::write_note(conn, who, id, &text)).await? {
        Ok(_) => Ok(see_other(&format!("/placements?done=note#p-{id}"))),
        Err(error) => match explain(&member.ctx, &error) {
            Some((status, message, problems)) => {
                let message = std::iter::once(message).chain(problems).collect::<Vec<_>>().join(" ");
                let draft = NoteDraft { placement: id.to_string(), text: typed };
                board(&state, &member, String::new(), message, status, draft).await
            }
            None => refusal_page(&member, error),
        },
    }
}
