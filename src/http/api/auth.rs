use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{AppError, Problem};
use crate::http::session::SignedInLockedOrNot;
use crate::http::session::{
    AnySession, ChangingPassword, ClientAddr, SettingUpSecondFactor, actor, cleared_session_cookie,
    session_cookie, state,
};
use crate::http::{AppState, blocking};
use crate::services::accounts;
use crate::services::auth::{self, AuthSettings, Stage, UserView};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginBody {
    username: String,
    #[schema(value_type = String)]
    password: Zeroizing<String>,
    /// The 6-digit code of the authenticator app, or a recovery code.
    #[serde(default)]
    totp: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    id: String,
    username: String,
    display_name: String,
    role: &'static str,
    communes: Vec<String>,
    safe_house_id: Option<String>,
    second_factor: bool,
    /// `full`; `change_password` until she has chosen her own password (one an
    /// administrator gave: a new account, a reset), then `enrol_second_factor`
    /// until the second factor is set up where her role needs one.
    stage: &'static str,
}

pub(super) fn me_view(user: &UserView, stage: Stage) -> Me {
    Me {
        id: user.id.to_string(),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role.as_str(),
        communes: user.communes.clone(),
        safe_house_id: user.safe_house_id.clone(),
        second_factor: user.second_factor,
        stage: match stage {
            Stage::Full => "full",
            Stage::EnrolSecondFactor => "enrol_second_factor",
            Stage::ChangePassword => "change_password",
        },
    }
}

/// Signs in; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginBody,
    responses((status = 200, description = "Signed in", body = Me),
        (status = 401, description = "Wrong username, password or code; or a code is needed", body = Problem),
        (status = 429, description = "Too many attempts from this address", body = Problem)))]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    client: ClientAddr,
    body: web::Json<LoginBody>,
) -> Result<HttpResponse, AppError> {
    if !state.throttle.allow(client.0) {
        return Err(AppError::TooManyAttempts);
    }
    let settings = AuthSettings::from_config(&state.config);
    let keys = state.keys.clone();
    let LoginBody { username, password, totp } = body.into_inner();
    let request = actor(&req, None);
    let session = blocking(&state, move |conn| {
        Ok(auth::login(
            conn,
            &keys,
            &settings,
            &request,
            &username,
            &password,
            totp.as_deref(),
            Utc::now().naive_utc(),
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(&session.token, state.config.cookie_secure))
        .json(me_view(&session.user, session.stage)))
}

/// Signs out; the session ends and its cookie is cleared.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204, description = "Signed out")))]
pub async fn logout(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let session = crate::http::session::current_session(&req).await?;
    let who = actor(&req, session.as_ref());
    if let Some(token) = crate::http::session::session_token(&req) {
        blocking(&state, move |conn| Ok(auth::logout(conn, &who, &token, Utc::now().naive_utc())?)).await?;
    }
    Ok(HttpResponse::NoContent().cookie(cleared_session_cookie(state.config.cookie_secure)).finish())
}

/// Who is signed in.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, description = "Not signed in", body = Problem)))]
pub async fn me(session: AnySession) -> HttpResponse {
    HttpResponse::Ok().json(me_view(&session.0.user, session.0.stage))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UnlockBody {
    #[schema(value_type = String)]
    password: Zeroizing<String>,
}

/// Locks the screen: until unlocked, the session reaches only unlock and sign-out.
#[utoipa::path(post, path = "/api/v1/auth/lock", tag = "auth",
    responses((status = 204, description = "Locked"), (status = 401, description = "Not signed in", body = Problem)))]
pub async fn lock(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedInLockedOrNot,
) -> Result<HttpResponse, AppError> {
    let who = actor(&req, Some(&session.0));
    blocking(&state, move |conn| Ok(auth::lock_screen(conn, &who, &session.0, Utc::now().naive_utc())?))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Unlocking a locked screen: the signed-in user proves she is still the one at it.
#[utoipa::path(post, path = "/api/v1/auth/unlock", tag = "auth", request_body = UnlockBody,
    responses((status = 204, description = "Unlocked"), (status = 401, description = "Wrong password or not signed in", body = Problem)))]
