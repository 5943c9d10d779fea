//! The web server: JSON API and pages. Thin: handlers call services and render.

pub mod api;
pub mod authorize;
pub mod caller;
mod case_errors;
mod health;
pub mod middleware;
pub mod pages;
pub mod refusals;
pub mod session;

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, HttpResponse, web};

use crate::config::Config;
use crate::error::AppError;
use crate::store::Pool;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub config: Arc<Config>,
    pub keys: Arc<crate::services::keys::Keys>,
    pub throttle: Arc<session::LoginThrottle>,
    pub policies: Arc<crate::authz::Policies>,
    pub holidays: Arc<crate::domain::deadlines::Holidays>,
}

impl AppState {
    pub fn new(
        pool: Pool,
        config: Config,
        keys: impl Into<Arc<crate::services::keys::Keys>>,
        policies: crate::authz::Policies,
    ) -> Self {
        let throttle = Arc::new(session::LoginThrottle::new(config.login_attempts_per_minute));
        // Checked when the configuration was read: an invalid list never gets here.
        let holidays = Arc::new(config.holidays().unwrap_or_default());
        AppState {
            pool,
            config: Arc::new(config),
            keys: keys.into(),
            throttle,
            policies: Arc::new(policies),
            holidays,
        }
    }
}

/// The whole application, used by `serve` and by the integration tests alike.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(web::Data::new(state))
        // Innermost first: error pages are rendered before the security headers are
        // added, so they carry them too.
        // The session bridge runs inside the error pages, so an error page shows the
        // signed-in layout too; a cross-site refusal comes before any session lookup
        // and is still rendered as a page for a browser.
        // A handler's panic becomes the generic 500 here, inside everything else.
        .wrap_fn(middleware::catch_panics)
        .wrap(actix_web::middleware::from_fn(pages::session_bridge))
        .wrap_fn(middleware::same_origin)
        .wrap_fn(middleware::uri_length)
        .wrap_fn(pages::html_errors)
        .wrap(middleware::security_headers())
        .wrap_fn(middleware::request_id)
        // Pages, the API and static files go out gzip'd when the browser asks: a
        // case page is a sixth of its size on a phone's slow line. Compressing
        // pages that hold a CSRF token is safe here because the session cookie is
        // SameSite=Strict: no other site can make the browser fetch a signed-in
        // page with input of its choosing (the BREACH attack's precondition).
        .wrap(actix_web::middleware::Compress::default())
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .configure(api::routes)
        .configure(pages::routes)
        .default_service(web::to(not_found))
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// Runs blocking database work off the async workers.
///
/// While the database is away, the answer is 503 `unavailable`, never 500: no
/// connection within the pool's checkout timeout, or work that failed because its
/// connection was lost (checked only once the work failed). A lost connection
/// leaves the pool with every idle one that fails too, so the server serves again
/// by itself once the database is back. A SQLite write lock that stayed taken
/// past the busy timeout is 503 too: the work can be tried again.
pub async fn blocking<T, F>(state: &AppState, work: F) -> Result<T, AppError>
where
    F: FnOnce(&mut crate::store::DbConn) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool.get().map_err(crate::store::StoreError::from)?;
        match work(&mut conn) {
            Err(AppError::Internal(cause)) if crate::store::connection_lost(&mut conn) => {
                drop(conn);
                crate::store::drop_lost_connections(&pool);
                Err(AppError::Unavailable(cause))
            }
            Err(AppError::Internal(cause)) if cause.contains(crate::store::SQLITE_BUSY_MESSAGE) => {
                Err(AppError::Unavailable(cause))
            }
            done => done,
        }
    })
    .await?
}
