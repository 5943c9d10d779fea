//! What a refused piece of case work says on the page it was asked from: the
//! status of the answer and a sentence in the reader's language naming what stands
//! in the way and what the reader can do instead (`http::refusals`).

use actix_web::http::StatusCode;

use super::super::context::PageContext;
use super::field_text;
use crate::http::refusals::{Reader, for_reader};
use crate::services::cases::access::CaseError;

/// The status and the sentences of a refusal the page explains; `None` for those
/// it cannot (not found, forbidden, the system failing).
pub fn explain(ctx: &PageContext, error: &CaseError) -> Option<(StatusCode, String, Vec<String>)> {
    if let CaseError::Invalid(problems) = error {
        return Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.t("form-has-errors"),
            problems.iter().map(|p| field_text(ctx, &p.message)).collect(),
        ));
    }
    let reader = ctx.user.as_ref().map_or(Reader::Worker, |user| Reader::of(user.role));
    let message = for_reader(ctx.lang, reader, error)?;
    Some((StatusCode::CONFLICT, message, Vec::new()))
}
