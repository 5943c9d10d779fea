//! `GET /cases/{id}/access-log`: who read or changed a case, for its supervisors and
//! own social workers (`services::cases::access_log`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::time::show_time;
use super::views::{AccessLine, AccessLogPage};
use super::{record_id, refusal_page, run};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::bridge::Member;
use crate::http::pages::context::role_key;
use crate::http::pages::{PageContext, render, render_error};
use crate::services::cases::access_log::{AccessEntry, access_log};

/// An action in words where the catalogue has them (`access-action-case-read`),
/// else its name as the audit log holds it.
fn action_words(ctx: &PageContext, action: &str) -> String {
    let key = format!("access-action-{}", action.replace(['.', '_'], "-"));
    if crate::http::pages::i18n::catalog().has(ctx.lang, &key) { ctx.t(&key) } else { action.to_string() }
}

fn line(ctx: &PageContext, entry: &AccessEntry) -> AccessLine {
    AccessLine {
        who: entry
            .who
            .as_ref()
            .map_or_else(|| ctx.t("access-log-server"), |(username, name)| format!("{name} ({username})")),
        role: entry.role.map(|r| ctx.t(role_key(r))).unwrap_or_default(),
        when: show_time(entry.at.and_utc()),
        what: action_words(ctx, &entry.action),
        refused: entry.outcome != "success",
    }
}

/// GET /cases/{id}/access-log
pub async fn page(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = record_id(&id) else { return Ok(render_error(&member.ctx, StatusCode::NOT_FOUND)) };
    let found = run(&state, &member, move |conn, who| {
        let entries = access_log(conn, who, id)?;
        let number = crate::store::case_work::case_with_profile(conn, &id.to_string())?
            .map(|(row, _)| row.case_number)
            .unwrap_or_default();
        Ok((entries, number))
    })
    .await?;
    let (entries, number) = match found {
        Ok(found) => found,
        Err(e) => return refusal_page(&member, e),
    };
    let ctx = &member.ctx;
    let page = AccessLogPage {
        ctx,
        title: ctx.t("access-log-heading"),
        id: id.to_string(),
        lines: entries.iter().map(|e| line(ctx, e)).collect(),
        number,
    };
    Ok(render(StatusCode::OK, &page))
}
