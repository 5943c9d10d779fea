//! The JSON API under /api/v1. Errors are problem details (see `crate::error`).

mod account_changes;
mod approvals;
mod audit;
mod auth;
pub mod body;
mod case_views;
mod case_work;
mod cases;
mod duplicates;
pub mod fuzzing;
mod houses;
mod openapi;
mod placements;
mod schemas;
mod stats;
mod stay_notes;

pub use openapi::ApiDoc;

use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError, Route, web};

use crate::error::AppError;

/// The routes of each path, in the order the paths first appear: one resource a
/// path, so a method it does not have is answered 405 with `Allow` (a problem),
/// not 404.
#[derive(Default)]
struct Resources(Vec<(&'static str, Vec<Route>)>);

impl Resources {
    fn add(&mut self, path: &'static str, route: Route) {
        match self.0.iter_mut().find(|(p, _)| *p == path) {
            Some((_, routes)) => routes.push(route),
            None => self.0.push((path, vec![route])),
        }
    }

    fn into_scope(self, mut scope: actix_web::Scope) -> actix_web::Scope {
        for (path, routes) in self.0 {
            let allow = ROUTES
                .iter()
                .filter(|(_, p)| *p == path)
                .map(|(m, _)| m.to_ascii_uppercase())
                .collect::<Vec<_>>()
                .join(", ");
            let resource = routes
                .into_iter()
                .fold(web::resource(path), actix_web::Resource::route)
                .default_service(web::to(move || {
                    let allow = allow.clone();
                    async move {
                        let mut response: HttpResponse = AppError::MethodNotAllowed.error_response();
                        if let Ok(value) = header::HeaderValue::from_str(&allow) {
                            response.headers_mut().insert(header::ALLOW, value);
                        }
                        response
                    }
                }));
            scope = scope.service(resource);
        }
        scope
    }
}

/// Declares every route once: the table the route-walking tests read, and the
/// registration, from the same lines, so no route can be added without the tests
/// seeing it.
macro_rules! api_routes {
    ($($method:ident $path:literal => $handler:path;)+) => {
        /// Every route of the JSON API as (method, path under /api/v1).
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),+];

        pub fn routes(cfg: &mut web::ServiceConfig) {
            let mut resources = Resources::default();
            $(resources.add($path, web::$method().to($handler));)+
            cfg.service(resources.into_scope(web::scope("/api/v1").app_data(body::json_config()).app_data(body::query_config())));
        }
    };
}

api_routes! {
    post "/auth/login" => auth::login;
    post "/auth/logout" => auth::logout;
    post "/auth/enrol" => account_changes::enrol;
    post "/auth/lock" => auth::lock;
    post "/auth/unlock" => auth::unlock;
    get "/me" => auth::me;
    post "/me/password" => auth::change_password;
    post "/me/second-factor" => auth::begin_second_factor;
    post "/me/second-factor/confirm" => auth::confirm_second_factor;
    get "/cases" => cases::list;
    post "/cases" => cases::create;
    post "/cases/search" => cases::search;
    post "/cases/duplicates" => cases::duplicates;
    get "/cases/{id}" => cases::show;
    get "/cases/{id}/access-log" => cases::access_log;
    patch "/cases/{id}" => cases::edit;
    post "/cases/{id}/transitions" => cases::transition;
    post "/cases/{id}/closure-requests" => cases::request_closure;
    post "/cases/{id}/risk-assessments" => case_work::assess_risk;
    post "/cases/{id}/consents" => case_work::record_consent;
    post "/cases/{id}/consents/{consent_id}/withdrawal" => case_work::withdraw_consent;
    post "/cases/{id}/consent-overrides" => case_work::override_consent;
    post "/cases/{id}/measures" => case_work::record_measure;
    post "/cases/{id}/notes" => case_work::add_note;
    post "/cases/{id}/follow-ups/{note_id}/done" => case_work::complete_follow_up;
    post "/cases/{id}/referrals" => case_work::refer;
    post "/cases/{id}/erasure" => case_work::erase;
    patch "/referrals/{id}" => case_work::update_referral;
    get "/cases/{id}/placements" => placements::of_case;
    post "/cases/{id}/placements" => placements::request;
    get "/safe-houses" => placements::availability;
    post "/safe-houses" => placements::create_house;
    patch "/safe-houses/{id}" => houses::update;
    post "/safe-houses/{id}/deactivation" => houses::deactivate;
    get "/safe-houses/{id}/board" => placements::board;
    get "/placements" => placements::own_board;
    post "/placements/{id}/accept" => placements::accept;
    post "/placements/{id}/decline" => placements::decline;
    post "/placements/{id}/check-in" => placements::check_in;
    post "/placements/{id}/check-out" => placements::check_out;
    post "/placements/{id}/cancel" => placements::cancel;
    post "/placements/{id}/notes" => stay_notes::write_note;
    get "/account-changes" => account_changes::list;
    post "/account-changes/{id}/decision" => account_changes::decide;
    get "/approvals" => approvals::queue;
    post "/approvals/{id}/decision" => approvals::decide;
    get "/possible-duplicates" => duplicates::list;
    post "/possible-duplicates/{id}/decision" => duplicates::decide;
    get "/service-providers" => approvals::providers;
    get "/overview" => approvals::overview;
    get "/stats/summary" => stats::summary;
    get "/reports/{kind}/{year}" => stats::report;
    get "/reports/{kind}/{year}/{format}" => stats::export;
    get "/audit/verify" => audit::verify;
    get "/openapi.json" => openapi::document;
}
