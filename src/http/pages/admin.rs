//! The administrator's account pages: the list, creating an account (its first
//! password shown once), disabling an account and resetting its password (each
//! after a confirmation page).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use super::bridge::{Member, today_in_vietnam};
use super::context::{PageContext, role_key};
use super::sign_in::TokenOnly;
use super::views::{
    AccountRow, AdminConfirmPage, AdminPasswordPage, AdminUserFormPage, AdminUsersPage, CommuneGroup,
    CommuneOption, FieldMessage, NewAccountForm,
};
use super::{render, render_error, see_other};
use crate::authz::{Action, Resource};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::authorize::authorize;
use crate::http::session::tokens_match;
use crate::http::{AppState, blocking};
use crate::services::account_changes::{self, Requested};
use crate::services::accounts::{self, AccountError, AccountState, NewAccount};
use crate::store::admin_units::{self, CommuneEntry};

/// The pages of this module are for whoever the policies let manage accounts
/// (`user.manage`: administrators). A refusal is the 403 page, and a `denied` audit
/// event (`http::authorize`).
pub(super) async fn may_manage_accounts(
    state: &AppState,
    member: &Member,
) -> Result<Option<HttpResponse>, AppError> {
    let allowed =
        authorize(&member.req, state, &member.session, Action::UserManage, &Resource::UserAccount, None)
            .await;
    match allowed {
        Ok(()) => Ok(None),
        Err(AppError::Forbidden | AppError::NotFound) => {
            Ok(Some(render_error(&member.ctx, StatusCode::FORBIDDEN)))
        }
        Err(e) => Err(e),
    }
}

/// The communes of the deployment's province in force today.
async fn province_communes(state: &AppState) -> Result<Vec<CommuneEntry>, AppError> {
    let province = state.config.province.clone();
    blocking(state, move |conn| {
        Ok(admin_units::communes_of_province(conn, &province, today_in_vietnam())
            .map_err(crate::store::StoreError::from)?)
    })
    .await
}

/// A key that sorts Vietnamese names as a Vietnamese reader expects: letter by
/// letter, with A < Ă < Â, D < Đ, E < Ê, O < Ô < Ơ, U < Ư, tone marks only
/// breaking ties (then the full name decides).
pub fn vietnamese_sort_key(name: &str) -> (String, String) {
    let mut key = String::with_capacity(name.len() * 2);
    for c in name.to_lowercase().nfd() {
        match c {
            // Marks that make another letter: breve, circumflex, horn.
            '\u{306}' => replace_last_rank(&mut key, '1'),
            '\u{302}' => replace_last_rank(&mut key, '2'),
            '\u{31b}' => replace_last_rank(&mut key, '3'),
            // Tone marks: grave, acute, tilde, hook above, dot below.
            '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' => {}
            'đ' => key.push_str("d1"),
            other => {
                key.push(other);
                key.push('0');
            }
        }
    }
    (key, name.to_string())
}

fn replace_last_rank(key: &mut String, rank: char) {
    if key.pop().is_some() {
        key.push(rank);
    }
}

/// The letter a name is listed under: its first letter without tone marks (but
/// Đ stays Đ).
fn initial(name: &str) -> String {
    let first = name.chars().next().unwrap_or(' ');
    if first == 'Đ' || first == 'đ' {
        return "Đ".into();
    }
    first.to_string().nfd().next().map(|c| c.to_uppercase().collect()).unwrap_or_default()
}

/// The communes grouped by initial, in Vietnamese alphabetical order.
fn commune_groups(communes: &[CommuneEntry], checked: &[String]) -> Vec<CommuneGroup> {
    let mut sorted: Vec<&CommuneEntry> = communes.iter().collect();
    sorted.sort_by_cached_key(|c| vietnamese_sort_key(&c.name));
    let mut groups: Vec<CommuneGroup> = Vec::new();
    for commune in sorted {
        let letter = initial(&commune.name);
        let option = CommuneOption {
            code: commune.code.clone(),
            label: commune.full_name(),
            checked: checked.contains(&commune.code),
        };
        match groups.last_mut() {
            Some(group) if group.letter == letter => group.communes.push(option),
            _ => groups.push(CommuneGroup { letter, communes: vec![option] }),
        }
    }
    groups
}

#[derive(Deserialize)]
pub struct ListQuery {
    notice: Option<String>,
}

