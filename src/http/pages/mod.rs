//! Server-rendered pages: askama templates from `frontend/templates`, messages from
//! `frontend/locales` (Vietnamese first, English second), static files from
//! `frontend/static`. Handlers here only gather what a template needs and render.
//!
//! The session layer plugs in through the request's extensions: a [`UserView`] for
//! the signed-in user and a [`CsrfToken`] for the forms. [`PageContext`] picks both
//! up, so every page shows the signed-in layout and carries the token.

pub mod assets;
mod context;
mod errors;
pub mod i18n;
mod views;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub use context::{
    CsrfToken, DEFAULT_SCREEN_LOCK_MINUTES, NavLink, PageContext, Scope, UserView, nav_links, role_key,
};
pub use errors::{html_errors, render_error};
pub use i18n::{LANG_COOKIE, Lang};
pub use views::{LoginForm, LoginMessage, dynamic_keys, role_tasks};

/// The page routes: `/`, `/login`, `/lang/{vi|en}` and `/static/{file}`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    // Parse the message files now, at start-up, not on the first page.
    i18n::catalog();
    cfg.route("/", web::get().to(root))
        .route("/login", web::get().to(login))
        .route("/lang/{lang}", web::get().to(switch_language))
        .route("/static/{name}", web::get().to(assets::serve));
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
    let Some(user) = &ctx.user else {
        return see_other("/login");
    };
    let page = views::HomePage { ctx, title: title(ctx, "page-home"), tasks: views::role_tasks(user.role) };
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
    };
    render(message.map_or(StatusCode::OK, LoginMessage::status), &page)
}

/// A redirect that the browser follows with GET.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}

/// GET / — the home page of whoever is signed in, else the sign-in page.
async fn root(ctx: PageContext) -> HttpResponse {
    render_home(&ctx)
}

#[derive(Deserialize)]
struct LoginQuery {
    notice: Option<String>,
}

/// GET /login
async fn login(ctx: PageContext, query: web::Query<LoginQuery>) -> HttpResponse {
    if ctx.user.is_some() {
        return see_other("/");
    }
    let form = LoginForm {
        username: String::new(),
        message: query.notice.as_deref().and_then(LoginMessage::from_notice),
    };
    render_login(&ctx, &form)
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
