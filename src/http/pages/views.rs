//! The templates of `frontend/templates`, one struct each. Every page extends
//! `base.html`, which reads `ctx` (the [`PageContext`]) and `title` (a neutral page
//! name: never personal data).

use askama::Template;

use super::admin::AccountAction;
use super::context::PageContext;
use super::i18n::Lang;
use crate::domain::password::PasswordProblem;
use crate::domain::role::Role;
use crate::services::accounts::AccountState;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub form: &'a LoginForm,
    /// The message shown above the form, in the page's language.
    pub message: Option<String>,
    pub message_is_error: bool,
    /// Name of the field the message is about (`aria-invalid`), or empty.
    pub invalid: &'static str,
    /// Name of the field that gets the focus (`autofocus`), or empty.
    pub focus: &'static str,
}

/// What the sign-in form shows again after a failed attempt (never the password or
/// the code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoginForm {
    pub username: String,
    pub message: Option<LoginMessage>,
}

/// Why the sign-in page is shown again, each saying what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginMessage {
    MissingUsername,
    MissingPassword,
    /// The code is not 6 digits.
    CodeFormat,
    /// The account needs a code and none was given.
    CodeRequired,
    /// Wrong username, password or code, or a locked account: the same answer for
    /// all, so the page reveals nothing about which.
    InvalidCredentials,
    /// The form's CSRF token was missing or stale.
    FormExpired,
    /// Too many sign-in attempts from this address in a minute.
    TooManyAttempts,
    /// Not an error: the session ended after idle or absolute timeout.
    SessionEnded,
    /// Not an error: sign-out succeeded.
    SignedOut,
    /// Not an error: the password was changed, every session ended.
    PasswordChanged,
}

impl LoginMessage {
    pub const ALL: [LoginMessage; 10] = [
        LoginMessage::MissingUsername,
        LoginMessage::MissingPassword,
        LoginMessage::CodeFormat,
        LoginMessage::CodeRequired,
        LoginMessage::InvalidCredentials,
        LoginMessage::FormExpired,
        LoginMessage::TooManyAttempts,
        LoginMessage::SessionEnded,
        LoginMessage::SignedOut,
        LoginMessage::PasswordChanged,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LoginMessage::MissingUsername => "login-error-missing-username",
            LoginMessage::MissingPassword => "login-error-missing-password",
            LoginMessage::CodeFormat => "login-error-code-format",
            LoginMessage::CodeRequired => "login-error-code-required",
            LoginMessage::InvalidCredentials => "login-error-invalid",
            LoginMessage::FormExpired => "login-error-form-expired",
            LoginMessage::TooManyAttempts => "login-error-too-many",
            LoginMessage::SessionEnded => "login-notice-session-ended",
            LoginMessage::SignedOut => "login-notice-signed-out",
            LoginMessage::PasswordChanged => "login-notice-password-changed",
        }
    }

    pub fn is_error(self) -> bool {
        !matches!(self, LoginMessage::SessionEnded | LoginMessage::SignedOut | LoginMessage::PasswordChanged)
    }

    /// The field that gets the focus when the page opens: the one to correct, or,
    /// when a code was asked for, the password (it is never sent back, so it must be
    /// typed again before the code).
    pub fn focus(self) -> &'static str {
        match self {
            LoginMessage::MissingUsername => "username",
            LoginMessage::MissingPassword | LoginMessage::CodeRequired => "password",
            LoginMessage::CodeFormat => "totp",
            _ => "",
        }
    }

    /// The field to correct, marked `aria-invalid` and described by the message.
    pub fn field(self) -> &'static str {
        match self {
            LoginMessage::MissingUsername => "username",
            LoginMessage::MissingPassword => "password",
            LoginMessage::CodeFormat | LoginMessage::CodeRequired => "totp",
            _ => "",
        }
    }

    /// The status of a page that shows this message.
    pub fn status(self) -> actix_web::http::StatusCode {
        use actix_web::http::StatusCode;
        match self {
            LoginMessage::MissingUsername | LoginMessage::MissingPassword | LoginMessage::CodeFormat => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            LoginMessage::CodeRequired | LoginMessage::InvalidCredentials => StatusCode::UNAUTHORIZED,
            LoginMessage::FormExpired => StatusCode::FORBIDDEN,
            LoginMessage::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            LoginMessage::SessionEnded | LoginMessage::SignedOut | LoginMessage::PasswordChanged => {
                StatusCode::OK
            }
        }
    }

    /// The notice named in `/login?notice=…` (after a redirect; no personal data).
    pub fn from_notice(name: &str) -> Option<LoginMessage> {
        match name {
            "signed-out" => Some(LoginMessage::SignedOut),
            "session-ended" => Some(LoginMessage::SessionEnded),
            "password-changed" => Some(LoginMessage::PasswordChanged),
            _ => None,
        }
    }
}