/// GET /admin/users
pub async fn list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = may_manage_accounts(&state, &member).await? {
        return Ok(refused);
    }
    let ctx = &member.ctx;
    let names: HashMap<String, String> =
        province_communes(&state).await?.into_iter().map(|c| (c.code.clone(), c.full_name())).collect();
    let summaries = blocking(&state, |conn| Ok(accounts::list(conn, Utc::now().naive_utc())?)).await?;
    let province = state.config.province.clone();
    let province_name = blocking(&state, move |conn| {
        Ok(admin_units::unit_name(conn, &province)
            .map_err(crate::store::StoreError::from)?
            .unwrap_or(province))
    })
    .await?;
    let rows = summaries
        .into_iter()
        .map(|summary| {
            let user = summary.user;
            let scope = match user.role {
                Role::Admin => ctx.t("scope-system"),
                Role::SafeHouseStaff => summary.safe_house.clone().unwrap_or_default(),
                _ if !user.communes.is_empty() => user
                    .communes
                    .iter()
                    .map(|code| names.get(code).cloned().unwrap_or_else(|| code.clone()))
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => ctx.t1("scope-province", "name", &province_name),
            };
            AccountRow {
                is_self: user.id == member.session.user.id,
                username: user.username,
                display_name: user.display_name,
                role: ctx.t(role_key(user.role)),
                scope,
                // An active account whose owner has yet to replace the password
                // she was given says so: the administrator knows why she cannot work yet.
                state: match (&summary.waiting, summary.state) {
                    (_, AccountState::Active) if summary.must_change_password => {
                        ctx.t("admin-state-new-password")
                    }
                    (Some(_), state) if state != AccountState::AwaitingConfirmation => {
                        format!("{} · {}", ctx.t(state_key(state)), ctx.t("admin-state-change-waiting"))
                    }
                    (_, state) => ctx.t(state_key(state)),
                },
                second_factor_on: user.second_factor,
                disabled: summary.state == AccountState::Disabled,
                second_factor: ctx.t(if user.second_factor {
                    "admin-second-factor-on"
                } else {
                    "admin-second-factor-off"
                }),
            }
        })
        .collect();
    let notice = query.notice.as_deref().and_then(notice_key).map(|key| ctx.t(key));
    let page = AdminUsersPage { ctx, title: ctx.t("page-admin-users"), rows, notice };
    Ok(render(StatusCode::OK, &page))
}

/// The message of a notice after an action (named in the URL, no personal data).
fn notice_key(name: &str) -> Option<&'static str> {
    match name {
        "disabled" => Some("admin-notice-disabled"),
        "already-waiting" => Some("admin-notice-already-waiting"),
        _ => None,
    }
}

pub fn state_key(state: AccountState) -> &'static str {
    match state {
        AccountState::Active => "admin-state-active",
        AccountState::Locked => "admin-state-locked",
        AccountState::Disabled => "admin-state-disabled",
        AccountState::AwaitingConfirmation => "admin-state-awaiting-confirmation",
        AccountState::AwaitingEnrolment => "admin-state-awaiting-enrolment",
        AccountState::EnrolmentExpired => "admin-state-enrolment-expired",
    }
}

/// The active houses, for the staff account's picker: each named with its commune.
async fn active_houses(state: &AppState, selected: &str) -> Result<Vec<(String, String, bool)>, AppError> {
    let names = super::cases::commune_names(state).await?;
    let houses = blocking(state, |conn| {
        Ok(crate::store::placements::houses(conn).map_err(crate::store::StoreError::from)?)
    })
    .await?;
    let mut houses: Vec<(String, String, bool)> = houses
        .into_iter()
        .filter(|h| h.active)
        .map(|h| {
            let commune = names.get(&h.commune_code).cloned().unwrap_or(h.commune_code);
            let selected = h.id == selected;
            (h.id, format!("{} ({commune})", h.name), selected)
        })
        .collect();
    houses.sort_by_cached_key(|(_, name, _)| vietnamese_sort_key(name));
    Ok(houses)
}

async fn form_page(
    state: &AppState,
    ctx: &PageContext,
    form: &NewAccountForm,
    errors: &[FieldMessage],
) -> Result<HttpResponse, AppError> {
    account_form_page(state, ctx, form, errors, None).await
}

