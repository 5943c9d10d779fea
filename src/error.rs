//! The errors a request can end in, mapped once to `application/problem+json`
//! (RFC 9457) with a stable `code`. Messages name what to fix, never personal data.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::store::StoreError;

/// One field that failed validation, named as the client sent it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("wrong username, password or code")]
    InvalidCredentials,
    #[error("second factor code required")]
    CodeRequired,
    #[error("too many attempts")]
    TooManyAttempts,
    /// Too many case searches or duplicate checks by this account this minute
    /// (429 with `Retry-After`).
    #[error("too many lookups")]
    TooManyLookups { retry_after_s: u64 },
    #[error("the screen is locked")]
    ScreenLocked,
    /// The account's password was given by an administrator (a new account, a
    /// reset): until its owner chooses her own, nothing else is open.
    #[error("a new password must be chosen first")]
    PasswordChangeRequired,
    #[error("not found")]
    NotFound,
    /// A path of the API asked with a method it does not have (405).
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("forbidden")]
    Forbidden,
    #[error("conflict: {0}")]
    Conflict(String),
    /// A request the record's state refuses (409), with a stable code, what the
    /// person can do instead and, for a stale save, the version now stored.
    #[error("refused: {code}")]
    Refused {
        code: &'static str,
        title: &'static str,
        detail: String,
        allowed: Vec<String>,
        current_version: Option<i32>,
    },
    /// A case already holds an open placement (409): its id and status, so a
    /// program can cancel it or have it checked out; nothing about the survivor.
    #[error("refused: placement_open")]
    PlacementOpen { placement_id: String, placement_status: &'static str, detail: String },
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// A body that could not be read as the API documents it (not JSON, wrong types).
    #[error("bad request")]
    BadRequest(Vec<FieldError>),
    #[error("payload too large")]
    TooLarge,
    /// A URI longer than any of the site's (a query string of tens of kilobytes).
    #[error("URI too long")]
    UriTooLong,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Connect(e) => AppError::Unavailable(e.to_string()),
            StoreError::Unavailable(e) => AppError::Unavailable(e),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<crate::services::auth::AuthError> for AppError {
    fn from(e: crate::services::auth::AuthError) -> Self {
        use crate::services::auth::AuthError;
        match e {
            AuthError::InvalidCredentials => AppError::InvalidCredentials,
            AuthError::CodeRequired => AppError::CodeRequired,
            AuthError::SecondFactorInUse => AppError::Conflict(
                "Đã có xác thực hai lớp; quản trị hệ thống có thể đặt lại. A second factor is already set up; an administrator can reset it.".into(),
            ),
            AuthError::Store(e) => e.into(),
            AuthError::Keys(e) => AppError::Internal(e.to_string()),
        }
    }
}

impl From<crate::services::accounts::AccountError> for AppError {
    fn from(e: crate::services::accounts::AccountError) -> Self {
        use crate::services::accounts::AccountError;
        match e {
            AccountError::Invalid(errors) => AppError::Invalid(errors),
            AccountError::NotFound(_) => AppError::NotFound,
            AccountError::Forbidden => AppError::Forbidden,
            AccountError::Auth(e) => e.into(),
        }
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        AppError::Unavailable("the server is shutting down".into())
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    pub type_: &'static str,
    /// Stable, language-free identifier of the error.
    #[schema(value_type = String)]
    pub code: &'static str,
    /// Vietnamese first, English in brackets.
    #[schema(value_type = String)]
    pub title: &'static str,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// What may be asked instead (for a refused step: the steps allowed now).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
    /// For a stale save: the version now stored; reload, review, save again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i32>,
    /// For a second placement request: the case's open placement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement_id: Option<String>,
    /// For a second placement request: the open placement's status
    /// (requested, accepted, hold_expired or checked_in).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub placement_status: Option<&'static str>,
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::CodeRequired => "second_factor_required",
            AppError::TooManyAttempts => "too_many_attempts",
            AppError::TooManyLookups { .. } => "too_many_lookups",
            AppError::ScreenLocked => "screen_locked",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::NotFound => "not_found",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::Forbidden => "forbidden",
            AppError::Conflict(_) => "conflict",
            AppError::Refused { code, .. } => code,
            AppError::PlacementOpen { .. } => "placement_open",
            AppError::Invalid(_) => "invalid_input",
            AppError::BadRequest(_) => "bad_request",
            AppError::TooLarge => "payload_too_large",
            AppError::UriTooLong => "uri_too_long",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal_error",
        }
    }

    /// Vietnamese first: the people who read these are Vietnamese social workers;
    /// `code` is the stable, language-free identifier for programs.
    fn title(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "Cần đăng nhập (sign-in required)",
            AppError::InvalidCredentials => {
                "Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng (wrong username, password or code)"
            }
            AppError::CodeRequired => "Cần mã xác thực 6 số (6-digit code required)",
            AppError::TooManyAttempts => {
                "Quá nhiều lần thử, vui lòng đợi một phút (too many attempts, wait a minute)"
            }
            AppError::TooManyLookups { .. } => {
                "Quá nhiều lượt tìm kiếm hoặc kiểm tra trùng trong một phút, vui lòng đợi (too many searches or duplicate checks this minute, wait)"
            }
            AppError::ScreenLocked => {
                "Màn hình đang khóa: nhập mật khẩu để mở (the screen is locked: unlock with the password)"
            }
            AppError::PasswordChangeRequired => "Cần đặt mật khẩu mới trước (choose a new password first)",
            AppError::NotFound => "Không tìm thấy (not found)",
            AppError::MethodNotAllowed => "Phương thức không được hỗ trợ (method not allowed)",
            AppError::Forbidden => "Không được phép (forbidden)",
            AppError::Conflict(_) => "Xung đột dữ liệu (conflict)",
            AppError::Refused { title, .. } => title,
            AppError::PlacementOpen { .. } => {
                "Hồ sơ đã có một lượt tạm lánh đang mở (the case already has an open placement)"
            }
            AppError::Invalid(_) => "Dữ liệu không hợp lệ (invalid input)",
            AppError::BadRequest(_) => "Yêu cầu sai định dạng (malformed request)",
            AppError::TooLarge => "Dữ liệu quá lớn (payload too large)",
            AppError::UriTooLong => "Địa chỉ quá dài (URI too long)",
            AppError::Unavailable(_) => "Hệ thống tạm thời không phục vụ được (service unavailable)",
            AppError::Internal(_) => "Lỗi hệ thống (internal error)",
        }
    }

    pub fn problem(&self) -> Problem {
        let detail = match self {
            AppError::Conflict(detail)
            | AppError::Refused { detail, .. }
            | AppError::PlacementOpen { detail, .. } => Some(detail.clone()),
            AppError::TooManyLookups { retry_after_s } => Some(format!(
                "Vui lòng thử lại sau {retry_after_s} giây. Please try again in {retry_after_s} seconds."
            )),
            AppError::Unavailable(_) => {
                Some("Vui lòng thử lại sau ít phút. Please try again in a few minutes.".into())
            }
            AppError::PasswordChangeRequired => Some(
                "Mật khẩu này do quản trị hệ thống cấp: hãy đặt mật khẩu của riêng bạn (POST /api/v1/me/password) trước khi làm việc khác. This password was given by an administrator: choose your own (POST /api/v1/me/password) before anything else.".into(),
            ),
            _ => None,
        };
        Problem {
            type_: "about:blank",
            code: self.code(),
            title: self.title(),
            status: self.status_code().as_u16(),
            detail,
            errors: match self {
                AppError::Invalid(errors) | AppError::BadRequest(errors) => errors.clone(),
                _ => Vec::new(),
            },
            allowed: match self {
                AppError::Refused { allowed, .. } => allowed.clone(),
                _ => Vec::new(),
            },
            current_version: match self {
                AppError::Refused { current_version, .. } => *current_version,
                _ => None,
            },
            placement_id: match self {
                AppError::PlacementOpen { placement_id, .. } => Some(placement_id.clone()),
                _ => None,
            },
            placement_status: match self {
                AppError::PlacementOpen { placement_status, .. } => Some(placement_status),
                _ => None,
            },
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated | AppError::InvalidCredentials | AppError::CodeRequired => {
                StatusCode::UNAUTHORIZED
            }
            AppError::TooManyAttempts | AppError::TooManyLookups { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::ScreenLocked => StatusCode::LOCKED,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Forbidden | AppError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            AppError::Conflict(_) | AppError::Refused { .. } | AppError::PlacementOpen { .. } => {
                StatusCode::CONFLICT
            }
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UriTooLong => StatusCode::URI_TOO_LONG,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            // The cause goes to the log (which carries ids only), never to the client.
            AppError::Internal(cause) => tracing::error!(%cause, "request failed"),
            AppError::Unavailable(cause) => tracing::warn!(%cause, "request refused: unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        if let AppError::TooManyLookups { retry_after_s } = self {
            response.insert_header((actix_web::http::header::RETRY_AFTER, retry_after_s.to_string()));
        }
        response.content_type("application/problem+json").json(self.problem())
    }
}
