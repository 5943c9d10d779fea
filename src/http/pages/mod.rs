//! Server-rendered pages: askama templates from `frontend/templates`, messages from
//! `frontend/locales` (Vietnamese first, English second), static files from
//! `frontend/static`. Handlers here only gather what a template needs and render.
//!
//! The session layer plugs in through the request's extensions: a [`UserView`] for
//! the signed-in user and a [`CsrfToken`] for the forms. [`PageContext`] picks both
//! up, so every page shows the signed-in layout and carries the token.

mod account;
pub(crate) mod account_changes;
mod admin;
mod admin_access;
mod admin_houses;
pub mod assets;
mod bridge;
mod cases;
mod context;
mod enrol;
mod errors;
pub mod i18n;
mod placements;
pub mod reports;
mod sign_in;
mod views;
pub mod vocab;

use actix_web::error::UrlencodedError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub use bridge::{AnyMember, Member, PASSWORD_CHOICE_PATH, SECOND_FACTOR_PATH, SessionEnded, session_bridge};
pub use context::{
    CsrfToken, DEFAULT_SCREEN_LOCK_MINUTES, NavLink, PageContext, Scope, UserView, nav_links, role_key,
};
pub use errors::{html_errors, render_error};
pub use i18n::{LANG_COOKIE, Lang};
pub use sign_in::LOGIN_CSRF_COOKIE;
pub use views::{LoginForm, LoginMessage, dynamic_keys};

/// The page routes. Where each is handled:
///
/// | route | handler |
/// |---|---|
/// | `GET /`, `GET/POST /login`, `POST /logout` | `sign_in` |
/// | `GET /account`, `POST /account/password`, `GET/POST /account/new-password`, `GET/POST /account/second-factor` | `account` |
/// | `GET /admin/users`, `GET /admin/users/new`, `POST /admin/users`, `GET/POST /admin/users/{username}/{disable,reset-password,reset-second-factor,enable}` | `admin` |
/// | `GET/POST /admin/users/{username}/access` | `admin_access` |
/// | `GET /account-changes`, `POST /account-changes/{id}` | `account_changes` |
/// | `GET/POST /enrol` | `enrol` |
/// | `GET/POST /admin/safe-houses`, `GET /admin/safe-houses/new`, `GET/POST /admin/safe-houses/{id}`, `GET/POST /admin/safe-houses/{id}/deactivate` | `admin_houses` |
/// | `/cases…`, `/approvals…`, `/duplicates…`, `GET /overview` | `cases` (its own table) |
/// | `GET /safe-houses`, `/placements…` | `placements` (its own table) |
/// | `GET /reports…` | `reports` (its own table) |
/// | `GET /lang/{vi\|en}`, `GET /static/{file}` | here, `assets` |
pub fn routes(cfg: &mut web::ServiceConfig) {
    // Parse the message files now, at start-up, not on the first page.
    i18n::catalog();
    cfg.app_data(web::FormConfig::default().limit(16 * 1024).error_handler(form_error))
        .route("/", web::get().to(sign_in::root))
        .route("/login", web::get().to(sign_in::login_page_get))
        .route("/login", web::post().to(sign_in::login_submit))
        .route("/logout", web::post().to(sign_in::logout))
        .route("/account", web::get().to(account::show))
        .route("/account/password", web::post().to(account::change_password))
        .route(PASSWORD_CHOICE_PATH, web::get().to(account::choose_password_form))
        .route(PASSWORD_CHOICE_PATH, web::post().to(account::choose_password))
        .route(SECOND_FACTOR_PATH, web::get().to(account::second_factor))
        .route(SECOND_FACTOR_PATH, web::post().to(account::confirm_second_factor))
        .route("/admin/users", web::get().to(admin::list))
        .route("/admin/users", web::post().to(admin::create))
        .route("/admin/users/new", web::get().to(admin::new_form))
        .route("/admin/users/{username}/access", web::get().to(admin_access::form))
        .route("/admin/users/{username}/access", web::post().to(admin_access::submit))
        .route("/admin/users/{username}/{action}", web::get().to(admin::confirm_action))
        .route("/admin/users/{username}/{action}", web::post().to(admin::act))
        .route("/account-changes", web::get().to(account_changes::list))
        .route("/account-changes/{id}", web::post().to(account_changes::decide))
        .route("/enrol", web::get().to(enrol::form))
        .route("/enrol", web::post().to(enrol::submit))
        .configure(cases::routes)
        .route("/admin/safe-houses", web::get().to(admin_houses::list))
        .route("/admin/safe-houses", web::post().to(admin_houses::create))
        .route("/admin/safe-houses/new", web::get().to(admin_houses::new_form))
        .route("/admin/safe-houses/{id}", web::get().to(admin_houses::edit_form))
        .route("/admin/safe-houses/{id}", web::post().to(admin_houses::update))
        .route("/admin/safe-houses/{id}/deactivate", web::get().to(admin_houses::confirm_deactivate))
        .route("/admin/safe-houses/{id}/deactivate", web::post().to(admin_houses::deactivate))
        .configure(placements::routes)
        .configure(reports::routes)
        .route("/lang/{lang}", web::get().to(switch_language))
        .route("/static/{name}", web::get().to(assets::serve));
}

