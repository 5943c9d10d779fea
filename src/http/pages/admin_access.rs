//! An administrator changes an account's role, communes or house. Narrowing is done
//! at once; a change that widens the account's reach into people's data waits for
//! a supervisor (`services::account_changes`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::Utc;

use super::admin::{
    Outcome, account_error_key, account_form_page, account_to_change, may_manage_accounts, other_account,
    outcome_page,
};
use super::bridge::Member;
use super::views::{FieldMessage, NewAccountForm};
use super::{render_error, see_other};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::{AppState, blocking};
use crate::services::account_changes::{self, AccessRequest};
use crate::services::accounts::AccountError;

/// GET /admin/users/{username}/access
pub async fn form(
    state: web::Data<AppState>,
    member: Member,
    username: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = may_manage_accounts(&state, &member).await? {
        return Ok(refused);
    }
    let account = match other_account(&state, &member, &username).await? {
        Ok(account) => account,
        Err(refused) => return Ok(refused),
    };
    let user = account.user;
    let form = NewAccountForm {
        username: user.username.clone(),
        display_name: user.display_name,
        role: user.role.as_str().into(),
        communes: user.communes,
        safe_house_id: user.safe_house_id.unwrap_or_default(),
    };
    account_form_page(&state, &member.ctx, &form, &[], Some(&user.username)).await
}

/// POST /admin/users/{username}/access — the form's fields as pairs, since the
/// communes repeat.
pub async fn submit(
    state: web::Data<AppState>,
    member: Member,
    username: web::Path<String>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let fields = fields.into_inner();
    let one = |name: &str| {
        fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
    };
    let account = match account_to_change(&state, &member, &username, &one("csrf_token")).await? {
        Ok(account) => account,
        Err(refused) => return Ok(refused),
    };
    let form = NewAccountForm {
        username: account.user.username.clone(),
        display_name: account.user.display_name.clone(),
        role: one("role"),
        communes: fields.iter().filter(|(k, _)| k == "communes").map(|(_, v)| v.clone()).collect(),
        safe_house_id: one("safe_house_id"),
    };
    let editing = Some(account.user.username.as_str());
    let Ok(role) = form.role.parse::<Role>() else {
        let errors = [FieldMessage::new("role", "admin-error-role")];
        return account_form_page(&state, &member.ctx, &form, &errors, editing).await;
    };
    let asked = AccessRequest {
        role,
        communes: form.communes.clone(),
        safe_house_id: Some(form.safe_house_id.clone()).filter(|s| !s.is_empty()),
    };
    let who = member.actor.clone();
    let name = account.user.username.clone();
    let outcome = blocking(&state, move |conn| {
        Ok(account_changes::request_access(conn, &who, &name, &asked, Utc::now().naive_utc()))
    })
    .await?;
    match outcome {
        Ok(requested) => {
            Ok(outcome_page(&member.ctx, Outcome::AccessChanged, account.user.username, role, requested))
        }
        Err(AccountError::Invalid(found)) if found.iter().any(|e| e.field == "account") => {
            Ok(see_other("/admin/users?notice=already-waiting"))
        }
        Err(AccountError::Invalid(found)) => {
            let errors: Vec<FieldMessage> = found
                .iter()
                .map(|e| FieldMessage::new(&e.field, account_error_key(&e.field, &e.message)))
                .collect();
            account_form_page(&state, &member.ctx, &form, &errors, editing).await
        }
        Err(AccountError::NotFound(_)) => Ok(render_error(&member.ctx, StatusCode::NOT_FOUND)),
        Err(e) => Err(e.into()),
    }
}
