//! The JSON API under /api/v1. Errors are problem details (see `crate::error`).

mod auth;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .route("/auth/login", web::post().to(auth::login))
            .route("/auth/logout", web::post().to(auth::logout))
            .route("/auth/unlock", web::post().to(auth::unlock))
            .route("/me", web::get().to(auth::me))
            .route("/me/password", web::post().to(auth::change_password))
            .route("/me/second-factor", web::post().to(auth::begin_second_factor))
            .route("/me/second-factor/confirm", web::post().to(auth::confirm_second_factor)),
    );
}