pub async fn unlock(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedInLockedOrNot,
    body: web::Json<UnlockBody>,
) -> Result<HttpResponse, AppError> {
    let settings = AuthSettings::from_config(&state.config);
    let who = actor(&req, Some(&session.0));
    let password = body.into_inner().password;
    blocking(&state, move |conn| {
        Ok(auth::unlock_screen(conn, &settings, &who, &session.0, &password, Utc::now().naive_utc())?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PasswordBody {
    #[schema(value_type = String)]
    current_password: Zeroizing<String>,
    /// At least 12 characters, not easy to guess.
    #[schema(value_type = String)]
    new_password: Zeroizing<String>,
}

/// Changes the signed-in user's password. Every session of hers ends, this one
/// too: she signs in again with the new password. A session in the stage
/// `change_password` (her password was given by an administrator) goes on under
/// a new session cookie instead, to the second-factor set-up where her role needs
/// one, else in full; the new password must differ from the one she was given.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", request_body = PasswordBody,
    responses((status = 204, description = "Changed; every session ended, this one too (in the stage `change_password`: a new session cookie replaces it)"),
        (status = 422, description = "The current password is wrong or the new one is refused", body = Problem),
        (status = 401, description = "Not signed in", body = Problem)))]
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: ChangingPassword,
    body: web::Json<PasswordBody>,
) -> Result<HttpResponse, AppError> {
    let settings = AuthSettings::from_config(&state.config);
    let who = actor(&req, Some(&session.0));
    let forced = session.0.stage == Stage::ChangePassword;
    let user = session.0.user;
    let PasswordBody { current_password, new_password } = body.into_inner();
    if forced {
        let session = blocking(&state, move |conn| {
            Ok(accounts::choose_password(
                conn,
                &settings,
                &who,
                &user,
                &current_password,
                &new_password,
                Utc::now().naive_utc(),
            )?)
        })
        .await?;
        return Ok(HttpResponse::NoContent()
            .cookie(session_cookie(&session.token, state.config.cookie_secure))
            .finish());
    }
    blocking(&state, move |conn| {
        Ok(accounts::change_password(
            conn,
            &settings,
            &who,
            &user,
            &current_password,
            &new_password,
            Utc::now().naive_utc(),
        )?)
    })
    .await?;
    Ok(HttpResponse::NoContent().cookie(cleared_session_cookie(state.config.cookie_secure)).finish())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SecondFactorSetup {
    secret: String,
    otpauth_uri: String,
}

#[utoipa::path(post, path = "/api/v1/me/second-factor", tag = "auth",
    responses((status = 200, body = SecondFactorSetup),
        (status = 409, description = "A second factor is in force: an administrator resets it", body = Problem),
        (status = 401, description = "Not signed in", body = Problem)))]
pub async fn begin_second_factor(
    req: HttpRequest,
    session: SettingUpSecondFactor,
) -> Result<HttpResponse, AppError> {
    let state = state(&req)?;
    let keys = state.keys.clone();
    let who = actor(&req, Some(&session.0));
    let user = session.0.user;
    let setup = blocking(&state, move |conn| {
        Ok(auth::begin_second_factor(conn, &keys, &who, &user, Utc::now().naive_utc())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SecondFactorSetup {
        secret: setup.secret.to_string(),
        otpauth_uri: setup.otpauth_uri.to_string(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ConfirmBody {
    code: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RecoveryCodes {
    recovery_codes: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/me/second-factor/confirm", tag = "auth", request_body = ConfirmBody,
    responses((status = 200, description = "In force; ten recovery codes, shown once", body = RecoveryCodes),
        (status = 401, description = "Wrong code or not signed in", body = Problem)))]
pub async fn confirm_second_factor(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SettingUpSecondFactor,
    body: web::Json<ConfirmBody>,
) -> Result<HttpResponse, AppError> {
    let keys = state.keys.clone();
    let code = body.into_inner().code;
    let who = actor(&req, Some(&session.0));
    let codes = blocking(&state, move |conn| {
        Ok(auth::confirm_second_factor(conn, &keys, &who, &session.0, &code, Utc::now().naive_utc())?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .json(RecoveryCodes { recovery_codes: codes.iter().map(|c| c.to_string()).collect() }))
}