/// The account form: a new account, or (`editing`) the role and scope of one.
pub(super) async fn account_form_page(
    state: &AppState,
    ctx: &PageContext,
    form: &NewAccountForm,
    errors: &[FieldMessage],
    editing: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let communes = province_communes(state).await?;
    let houses = active_houses(state, &form.safe_house_id).await?;
    let page = AdminUserFormPage {
        ctx,
        title: ctx.t(if editing.is_some() { "page-admin-user-access" } else { "page-admin-user-new" }),
        editing: editing.map(str::to_string),
        form,
        roles: Role::ALL
            .iter()
            .map(|role| (role.as_str(), ctx.t(role_key(*role)), form.role == role.as_str()))
            .collect(),
        groups: commune_groups(&communes, &form.communes),
        houses,
        errors,
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render(status, &page))
}

/// GET /admin/users/new
pub async fn new_form(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, AppError> {
    if let Some(refused) = may_manage_accounts(&state, &member).await? {
        return Ok(refused);
    }
    let form = NewAccountForm { role: Role::SocialWorker.as_str().into(), ..NewAccountForm::default() };
    form_page(&state, &member.ctx, &form, &[]).await
}

/// Message keys of the onboarding pages picked at run time: refusals of the
/// account form and of choosing one's password, the house pages' titles and notices.
pub const ONBOARDING_KEYS: [&str; 11] = [
    "admin-error-communes-none",
    "admin-error-safe-house-none",
    "admin-error-safe-house-inactive",
    "admin-error-safe-house-unknown",
    "choose-password-error-given",
    "choose-password-error-same",
    "page-admin-house-new",
    "page-admin-house-edit",
    "admin-house-created",
    "admin-house-updated",
    "admin-house-deactivated",
];

/// The message key of a refused field of the new-account form.
pub(super) fn account_error_key(field: &str, message: &str) -> &'static str {
    match field {
        "username" if message.contains("taken") => "admin-error-username-taken",
        "username" => "admin-error-username",
        "display_name" => "admin-error-display-name",
        "communes" if message.contains("works in no commune") => "admin-error-communes-none",
        "communes" => "admin-error-communes",
        "safe_house_id" if message.starts_with("only safe-house staff") => "admin-error-safe-house-none",
        "safe_house_id" if message.contains("deactivated") => "admin-error-safe-house-inactive",
        "safe_house_id" if message.starts_with("no safe house") => "admin-error-safe-house-unknown",
        "safe_house_id" => "admin-error-safe-house",
        "role" => "admin-error-role",
        _ => "admin-error-other",
    }
}

