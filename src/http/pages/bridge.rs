//! The bridge from sessions to pages: for every page request that carries a session
//! cookie it finds the session (once, see `session::current_session`) and puts what
//! the pages show into the request's extensions: a [`UserView`] (name, role and
//! scope in words) and the session's [`CsrfToken`]. A session that must still set up
//! its second factor reaches only the set-up page, sign-out, sign-in and the
//! language switch; one whose password an administrator gave, only the page where
//! she chooses her own (then the second factor), sign-out, sign-in and the switch; a dead cookie is cleared and the request goes on as signed out
//! (with a [`SessionEnded`] mark, so `/` can say why the sign-in page is back).
//!
//! The extractors [`Member`] and [`AnyMember`] give handlers the session itself.

use std::future::Future;
use std::pin::Pin;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use chrono::{Duration, NaiveDate, Utc};

use super::context::{CsrfToken, PageContext, Scope, ScreenLockedMark, UserView};
use crate::audit::Actor;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::session::{actor, cleared_session_cookie, current_session, session_token, state};
use crate::http::{AppState, blocking};
use crate::services::auth::{self, Authenticated, Stage};
use crate::store::admin_units;

/// Where a session without its required second factor is sent.
pub const SECOND_FACTOR_PATH: &str = "/account/second-factor";

/// Where a session whose password an administrator gave is sent: she chooses her
/// own before anything else.
pub const PASSWORD_CHOICE_PATH: &str = "/account/new-password";

/// Where a session that is not yet in full goes next.
pub fn next_step(stage: Stage) -> &'static str {
    match stage {
        Stage::ChangePassword => PASSWORD_CHOICE_PATH,
        Stage::EnrolSecondFactor => SECOND_FACTOR_PATH,
        Stage::Full => "/",
    }
}

/// Put into a request's extensions when its session cookie named a session that has
/// ended (idle, too old, signed out elsewhere, password changed, account disabled).
#[derive(Debug, Clone, Copy)]
pub struct SessionEnded;

/// Middleware: see the module documentation.
pub async fn session_bridge(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let has_cookie = session_token(req.request()).is_some();
    if !has_cookie || !is_page_path(req.path()) {
        return next.call(req).await.map(ServiceResponse::map_into_left_body);
    }
    let found = {
        let http = req.request().clone();
        current_session(&http).await
    };
    let session = match found {
        Ok(session) => session,
        Err(e) => return Ok(req.into_response(e.error_response()).map_into_right_body()),
    };
    let Some(session) = session else {
        req.extensions_mut().insert(SessionEnded);
        let secure = state(req.request()).map(|s| s.config.cookie_secure).unwrap_or(true);
        let mut res = next.call(req).await?;
        res.response_mut().add_cookie(&cleared_session_cookie(secure))?;
        return Ok(res.map_into_left_body());
    };
    if session.stage == Stage::EnrolSecondFactor && !open_while_enrolling(req.method(), req.path()) {
        return Ok(req.into_response(super::see_other(SECOND_FACTOR_PATH)).map_into_right_body());
    }
    if session.stage == Stage::ChangePassword && !open_while_choosing_password(req.method(), req.path()) {
        return Ok(req.into_response(super::see_other(PASSWORD_CHOICE_PATH)).map_into_right_body());
    }
    req.extensions_mut().insert(CsrfToken(session.csrf_token.clone()));
    let locked = session.locked && !open_while_locked(req.method(), req.path());
    if session.stage == Stage::Full {
        let user = match state(req.request()) {
            Ok(state) => page_user(&state, &session.user).await,
            Err(e) => Err(e),
        };
        match user {
            Ok(user) => {
                req.extensions_mut().insert(user);
            }
            Err(e) => return Ok(req.into_response(e.error_response()).map_into_right_body()),
        }
    }
    if locked {
        // Nothing of the page is rendered behind a locked screen: a reload, another
        // tab or another device shows the lock alone until the password is given.
        req.extensions_mut().insert(ScreenLockedMark);
        let ctx = PageContext::for_request(req.request());
        let page = super::views::LockedPage { title: ctx.t("page-locked"), ctx: &ctx };
        return Ok(req.into_response(super::render(StatusCode::OK, &page)).map_into_right_body());
    }
    next.call(req).await.map(ServiceResponse::map_into_left_body)
}

/// What a locked session may still reach: sign-out and the language switch.
fn open_while_locked(method: &Method, path: &str) -> bool {
    (path == "/logout" && method == Method::POST) || path.starts_with("/lang/")
}

/// Pages, not the API, the health checks or static files.
fn is_page_path(path: &str) -> bool {
    !(path == "/api"
        || path.starts_with("/api/")
        || path.starts_with("/static/")
        || matches!(path, "/healthz" | "/readyz" | "/metrics"))
}