/// What a locked session sees of any page: the lock, and nothing behind it.
#[derive(Template)]
#[template(path = "locked.html")]
pub struct LockedPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    /// Social workers and supervisors: what needs doing now.
    pub attention: Option<super::cases::HomeAttention>,
    /// Safe-house staff: their house's free places, requests, holds and residents.
    pub house: Option<super::placements::views::HouseGlanceLine>,
    /// Committee members and supervisors: the next report due.
    pub deadline: Option<NextReport>,
    /// Administrators: the registers they keep.
    pub admin: bool,
}

/// The next periodic report: its name, due day, and whether its figures are ready.
pub struct NextReport {
    pub title: String,
    pub due: String,
    pub readiness: String,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub explanation: String,
}

/// The message keys (heading, explanation) of an error page for `status`.
pub fn error_keys(status: u16) -> (&'static str, &'static str) {
    match status {
        403 => ("error-403-title", "error-403-text"),
        404 => ("error-404-title", "error-404-text"),
        503 => ("error-503-title", "error-503-text"),
        500..=599 => ("error-500-title", "error-500-text"),
        _ => ("error-other-title", "error-other-text"),
    }
}

/// Every message key the code picks at run time (the templates' own keys are found
/// by reading the templates): the test of the catalog checks both sets.
pub fn dynamic_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for role in Role::ALL {
        keys.push(super::context::role_key(role));
        keys.extend(super::context::nav_links(role).iter().map(|(_, key)| *key));
    }
    keys.extend(LoginMessage::ALL.map(LoginMessage::key));
    for status in [400, 403, 404, 500, 503] {
        let (title, text) = error_keys(status);
        keys.extend([title, text]);
    }
    keys.extend(["page-login", "page-home"]);
    for state in [
        AccountState::Active,
        AccountState::Locked,
        AccountState::Disabled,
        AccountState::AwaitingConfirmation,
        AccountState::AwaitingEnrolment,
        AccountState::EnrolmentExpired,
    ] {
        keys.push(super::admin::state_key(state));
    }
    keys.extend(TWO_PEOPLE_KEYS);
    for problem in [PasswordProblem::TooShort, PasswordProblem::TooLong, PasswordProblem::TooGuessable] {
        keys.push(super::account::password_problem_key(problem));
    }
    keys.extend(ACCOUNT_FORM_KEYS);
    keys.extend(super::admin::ONBOARDING_KEYS);
    keys.extend(super::cases::dynamic_keys());
    keys.extend(super::placements::dynamic_keys());
    // The access log names each case action in words.
    let case_actions = crate::authz::Action::ALL
        .into_iter()
        .filter(|a| a.as_str().starts_with("case."))
        .map(|a| format!("access-action-{}", a.as_str().replace(['.', '_'], "-")));
    keys.into_iter().map(String::from).chain(super::reports::dynamic_keys()).chain(case_actions).collect()
}

