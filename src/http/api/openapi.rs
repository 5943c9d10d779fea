//! The OpenAPI document of the JSON API, generated from the handlers' annotations
//! (`#[utoipa::path]`) and served at /api/v1/openapi.json. A test checks that it
//! names exactly the routes of `ROUTES`.

use actix_web::HttpResponse;
use utoipa::OpenApi;

use super::{approvals, audit, auth, case_work, cases, placements, stats};
use crate::error::{FieldError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bình An API",
        version = "1",
        description = "Case management for gender-based violence referrals. Sign in with \
                       POST /api/v1/auth/login; the session cookie authenticates every other call. \
                       Errors are application/problem+json (RFC 9457) with a stable `code`."
    ),
    paths(
        auth::login,
        auth::logout,
        auth::lock,
        auth::unlock,
        auth::me,
        auth::change_password,
        auth::begin_second_factor,
        auth::confirm_second_factor,
        cases::list,
        cases::create,
        cases::search,
        cases::duplicates,
        cases::show,
        cases::edit,
        cases::transition,
        cases::request_closure,
        case_work::assess_risk,
        case_work::record_consent,
        case_work::withdraw_consent,
        case_work::override_consent,
        case_work::record_measure,
        case_work::add_note,
        case_work::complete_follow_up,
        case_work::refer,
        case_work::erase,
        case_work::update_referral,
        placements::of_case,
        placements::request,
        placements::availability,
        placements::create_house,
        placements::board,
        placements::own_board,
        placements::accept,
        placements::decline,
        placements::check_in,
        placements::check_out,
        placements::cancel,
        approvals::queue,
        approvals::decide,
        approvals::providers,
        approvals::overview,
        stats::summary,
        stats::report,
        stats::export,
        audit::verify,
        document,
    ),
    components(schemas(Problem, FieldError)),
    tags((name = "auth", description = "Signing in, sessions, the second factor"),
         (name = "audit", description = "The tamper-evident audit log"),
         (name = "cases", description = "Intake, lists, search, a case, its lifecycle"),
         (name = "case work", description = "Risk, consent, measures, notes, referrals, erasure"),
         (name = "placements", description = "Safe houses, beds, placements"),
         (name = "approvals", description = "A supervisor's decisions; providers; the area overview"),
         (name = "statistics", description = "Anonymized statistics and the Committee's periodic reports"),
         (name = "meta", description = "This document"))
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of the JSON API")))]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(ApiDoc::openapi().to_pretty_json().unwrap_or_default())
}
