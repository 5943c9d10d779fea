//! The OpenAPI document of the JSON API, generated from the handlers' annotations
//! (`#[utoipa::path]`) and served at /api/v1/openapi.json. A test checks that it
//! names exactly the routes of `ROUTES`.

use actix_web::HttpResponse;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::{
    account_changes, approvals, audit, auth, case_work, cases, duplicates, houses, placements, stats,
    stay_notes,
};
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
        account_changes::enrol,
        account_changes::list,
        account_changes::decide,
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
        houses::update,
        houses::deactivate,
        placements::board,
        placements::own_board,
        placements::accept,
        placements::decline,
        placements::check_in,
        placements::check_out,
        placements::cancel,
        stay_notes::write_note,
        approvals::queue,
        cases::access_log,
        approvals::decide,
        duplicates::list,
        duplicates::decide,
        approvals::providers,
        approvals::overview,
        stats::summary,
        stats::report,
        stats::export,
        audit::verify,
        document,
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&CommonResponses),
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

/// What every operation can answer besides its own outcomes, added here once
/// rather than on each handler: errors are `application/problem+json`, and
/// - 400: a body that is not JSON or has fields of the wrong type, or a query
///   parameter of the wrong type;
/// - 422: a body whose values are refused, each field named (a number out of
///   range such as `version`, a text too long);
/// - 401: not signed in (all but signing in and out, and this document);
/// - 403: a cross-site request, a role that may not do this, a session that must
///   still set up its second factor;
/// - 413: a body over the limit;
/// - 423: the screen is locked;
/// - 503: the database does not answer.
struct CommonResponses;

const PROBLEM_JSON: &str = "application/problem+json";

/// Operations that need no session (and so never answer 401 or 423).
const PUBLIC: &[&str] =
    &["/api/v1/auth/login", "/api/v1/auth/enrol", "/api/v1/auth/logout", "/api/v1/openapi.json"];

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in &mut openapi.paths.paths {
            let public = PUBLIC.contains(&path.as_str());
            let document = path == "/api/v1/openapi.json";
            let operations =
                [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for operation in operations.into_iter().flatten() {
                problems_as_problem_json(operation);
                if document {
                    continue;
                }
                let has_body = operation.request_body.is_some();
                let has_query = operation.parameters.iter().flatten().any(|p| match p {
                    RefOr::T(p) => matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query),
                    RefOr::Ref(_) => false,
                });
                if has_body || has_query {
                    add(operation, "400", "Not JSON, or fields of the wrong type (each named)");
                }
                if has_body {
                    add(operation, "422", "Values refused, each field named (e.g. a number out of range)");
                }
                if !public {
                    add(operation, "401", "Not signed in");
                }
                add(
                    operation,
                    "403",
                    "Not allowed: a cross-site request, or not for this role or this record",
                );
                if has_body {
                    add(operation, "413", "The body is too large");
                }
                if !public {
                    add(operation, "423", "The screen is locked: unlock it with the password");
                }
                add(operation, "503", "The database does not answer; try again in a few minutes");
            }
        }
    }
}

/// A problem is sent as `application/problem+json`, not `application/json`.
fn problems_as_problem_json(operation: &mut Operation) {
    let problem = Ref::from_schema_name("Problem");
    for response in operation.responses.responses.values_mut() {
        let RefOr::T(response) = response else { continue };
        let is_problem = |content: &RefOr<utoipa::openapi::Content>| match content {
            RefOr::T(c) => matches!(&c.schema, Some(RefOr::Ref(r)) if *r == problem),
            RefOr::Ref(_) => false,
        };
        if response.content.get("application/json").is_some_and(is_problem)
            && let Some(content) = response.content.shift_remove("application/json")
        {
            response.content.insert(PROBLEM_JSON.into(), content);
        }
    }
}

/// Adds a problem response for `status` unless the operation documents one.
fn add(operation: &mut Operation, status: &str, description: &str) {
    operation.responses.responses.entry(status.into()).or_insert_with(|| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    PROBLEM_JSON,
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
                )
                .build(),
        )
    });
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of the JSON API")))]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(ApiDoc::openapi().to_pretty_json().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    /// utoipa keys the document's schemas by type name, so two request bodies of
    /// the same name in two files silently become one (a stay note's body once
    /// replaced a case note's, and clients were told to send the wrong fields).
    #[test]
    fn every_schema_of_the_api_has_a_name_of_its_own() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http/api");
        let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).expect("the api folder") {
            let path = entry.expect("an entry").path();
            let text = std::fs::read_to_string(&path).expect("a source file");
            let mut schema_next = false;
            for line in text.lines().map(str::trim) {
                if line.starts_with("#[derive(") && line.contains("ToSchema") {
                    schema_next = true;
                } else if schema_next && (line.starts_with("pub struct ") || line.starts_with("pub enum ")) {
                    let name = line.split_whitespace().nth(2).unwrap_or_default();
                    let name = name.trim_end_matches(['{', '(', ';']).split('<').next().unwrap_or_default();
                    let file = path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
                    seen.entry(name.to_string()).or_default().push(file);
                    schema_next = false;
                } else if schema_next && line.contains("schema(as") {
                    schema_next = false;
                }
            }
        }
        assert!(seen.len() > 20, "the schemas were found: {seen:?}");
        let twice: Vec<_> = seen.iter().filter(|(_, files)| files.len() > 1).collect();
        assert!(twice.is_empty(), "schemas named twice: {twice:?}");
    }
}