/// What a session still setting up its second factor may reach.
fn open_while_enrolling(method: &Method, path: &str) -> bool {
    path == SECOND_FACTOR_PATH
        || path.starts_with("/account/second-factor/")
        || path == "/logout"
        || path.starts_with("/lang/")
        || (path == "/login" && method == Method::POST)
}

/// What a session whose password an administrator gave may reach.
fn open_while_choosing_password(method: &Method, path: &str) -> bool {
    path == PASSWORD_CHOICE_PATH
        || path == "/logout"
        || path.starts_with("/lang/")
        || (path == "/login" && method == Method::POST)
}

/// Today in Vietnam (UTC+7 all year), the day that decides which communes are in force.
pub fn today_in_vietnam() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

/// The signed-in user as pages show them: the scope in names, not codes.
pub async fn page_user(state: &AppState, user: &auth::UserView) -> Result<UserView, AppError> {
    let display_name = user.display_name.clone();
    let role = user.role;
    let scope = match role {
        Role::Admin => Scope::System,
        Role::SafeHouseStaff => {
            let id = user.safe_house_id.clone().unwrap_or_default();
            blocking(state, move |conn| {
                let house =
                    crate::store::placements::house(conn, &id).map_err(crate::store::StoreError::from)?;
                // A house that is not registered (any more) is named by its id.
                Ok(Scope::SafeHouse(house.map_or(id, |h| h.name)))
            })
            .await?
        }
        Role::SocialWorker | Role::Supervisor | Role::CommitteeMember => {
            let communes = user.communes.clone();
            let province = state.config.province.clone();
            blocking(state, move |conn| {
                if communes.is_empty() && role != Role::SocialWorker {
                    let name = admin_units::unit_name(conn, &province)
                        .map_err(crate::store::StoreError::from)?
                        .unwrap_or(province);
                    return Ok(Scope::Province(name));
                }
                let today = today_in_vietnam();
                let mut names = Vec::with_capacity(communes.len());
                for code in communes {
                    let found = admin_units::commune_on(conn, &code, today)
                        .map_err(crate::store::StoreError::from)?;
                    names.push(match found {
                        Some((name, kind)) => match kind.prefix() {
                            Some(prefix) => format!("{prefix} {name}"),
                            None => name,
                        },
                        None => code,
                    });
                }
                Ok(Scope::Communes(names))
            })
            .await?
        }
    };
    Ok(UserView { display_name, role, scope })
}

/// Why a page for signed-in people is not shown: it sends the browser elsewhere, or
/// the session could not be looked up.
#[derive(Debug)]
pub enum NotSignedIn {
    /// To the sign-in page (with the session-ended notice when a cookie died) or to
    /// the second-factor set-up.
    Redirect(&'static str),
    Failed(AppError),
}

impl std::fmt::Display for NotSignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotSignedIn::Redirect(to) => write!(f, "sign-in needed, sent to {to}"),
            NotSignedIn::Failed(e) => e.fmt(f),
        }
    }
}

impl ResponseError for NotSignedIn {
    fn status_code(&self) -> StatusCode {
        match self {
            NotSignedIn::Redirect(_) => StatusCode::SEE_OTHER,
            NotSignedIn::Failed(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            NotSignedIn::Redirect(to) => super::see_other(to),
            NotSignedIn::Failed(e) => e.error_response(),
        }
    }
}

/// Where someone without a session goes.
fn sign_in_path(req: &HttpRequest) -> &'static str {
    if req.extensions().get::<SessionEnded>().is_some() { "/login?notice=session-ended" } else { "/login" }
}

type Extracting<T> = Pin<Box<dyn Future<Output = Result<T, NotSignedIn>>>>;

/// A page for someone fully signed in: the page's context, the session, and who
/// acts (for audit events).
pub struct Member {
    pub ctx: PageContext,
    pub session: Authenticated,
    pub actor: Actor,
    pub req: HttpRequest,
}

impl FromRequest for Member {
    type Error = NotSignedIn;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match current_session(&req).await.map_err(NotSignedIn::Failed)? {
                Some(session) if session.stage == Stage::Full => Ok(Member {
                    ctx: PageContext::for_request(&req),
                    actor: actor(&req, Some(&session)),
                    session,
                    req,
                }),
                Some(session) => Err(NotSignedIn::Redirect(next_step(session.stage))),
                None => Err(NotSignedIn::Redirect(sign_in_path(&req))),
            }
        })
    }
}

/// A page for any session, also one that must still set up its second factor.
pub struct AnyMember {
    pub ctx: PageContext,
    pub session: Authenticated,
    pub actor: Actor,
}

impl FromRequest for AnyMember {
    type Error = NotSignedIn;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match current_session(&req).await.map_err(NotSignedIn::Failed)? {
                Some(session) => Ok(AnyMember {
                    ctx: PageContext::for_request(&req),
                    actor: actor(&req, Some(&session)),
                    session,
                }),
                None => Err(NotSignedIn::Redirect(sign_in_path(&req))),
            }
        })
    }
}