/// Message keys of the two-person account pages picked at run time (issue 17).
const TWO_PEOPLE_KEYS: [&str; 52] = [
    "admin-notice-already-waiting",
    "admin-state-change-waiting",
    "admin-reset-2fa-heading",
    "admin-reset-2fa-text",
    "admin-reset-2fa-submit",
    "admin-enable-heading",
    "admin-enable-text",
    "admin-enable-submit",
    "admin-waiting-heading",
    "admin-reset-2fa-done-heading",
    "admin-enable-done-heading",
    "admin-access-done-heading",
    "admin-created-heading",
    "admin-reset-done-heading",
    "page-admin-user-access",
    "page-enrol",
    "enrol-error-form-expired",
    "enrol-error-too-many",
    "enrol-error-username",
    "enrol-error-code-missing",
    "enrol-error-code",
    "account-change-create",
    "account-change-widen",
    "account-change-enable",
    "account-change-reset-password",
    "account-change-reset-second-factor",
    "account-changes-confirmed-by",
    "account-changes-refused-by",
    "account-changes-done-confirmed",
    "account-changes-done-refused",
    "page-account-changes",
    "page-account-code",
    "home-account-changes",
    "home-account-changes-none",
    "access-log-heading",
    "access-log-none",
    "access-log-who",
    "access-log-role",
    "access-log-when",
    "access-log-what",
    "access-log-server",
    "access-log-refused",
    "enrol-error-second-factor",
    "page-admin-user-new",
    "page-admin-password",
    "admin-disable-heading",
    "admin-disable-text",
    "admin-disable-submit",
    "admin-reset-heading",
    "admin-reset-text",
    "admin-reset-submit",
    "page-admin-confirm",
];

/// A field's error on a form: the field's name and the message key saying what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMessage {
    pub field: String,
    pub key: &'static str,
}

impl FieldMessage {
    pub fn new(field: &str, key: &'static str) -> Self {
        FieldMessage { field: field.to_string(), key }
    }
}

/// The error of `field` among `errors`, in the page's language, or nothing.
fn error_of(ctx: &PageContext, errors: &[FieldMessage], field: &str) -> String {
    errors.iter().find(|e| e.field == field).map(|e| ctx.t(e.key)).unwrap_or_default()
}

/// Message keys of the account pages picked at run time (errors by field, notices,
/// on/off).
const ACCOUNT_FORM_KEYS: [&str; 14] = [
    "admin-notice-disabled",
    "admin-second-factor-on",
    "admin-second-factor-off",
    "account-error-current-missing",
    "account-error-current-wrong",
    "account-error-repeat",
    "account-error-new-refused",
    "admin-error-username",
    "admin-error-username-taken",
    "admin-error-display-name",
    "admin-error-communes",
    "admin-error-safe-house",
    "admin-error-role",
    "admin-error-other",
];

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub username: String,
    pub second_factor: bool,
    pub errors: &'a [FieldMessage],
}

impl AccountPage<'_> {
    pub fn error(&self, field: &str) -> String {
        error_of(self.ctx, self.errors, field)
    }
}

/// Choosing her own password in place of the one an administrator gave.
#[derive(Template)]
#[template(path = "choose_password.html")]
pub struct ChoosePasswordPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub errors: &'a [FieldMessage],
}

impl ChoosePasswordPage<'_> {
    pub fn error(&self, field: &str) -> String {
        error_of(self.ctx, self.errors, field)
    }
}

/// One account change on the supervisor's list, in words.
pub struct AccountChangeLine {
    pub id: String,
    pub username: String,
    pub display_name: String,
    /// What is asked, in words (with the role and scope asked for a widening).
    pub what: String,
    pub requested_by: String,
    pub requested_at: String,
    /// "Đã xác nhận bởi … lúc …" for a decided one.
    pub decided: String,
    pub may_decide: bool,
}

/// The account changes waiting for a supervisor, and those decided lately.
#[derive(Template)]
#[template(path = "account_changes.html")]
pub struct AccountChangesPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub waiting: Vec<AccountChangeLine>,
    pub recent: Vec<AccountChangeLine>,
    pub notice: Option<String>,
}

/// A confirmed change that issued an enrolment code: shown once, to hand over.
#[derive(Template)]
#[template(path = "account_code.html")]
pub struct AccountCodePage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub username: String,
    pub code: String,
    pub expires: String,
}

/// Choosing one's password with a one-time enrolment code.
#[derive(Template)]
#[template(path = "enrol.html")]
pub struct EnrolPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub username: String,
    pub errors: &'a [FieldMessage],
}

