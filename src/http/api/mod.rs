//! The JSON API under /api/v1. Errors are problem details (see `crate::error`).

mod audit;
mod auth;
mod openapi;

pub use openapi::ApiDoc;

use actix_web::web;

/// Declares every route once: the table the route-walking tests read, and the
/// registration, from the same lines, so no route can be added without the tests
/// seeing it.
macro_rules! api_routes {
    ($($method:ident $path:literal => $handler:path;)+) => {
        /// Every route of the JSON API as (method, path under /api/v1).
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),+];

        pub fn routes(cfg: &mut web::ServiceConfig) {
            cfg.service(web::scope("/api/v1")$(.route($path, web::$method().to($handler)))+);
        }
    };
}

api_routes! {
    post "/auth/login" => auth::login;
    post "/auth/logout" => auth::logout;
    post "/auth/lock" => auth::lock;
    post "/auth/unlock" => auth::unlock;
    get "/me" => auth::me;
    post "/me/password" => auth::change_password;
    post "/me/second-factor" => auth::begin_second_factor;
    post "/me/second-factor/confirm" => auth::confirm_second_factor;
    get "/audit/verify" => audit::verify;
    get "/openapi.json" => openapi::document;
}