/// POST /admin/users — the form's fields as pairs, since the communes repeat.
pub async fn create(
    state: web::Data<AppState>,
    member: Member,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = may_manage_accounts(&state, &member).await? {
        return Ok(refused);
    }
    let fields = fields.into_inner();
    let one = |name: &str| {
        fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
    };
    if !tokens_match(&member.session.csrf_token, &one("csrf_token")) {
        return Ok(render_error(&member.ctx, StatusCode::FORBIDDEN));
    }
    let role: Option<Role> = one("role").parse().ok();
    let form = NewAccountForm {
        username: one("username"),
        display_name: one("display_name"),
        role: one("role"),
        communes: fields.iter().filter(|(k, _)| k == "communes").map(|(_, v)| v.clone()).collect(),
        safe_house_id: one("safe_house_id"),
    };
    // Which role may have communes or a house is the service's rule
    // (`services::accounts`): what was picked is kept and, if refused, named.
    let Some(role) = role else {
        let errors = [FieldMessage::new("role", "admin-error-role")];
        return form_page(&state, &member.ctx, &form, &errors).await;
    };
    let input = NewAccount {
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        role,
        communes: form.communes.clone(),
        safe_house_id: Some(form.safe_house_id.clone()).filter(|s| !s.is_empty()),
        password: None,
        enrolment_code: true,
    };
    let keys = state.keys.clone();
    let who = member.actor.clone();
    let outcome = blocking(&state, move |conn| {
        Ok(account_changes::request_create(conn, &keys, &who, &input, Utc::now().naive_utc()))
    })
    .await?;
    match outcome {
        Ok((user, requested)) => {
            Ok(outcome_page(&member.ctx, Outcome::Created, user.username, role, requested))
        }
        Err(AccountError::Invalid(found)) => {
            let errors: Vec<FieldMessage> = found
                .iter()
                .map(|e| FieldMessage::new(&e.field, account_error_key(&e.field, &e.message)))
                .collect();
            form_page(&state, &member.ctx, &form, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// What the administrator asked for, on the page that says what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    ResetPassword,
    ResetSecondFactor,
    Enabled,
    AccessChanged,
}

/// The page after an administrator's request: it waits for a supervisor, or it is
/// done, with the enrolment code shown once when one was issued.
pub(super) fn outcome_page(
    ctx: &PageContext,
    outcome: Outcome,
    username: String,
    role: Role,
    requested: Requested,
) -> HttpResponse {
    let (waiting, code) = match requested {
        Requested::Waiting => (true, None),
        Requested::Done(code) => (false, code.map(|c| c.to_string())),
    };
    let page = AdminPasswordPage {
        ctx,
        title: ctx_title(ctx, if code.is_some() { "page-admin-password" } else { "page-admin-confirm" }),
        outcome,
        username,
        waiting,
        expires: code
            .as_ref()
            .map(|_| super::cases::time::show_time(Utc::now() + crate::services::enrolment::CODE_LIFETIME)),
        code,
        needs_second_factor: role.requires_second_factor(),
    };
    render(StatusCode::OK, &page)
}

fn ctx_title(ctx: &PageContext, key: &str) -> String {
    ctx.t(key)
}

/// What an administrator can do to another account from the list, after a
/// confirmation page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAction {
    Disable,
    ResetPassword,
    ResetSecondFactor,
    Enable,
}

impl AccountAction {
    pub fn path_part(self) -> &'static str {
        match self {
            AccountAction::Disable => "disable",
            AccountAction::ResetPassword => "reset-password",
            AccountAction::ResetSecondFactor => "reset-second-factor",
            AccountAction::Enable => "enable",
        }
    }

    /// The message keys of its confirmation page: heading, text, button.
    pub fn keys(self) -> [&'static str; 3] {
        match self {
            AccountAction::Disable => ["admin-disable-heading", "admin-disable-text", "admin-disable-submit"],
            AccountAction::ResetPassword => ["admin-reset-heading", "admin-reset-text", "admin-reset-submit"],
            AccountAction::ResetSecondFactor => {
                ["admin-reset-2fa-heading", "admin-reset-2fa-text", "admin-reset-2fa-submit"]
            }
            AccountAction::Enable => ["admin-enable-heading", "admin-enable-text", "admin-enable-submit"],
        }
    }
}

/// The account named in the path, when it exists and is not the administrator's
/// own (she would lock herself out).
pub(super) async fn other_account(
    state: &AppState,
    member: &Member,
    username: &str,
) -> Result<Result<accounts::AccountSummary, HttpResponse>, AppError> {
    let summaries = blocking(state, |conn| Ok(accounts::list(conn, Utc::now().naive_utc())?)).await?;
    let Some(found) = summaries.into_iter().find(|s| s.user.username == username) else {
        return Ok(Err(render_error(&member.ctx, StatusCode::NOT_FOUND)));
    };
    if found.user.id == member.session.user.id {
        return Ok(Err(render_error(&member.ctx, StatusCode::FORBIDDEN)));
    }
    Ok(Ok(found))
}

/// What every change to another account checks first: the policy (`user.manage`),
/// the form's token, and that the account exists and is not the administrator's own.
pub(super) async fn account_to_change(
    state: &AppState,
    member: &Member,
    username: &str,
    csrf_token: &str,
) -> Result<Result<accounts::AccountSummary, HttpResponse>, AppError> {
    if let Some(refused) = may_manage_accounts(state, member).await? {
        return Ok(Err(refused));
    }
    if !tokens_match(&member.session.csrf_token, csrf_token) {
        return Ok(Err(render_error(&member.ctx, StatusCode::FORBIDDEN)));
    }
    other_account(state, member, username).await
}

async fn confirm(
    state: web::Data<AppState>,
    member: Member,
    username: String,
    action: AccountAction,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = may_manage_accounts(&state, &member).await? {
        return Ok(refused);
    }
    let account = match other_account(&state, &member, &username).await? {
        Ok(account) => account,
        Err(refused) => return Ok(refused),
    };
    let ctx = &member.ctx;
    let page = AdminConfirmPage {
        ctx,
        title: ctx.t("page-admin-confirm"),
        action,
        username: account.user.username,
        display_name: account.user.display_name,
    };
    Ok(render(StatusCode::OK, &page))
}

/// GET /admin/users/{username}/{action}
pub async fn confirm_action(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (username, action) = path.into_inner();
    let Some(action) = action_named(&action) else {
        return Ok(render_error(&member.ctx, StatusCode::NOT_FOUND));
    };
    confirm(state, member, username, action).await
}

fn action_named(name: &str) -> Option<AccountAction> {
    [
        AccountAction::Disable,
        AccountAction::ResetPassword,
        AccountAction::ResetSecondFactor,
        AccountAction::Enable,
    ]
    .into_iter()
    .find(|a| a.path_part() == name)
}

/// POST /admin/users/{username}/{action} — disabling is done at once; a reset or
/// re-enabling of an account that reads people waits for a supervisor.
pub async fn act(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
    form: web::Form<TokenOnly>,
) -> Result<HttpResponse, AppError> {
    let (username, action) = path.into_inner();
    let Some(action) = action_named(&action) else {
        return Ok(render_error(&member.ctx, StatusCode::NOT_FOUND));
    };
    let account = match account_to_change(&state, &member, &username, &form.csrf_token).await? {
        Ok(account) => account,
        Err(refused) => return Ok(refused),
    };
    let name = account.user.username.clone();
    let who = member.actor.clone();
    let now = Utc::now().naive_utc();
    let (outcome, requested) = match action {
        AccountAction::Disable => {
            blocking(&state, move |conn| Ok(accounts::disable(conn, &who, &name, now)?)).await?;
            return Ok(see_other("/admin/users?notice=disabled"));
        }
        AccountAction::ResetPassword => (
            Outcome::ResetPassword,
            blocking(&state, move |conn| Ok(account_changes::request_reset_password(conn, &who, &name, now)))
                .await?,
        ),
        AccountAction::ResetSecondFactor => (
            Outcome::ResetSecondFactor,
            blocking(&state, move |conn| {
                Ok(account_changes::request_reset_second_factor(conn, &who, &name, now))
            })
            .await?,
        ),
        AccountAction::Enable => (
            Outcome::Enabled,
            blocking(&state, move |conn| Ok(account_changes::request_enable(conn, &who, &name, now))).await?,
        ),
    };
    match requested {
        Ok(requested) => {
            Ok(outcome_page(&member.ctx, outcome, account.user.username, account.user.role, requested))
        }
        // Another change of the account waits already, or it is not disabled.
        Err(AccountError::Invalid(_)) => Ok(see_other("/admin/users?notice=already-waiting")),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::admin_units::UnitKind;

    fn commune(code: &str, name: &str) -> CommuneEntry {
        CommuneEntry { code: code.into(), name: name.into(), kind: UnitKind::Xa }
    }

    #[test]
    fn communes_are_grouped_by_initial_in_vietnamese_order() {
        let communes = [
            commune("1", "Đức Thọ"),
            commune("2", "Ân Phú"),
            commune("3", "Cẩm Xuyên"),
            commune("4", "Dương Thủy"),
            commune("5", "Can Lộc"),
            commune("6", "Anh Sơn"),
            commune("7", "Đan Hải"),
            commune("8", "Ô Chợ"),
            commune("9", "Óc Eo"),
        ];
        let groups = commune_groups(&communes, &["3".into()]);
        let letters: Vec<&str> = groups.iter().map(|g| g.letter.as_str()).collect();
        assert_eq!(letters, ["A", "C", "D", "Đ", "O"]);
        let d: Vec<&str> = groups[3].communes.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(d, ["Xã Đan Hải", "Xã Đức Thọ"]);
        let o: Vec<&str> = groups[4].communes.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(o, ["Xã Óc Eo", "Xã Ô Chợ"]);
        let a: Vec<&str> = groups[0].communes.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(a, ["Xã Anh Sơn", "Xã Ân Phú"]);
        let c: Vec<(&str, bool)> = groups[1].communes.iter().map(|c| (c.label.as_str(), c.checked)).collect();
        assert_eq!(c, [("Xã Can Lộc", false), ("Xã Cẩm Xuyên", true)]);
    }
}
