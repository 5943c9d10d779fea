//! Two people to open a door, on the JSON API: enrolling with a one-time code, and a
//! supervisor's list and decisions of account changes (`services::account_changes`).

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zeroize::Zeroizing;

use super::auth::{Me, me_view};
use crate::authz::Principal;
use crate::error::{AppError, Problem};
use crate::http::session::{ClientAddr, SignedIn, actor, session_cookie};
use crate::http::{AppState, blocking};
use crate::services::account_changes::{self, ChangeView, Decider, Decision};
use crate::services::auth::AuthSettings;
use crate::services::enrolment;

#[derive(Deserialize, ToSchema)]
pub struct EnrolBody {
    username: String,
    /// The one-time enrolment code handed over in person.
    #[schema(value_type = String)]
    code: Zeroizing<String>,
    /// The password she chooses.
    #[schema(value_type = String)]
    password: Zeroizing<String>,
    /// The account's second-factor code, when it has one already (a password reset).
    #[serde(default)]
    totp: Option<String>,
}

/// Chooses one's password with a one-time enrolment code; signs in (to set up the
/// second factor first where the role needs one).
#[utoipa::path(post, path = "/api/v1/auth/enrol", tag = "auth", request_body = EnrolBody,
    responses((status = 200, description = "Enrolled and signed in", body = Me),
        (status = 401, description = "Wrong username or code, the code was used or has expired, or the account's second-factor code is needed", body = Problem),
        (status = 422, description = "The password is refused: the problem names why", body = Problem),
        (status = 429, description = "Too many attempts from this address", body = Problem)))]
pub async fn enrol(
    req: HttpRequest,
    state: web::Data<AppState>,
    client: ClientAddr,
    body: web::Json<EnrolBody>,
) -> Result<HttpResponse, AppError> {
    if !state.throttle.allow(client.0) {
        return Err(AppError::TooManyAttempts);
    }
    let settings = AuthSettings::from_config(&state.config);
    let EnrolBody { username, code, password, totp } = body.into_inner();
    let request = actor(&req, None);
    let keys = state.keys.clone();
    let session = blocking(&state, move |conn| {
        Ok(enrolment::enrol(
            conn,
            &keys,
            &settings,
            &request,
            &username,
            &code,
            totp.as_deref(),
            &password,
            Utc::now().naive_utc(),
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(&session.token, state.config.cookie_secure))
        .json(me_view(&session.user, session.stage)))
}

#[derive(Serialize, ToSchema)]
pub struct AccountChangeJson {
    id: String,
    /// create, widen, enable, reset_password or reset_second_factor
    kind: &'static str,
    username: String,
    display_name: String,
    role: &'static str,
    /// What a widening asks for.
    asked_role: Option<&'static str>,
    asked_communes: Vec<String>,
    asked_safe_house_id: Option<String>,
    requested_by: String,
    requested_at: DateTime<Utc>,
    /// pending, confirmed or refused
    status: String,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    /// Whether the caller may decide it (not her own account, not her request).
    may_decide: bool,
}

fn change_json(c: ChangeView) -> AccountChangeJson {
    AccountChangeJson {
        id: c.id,
        kind: c.kind.as_str(),
        username: c.username,
        display_name: c.display_name,
        role: c.role.as_str(),
        asked_role: c.asked_role.map(|r| r.as_str()),
        asked_communes: c.asked_communes,
        asked_safe_house_id: c.asked_safe_house,
        requested_by: c.requested_by,
        requested_at: c.requested_at.and_utc(),
        status: c.status,
        decided_by: c.decided_by,
        decided_at: c.decided_at.map(|t| t.and_utc()),
        may_decide: c.may_decide,
    }
}

#[derive(Serialize, ToSchema)]
pub struct AccountChanges {
    waiting: Vec<AccountChangeJson>,
    /// Decided in the last 30 days, newest first (at most 20).
    recent: Vec<AccountChangeJson>,
}

/// GET /api/v1/account-changes — changes waiting for a supervisor, and those decided lately.
#[utoipa::path(get, path = "/api/v1/account-changes", tag = "accounts",
    responses((status = 200, body = AccountChanges),
        (status = 403, description = "Only supervisors decide account changes", body = Problem)))]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
) -> Result<HttpResponse, AppError> {
    let principal = Principal::of(&session.0.user, &state.config.province);
    let who = actor(&req, Some(&session.0));
    let policies = state.policies.clone();
    let (waiting, recent) = blocking(&state, move |conn| {
        let decider = Decider { principal: &principal, policies: &policies, actor: &who };
        Ok(account_changes::waiting_and_recent(conn, &decider, Utc::now().naive_utc())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(AccountChanges {
        waiting: waiting.into_iter().map(change_json).collect(),
        recent: recent.into_iter().map(change_json).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct AccountChangeDecision {
    /// confirm or refuse
    decision: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccountChangeDecided {
    username: String,
    kind: &'static str,
    /// confirmed or refused
    status: &'static str,
    /// The one-time enrolment code to hand over in person, when the confirmed change
    /// issued one (a new account, a password reset). Shown once.
    enrolment_code: Option<String>,
    enrolment_code_expires_at: Option<DateTime<Utc>>,
}

/// POST /api/v1/account-changes/{id}/decision — a supervisor confirms or refuses.
#[utoipa::path(post, path = "/api/v1/account-changes/{id}/decision", tag = "accounts", request_body = AccountChangeDecision,
    params(("id" = String, Path, description = "The change")),
    responses((status = 200, body = AccountChangeDecided),
        (status = 403, description = "Not hers to decide: her own account, a change she asked for, or she is no supervisor", body = Problem),
        (status = 404, description = "No such change waits", body = Problem),
        (status = 422, description = "decision is neither confirm nor refuse", body = Problem)))]
pub async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<AccountChangeDecision>,
) -> Result<HttpResponse, AppError> {
    let decision = match body.decision.as_str() {
        "confirm" => Decision::Confirm,
        "refuse" => Decision::Refuse,
        _ => {
            return Err(AppError::Invalid(vec![crate::error::FieldError {
                field: "decision".into(),
                message: "must be confirm or refuse".into(),
            }]));
        }
    };
    let principal = Principal::of(&session.0.user, &state.config.province);
    let who = actor(&req, Some(&session.0));
    let policies = state.policies.clone();
    let id = id.into_inner();
    let decided = blocking(&state, move |conn| {
        let decider = Decider { principal: &principal, policies: &policies, actor: &who };
        Ok(account_changes::decide(conn, &decider, &id, decision, Utc::now().naive_utc())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(AccountChangeDecided {
        username: decided.username,
        kind: decided.kind.as_str(),
        status: if decided.decision == Decision::Confirm { "confirmed" } else { "refused" },
        enrolment_code: decided.code.map(|c| c.to_string()),
        enrolment_code_expires_at: decided.code_expires_at.map(|t| t.and_utc()),
    }))
}
