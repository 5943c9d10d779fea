//! The templates of `frontend/templates`, one struct each. Every page extends
//! `base.html`, which reads `ctx` (the [`PageContext`]) and `title` (a neutral page
//! name: never personal data).

use askama::Template;

use super::context::PageContext;
use super::i18n::Lang;
use crate::domain::role::Role;

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
    /// Not an error: the session ended after idle or absolute timeout.
    SessionEnded,
    /// Not an error: sign-out succeeded.
    SignedOut,
}

impl LoginMessage {
    pub const ALL: [LoginMessage; 8] = [
        LoginMessage::MissingUsername,
        LoginMessage::MissingPassword,
        LoginMessage::CodeFormat,
        LoginMessage::CodeRequired,
        LoginMessage::InvalidCredentials,
        LoginMessage::FormExpired,
        LoginMessage::SessionEnded,
        LoginMessage::SignedOut,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LoginMessage::MissingUsername => "login-error-missing-username",
            LoginMessage::MissingPassword => "login-error-missing-password",
            LoginMessage::CodeFormat => "login-error-code-format",
            LoginMessage::CodeRequired => "login-error-code-required",
            LoginMessage::InvalidCredentials => "login-error-invalid",
            LoginMessage::FormExpired => "login-error-form-expired",
            LoginMessage::SessionEnded => "login-notice-session-ended",
            LoginMessage::SignedOut => "login-notice-signed-out",
        }
    }

    pub fn is_error(self) -> bool {
        !matches!(self, LoginMessage::SessionEnded | LoginMessage::SignedOut)
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
            LoginMessage::SessionEnded | LoginMessage::SignedOut => StatusCode::OK,
        }
    }

    /// The notice named in `/login?notice=…` (after a redirect; no personal data).
    pub fn from_notice(name: &str) -> Option<LoginMessage> {
        match name {
            "signed-out" => Some(LoginMessage::SignedOut),
            "session-ended" => Some(LoginMessage::SessionEnded),
            _ => None,
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    /// Message keys of what this role does in Bình An (design §1).
    pub tasks: &'static [&'static str],
}

/// What each role does in Bình An (design §1), as message keys.
pub fn role_tasks(role: Role) -> &'static [&'static str] {
    match role {
        Role::SocialWorker => &[
            "task-social_worker-intake",
            "task-social_worker-assess",
            "task-social_worker-record",
            "task-social_worker-refer",
            "task-social_worker-follow-up",
        ],
        Role::Supervisor => &[
            "task-supervisor-all",
            "task-supervisor-approve",
            "task-supervisor-reassign",
            "task-supervisor-erasure",
            "task-supervisor-deadlines",
        ],
        Role::SafeHouseStaff => &[
            "task-safe_house_staff-requests",
            "task-safe_house_staff-check-in",
            "task-safe_house_staff-notes",
            "task-safe_house_staff-identity",
        ],
        Role::CommitteeMember => &[
            "task-committee_member-statistics",
            "task-committee_member-reports",
            "task-committee_member-exports",
            "task-committee_member-anonymous",
        ],
        Role::Admin => {
            &["task-admin-accounts", "task-admin-registers", "task-admin-settings", "task-admin-separation"]
        }
    }
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
pub fn dynamic_keys() -> Vec<&'static str> {
    let mut keys = Vec::new();
    for role in Role::ALL {
        keys.push(super::context::role_key(role));
        keys.extend(role_tasks(role));
        keys.extend(super::context::nav_links(role).iter().map(|(_, key)| *key));
    }
    keys.extend(LoginMessage::ALL.map(LoginMessage::key));
    for status in [400, 403, 404, 500, 503] {
        let (title, text) = error_keys(status);
        keys.extend([title, text]);
    }
    keys.extend(["page-login", "page-home"]);
    keys
}