/// A form body that cannot be read holds no CSRF token that could be checked: the
/// request is refused as forbidden (413 when it is too large).
fn form_error(error: UrlencodedError, _: &actix_web::HttpRequest) -> actix_web::Error {
    match error {
        UrlencodedError::Overflow { .. } | UrlencodedError::UnknownLength => {
            crate::error::AppError::TooLarge.into()
        }
        _ => crate::error::AppError::Forbidden.into(),
    }
}

/// Renders a page as `text/html; charset=utf-8` with `status`.
pub fn render(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(html) => HttpResponse::build(status).content_type(ContentType::html()).body(html),
        Err(e) => {
            tracing::error!(error = %e, "page failed to render");
            HttpResponse::InternalServerError()
                .content_type(ContentType::plaintext())
                .body("Lỗi hệ thống. Internal error.")
        }
    }
}

/// A neutral page title: "Bình An – …" is added by the layout.
fn title(ctx: &PageContext, key: &str) -> String {
    ctx.t(key)
}

/// The home page of the signed-in user's role. Without a signed-in user it sends
/// the browser to the sign-in page instead.
pub fn render_home(ctx: &PageContext) -> HttpResponse {
    render_home_with(ctx, None, None, None)
}

/// The home page with what needs attention now (cases overdue or due soon, and
/// the requests waiting for a supervisor; for a safe house's staff, its free beds
/// and the requests waiting).
pub fn render_home_with(
    ctx: &PageContext,
    attention: Option<cases::HomeAttention>,
    house: Option<placements::views::HouseGlanceLine>,
    deadline: Option<views::NextReport>,
) -> HttpResponse {
    let Some(user) = &ctx.user else {
        return see_other("/login");
    };
    let page = views::HomePage {
        ctx,
        title: title(ctx, "page-home"),
        attention,
        house,
        deadline,
        admin: user.role == crate::domain::role::Role::Admin,
    };
    render(StatusCode::OK, &page)
}

/// The sign-in page, with the username typed before and a message when `form` has
/// one (its status follows the message: 422, 401, 403, or 200 for notices).
pub fn render_login(ctx: &PageContext, form: &LoginForm) -> HttpResponse {
    let message = form.message;
    let page = views::LoginPage {
        ctx,
        title: title(ctx, "page-login"),
        form,
        message: message.map(|m| ctx.t(m.key())),
        message_is_error: message.is_some_and(LoginMessage::is_error),
        invalid: message.map_or("", LoginMessage::field),
        focus: message.map_or("", LoginMessage::focus),
    };
    render(message.map_or(StatusCode::OK, LoginMessage::status), &page)
}

/// A redirect that the browser follows with GET.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}

#[derive(Deserialize)]
struct LangQuery {
    next: Option<String>,
}

/// GET /lang/{vi|en}?next=/path — remembers the language in a cookie and goes back
/// to `next`, which must be a path of this site (anything else goes to `/`).
async fn switch_language(
    lang: web::Path<String>,
    query: web::Query<LangQuery>,
) -> Result<HttpResponse, crate::error::AppError> {
    let lang = Lang::from_code(&lang).ok_or(crate::error::AppError::NotFound)?;
    let next = query.next.as_deref().and_then(same_site_path).unwrap_or("/");
    let cookie = actix_web::cookie::Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .max_age(actix_web::cookie::time::Duration::days(365))
        .same_site(actix_web::cookie::SameSite::Strict)
        .secure(true)
        .http_only(true)
        .finish();
    let mut response = see_other(next);
    response.add_cookie(&cookie).map_err(|e| crate::error::AppError::Internal(e.to_string()))?;
    Ok(response)
}

/// `next` if it is a path on this site: starts with one `/`, holds only path
/// characters (no scheme, host, backslash, query or fragment) and is short.
pub fn same_site_path(next: &str) -> Option<&str> {
    let bytes = next.as_bytes();
    let path_chars = bytes
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~' | b'%'));
    let one_leading_slash = bytes.first() == Some(&b'/') && bytes.get(1) != Some(&b'/');
    (one_leading_slash && path_chars && next.len() <= 200).then_some(next)
}

#[cfg(test)]
mod tests;