impl EnrolPage<'_> {
    pub fn error(&self, field: &str) -> String {
        error_of(self.ctx, self.errors, field)
    }
}

/// Where the second-factor set-up is.
pub enum SecondFactorStep {
    /// The account has one already: replacing it is asked first.
    Replace,
    /// A new secret, to scan or type, and the field for the first code.
    Scan { qr_svg: String, secret: String, otpauth_uri: String },
    /// The first code was not right: try again, or start over.
    Retry,
}

#[derive(Template)]
#[template(path = "second_factor.html")]
pub struct SecondFactorPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub step: SecondFactorStep,
}

impl SecondFactorPage<'_> {
    /// The first code was refused: its field is marked and focused.
    pub fn retrying(&self) -> bool {
        matches!(self.step, SecondFactorStep::Retry)
    }
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
pub struct RecoveryCodesPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub codes: Vec<String>,
}

/// One account in the administrator's list, in words.
pub struct AccountRow {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub scope: String,
    pub state: String,
    pub disabled: bool,
    pub second_factor: String,
    pub second_factor_on: bool,
    /// The administrator's own account: no actions against it.
    pub is_self: bool,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
pub struct AdminUsersPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub rows: Vec<AccountRow>,
    pub notice: Option<String>,
}

/// What the new-account form shows again after a refusal.
#[derive(Debug, Clone, Default)]
pub struct NewAccountForm {
    pub username: String,
    pub display_name: String,
    /// The role's stable name, as in the select.
    pub role: String,
    pub communes: Vec<String>,
    pub safe_house_id: String,
}

pub struct CommuneOption {
    pub code: String,
    pub label: String,
    pub checked: bool,
}

/// The communes under one initial letter.
pub struct CommuneGroup {
    pub letter: String,
    pub communes: Vec<CommuneOption>,
}

#[derive(Template)]
#[template(path = "admin_user_form.html")]
pub struct AdminUserFormPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    /// The username whose role and scope are changed; None for a new account.
    pub editing: Option<String>,
    pub form: &'a NewAccountForm,
    /// (stable name, name in words, selected)
    pub roles: Vec<(&'static str, String, bool)>,
    pub groups: Vec<CommuneGroup>,
    /// The active safe houses: (id, name with its commune, selected).
    pub houses: Vec<(String, String, bool)>,
    pub errors: &'a [FieldMessage],
}

impl AdminUserFormPage<'_> {
    pub fn error(&self, field: &str) -> String {
        error_of(self.ctx, self.errors, field)
    }
}

#[derive(Template)]
#[template(path = "admin_confirm.html")]
pub struct AdminConfirmPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub action: AccountAction,
    pub username: String,
    pub display_name: String,
}

impl AdminConfirmPage<'_> {
    pub fn is_disable(&self) -> bool {
        self.action == AccountAction::Disable
    }

    pub fn key(&self, part: usize) -> &'static str {
        self.action.keys()[part]
    }
}

/// What became of an administrator's request: waiting for a supervisor, or done,
/// with a one-time enrolment code shown once when one was issued.
#[derive(Template)]
#[template(path = "admin_password.html")]
pub struct AdminPasswordPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub outcome: super::admin::Outcome,
    pub username: String,
    pub waiting: bool,
    pub code: Option<String>,
    /// When the code stops working, in Vietnam's time.
    pub expires: Option<String>,
    pub needs_second_factor: bool,
}

impl AdminPasswordPage<'_> {
    pub fn heading_key(&self) -> &'static str {
        use super::admin::Outcome;
        match (self.waiting, self.outcome) {
            (true, _) => "admin-waiting-heading",
            (false, Outcome::Created) => "admin-created-heading",
            (false, Outcome::ResetPassword) => "admin-reset-done-heading",
            (false, Outcome::ResetSecondFactor) => "admin-reset-2fa-done-heading",
            (false, Outcome::Enabled) => "admin-enable-done-heading",
            (false, Outcome::AccessChanged) => "admin-access-done-heading",
        }
    }
}
