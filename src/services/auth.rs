//! Signing in and staying signed in: passwords (Argon2id), lockout, the second
//! factor (TOTP, RFC 6238) with recovery codes, and server-side sessions.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{Duration, NaiveDateTime};
use diesel::Connection;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::keys::{Keys, KeysError};
use super::sealing::{OwnerKey, Revealed};
use crate::audit::{Actor, Event, Outcome};
use crate::config::Config;
use crate::crypto::random::{random_bytes, random_hex, readable_code};
use crate::crypto::{CryptoError, FieldRef, KeyOwner, OwnerKind};
use crate::domain::role::Role;
use crate::store::sessions::{self as session_store, SessionRow};
use crate::store::users::{self as user_store, UserRow};
use crate::store::{DbConn, StoreError};

/// The limits of design §5, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct AuthSettings {
    pub idle: Duration,
    pub max_age: Duration,
    pub max_failures: i32,
    pub lock: Duration,
    pub second_factor_for_all: bool,
}

impl AuthSettings {
    pub fn from_config(config: &Config) -> Self {
        AuthSettings {
            idle: Duration::minutes(config.session_idle_minutes.into()),
            max_age: Duration::hours(config.session_max_hours.into()),
            max_failures: i32::try_from(config.login_max_failures).unwrap_or(i32::MAX),
            lock: Duration::minutes(config.login_lock_minutes.into()),
            second_factor_for_all: config.second_factor_for_all,
        }
    }

    fn needs_second_factor(&self, role: Role) -> bool {
        self.second_factor_for_all || role.requires_second_factor()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown user, wrong password, locked or disabled account: one answer for
    /// all, so none can be told from another.
    #[error("wrong username, password or code")]
    InvalidCredentials,
    /// The password was right; the account needs its 6-digit code.
    #[error("the code from the authenticator app is needed")]
    CodeRequired,
    /// A second factor is in force: only an administrator resets it.
    #[error("a second factor is already set up; an administrator can reset it")]
    SecondFactorInUse,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Keys(#[from] KeysError),
}

impl From<diesel::result::Error> for AuthError {
    fn from(e: diesel::result::Error) -> Self {
        AuthError::Store(StoreError::Query(e))
    }
}

impl From<CryptoError> for AuthError {
    fn from(e: CryptoError) -> Self {
        AuthError::Keys(KeysError::Crypto(e))
    }
}

/// Argon2id with the OWASP parameters (19 MiB, 2 passes, 1 lane).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String, AuthError> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|_| AuthError::Keys(KeysError::Crypto(CryptoError::Rng)))
}

/// Verifying against this when the user does not exist takes as long as a real
/// check, so response times do not reveal which usernames exist.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("not a real password, only for timing").unwrap_or_default());

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Who is signed in, as the rest of the system sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserView {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub communes: Vec<String>,
    pub safe_house_id: Option<String>,
    pub second_factor: bool,
}

pub fn user_view(conn: &mut DbConn, row: &UserRow) -> Result<UserView, AuthError> {
    let bad = || {
        AuthError::Store(StoreError::Query(diesel::result::Error::DeserializationError(
            "bad user row".into(),
        )))
    };
    Ok(UserView {
        id: row.id.parse().map_err(|_| bad())?,
        username: row.username.clone(),
        display_name: row.display_name.clone(),
        role: row.role.parse().map_err(|_| bad())?,
        communes: user_store::communes_of(conn, &row.id)?,
        safe_house_id: row.safe_house_id.clone(),
        second_factor: row.totp_secret.is_some() && row.totp_last_step.is_some(),
    })
}

/// How far a session may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Full,
    /// Signed in with a password, but must first set up the second factor.
    EnrolSecondFactor,
    /// Signed in with a password an administrator gave (a new account, a reset):
    /// she chooses her own before anything else, the second factor after it. Not
    /// stored: it lasts exactly as long as the account's `must_change_password`,
    /// and the session keeps the stage that follows it.
    ChangePassword,
}

impl Stage {
    /// The stored name of a session's stage; a password still to change is read
    /// from the account, so it stores the stage that comes after.
    fn as_str(self) -> &'static str {
        match self {
            Stage::Full => "full",
            Stage::EnrolSecondFactor | Stage::ChangePassword => "enrol_totp",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Stage::Full, Stage::EnrolSecondFactor].into_iter().find(|s| s.as_str() == text)
    }
}

/// A session just opened: the token goes into the cookie and nowhere else.
pub struct NewSession {
    pub token: Zeroizing<String>,
    pub csrf_token: String,
    pub stage: Stage,
    pub user: UserView,
}

pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Signs a user in. Every failure counts towards the lockout; a locked, disabled
/// or unknown account answers exactly like a wrong password. The attempt, its
/// outcome and any lock are audit events in the same transaction.
#[allow(clippy::too_many_arguments)]
pub fn login(
    conn: &mut DbConn,
    keys: &Keys,
    settings: &AuthSettings,
    request: &Actor,
    username: &str,
    password: &str,
    code: Option<&str>,
    now: NaiveDateTime,
) -> Result<NewSession, AuthError> {
    let username = username.trim().to_lowercase();
    // The slow part (Argon2) runs before the transaction, holding no lock.
    let found = user_store::by_username(conn, &username)?;
    let password_ok =
        verify_password(found.as_ref().map_or(DUMMY_HASH.as_str(), |u| u.password_hash.as_str()), password);
    commit_then_answer(conn, |conn| {
        let Some(found) = &found else {
            audit(conn, Event::new(request, "auth.login", Outcome::Failure, now).because("unknown_account"))?;
            return Ok(Err(AuthError::InvalidCredentials));
        };
        // Write first (design §3): the account row is held from here to the commit,
        // so parallel guesses queue and each sees the failures counted before it.
        user_store::touch(conn, &found.id, now)?;
        let user = user_store::by_id(conn, &found.id)?.ok_or(AuthError::InvalidCredentials)?;
        let actor = actor_of(&user, request);
        let refuse = |conn: &mut DbConn,
                      reason: &str,
                      counts: bool|
         -> Result<Result<NewSession, AuthError>, AuthError> {
            audit(
                conn,
                Event::new(&actor, "auth.login", Outcome::Failure, now).on("user", &user.id).because(reason),
            )?;
            if counts {
                fail(conn, settings, &user, &actor, now)?;
            }
            Ok(Err(AuthError::InvalidCredentials))
        };
        if user.disabled_at.is_some() {
            return refuse(conn, "disabled", false);
        }
        if user.locked_until.is_some_and(|until| until > now) {
            return refuse(conn, "locked", false);
        }
        // A password changed while this attempt was hashing is not the one checked.
        if !password_ok || user.password_hash != found.password_hash {
            return refuse(conn, "wrong_password", true);
        }
        let role: Role = user.role.parse().map_err(|_| AuthError::InvalidCredentials)?;
        let enrolled = user.totp_secret.is_some() && user.totp_last_step.is_some();
        let stage = if enrolled {
            let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
                return Ok(Err(AuthError::CodeRequired));
            };
            if !second_factor_accepted(conn, keys, &user, code, now)? {
                return refuse(conn, "wrong_code", true);
            }
            Stage::Full
        } else if settings.needs_second_factor(role) {
            Stage::EnrolSecondFactor
        } else {
            Stage::Full
        };
        user_store::record_success(conn, &user.id, now)?;
        audit(conn, Event::new(&actor, "auth.login", Outcome::Success, now).on("user", &user.id))?;
        let mut session = open_session(conn, settings, &user, stage, now)?;
        if user.must_change_password {
            session.stage = Stage::ChangePassword;
        }
        Ok(Ok(session))
    })
}

/// A new session for a user who has just chosen her own password in place of an
/// administrator's: it goes on to set up the second factor where one is needed
/// and missing, else in full.
pub fn session_after_password_choice(
    conn: &mut DbConn,
    settings: &AuthSettings,
    user: &UserRow,
    now: NaiveDateTime,
) -> Result<NewSession, AuthError> {
    let role: Role = user.role.parse().map_err(|_| AuthError::InvalidCredentials)?;
    let enrolled = user.totp_secret.is_some() && user.totp_last_step.is_some();
    let stage =
        if !enrolled && settings.needs_second_factor(role) { Stage::EnrolSecondFactor } else { Stage::Full };
    open_session(conn, settings, user, stage, now)
}

/// Runs `work` in one transaction that commits even when its answer is a refusal
/// (the counted failure and its audit event must stay), then gives that answer.
pub(super) fn commit_then_answer<T>(
    conn: &mut DbConn,
    work: impl FnOnce(&mut DbConn) -> Result<Result<T, AuthError>, AuthError>,
) -> Result<T, AuthError> {
    conn.transaction(work)?
}

pub(super) fn audit(conn: &mut DbConn, event: Event) -> Result<(), AuthError> {
    crate::store::audit::append(conn, &event)?;
    Ok(())
}

/// The request's actor, now known to be this user.
pub(super) fn actor_of(user: &UserRow, request: &Actor) -> Actor {
    Actor {
        user_id: user.id.parse().ok(),
        role: user.role.parse().ok(),
        request_id: request.request_id.clone(),
        client_addr: request.client_addr.clone(),
    }
}

pub(super) fn fail(
    conn: &mut DbConn,
    settings: &AuthSettings,
    user: &UserRow,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), AuthError> {
    if user_store::record_failure(conn, &user.id, settings.max_failures, now + settings.lock, now)? {
        tracing::warn!(user_id = %user.id, minutes = settings.lock.num_minutes(), "account locked after repeated failed sign-ins");
        audit(conn, Event::new(actor, "auth.lock", Outcome::Success, now).on("user", &user.id))?;
    }
    Ok(())
}

fn open_session(
    conn: &mut DbConn,
    settings: &AuthSettings,
    user: &UserRow,
    stage: Stage,
    now: NaiveDateTime,
) -> Result<NewSession, AuthError> {
    let token = random_hex(32)?;
    let csrf_token = random_hex(32)?.to_string();
    session_store::insert(
        conn,
        &SessionRow {
            token_hash: token_hash(&token).to_vec(),
            user_id: user.id.clone(),
            csrf_token: csrf_token.clone(),
            stage: stage.as_str().into(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + settings.max_age,
            locked_at: None,
        },
    )?;
    Ok(NewSession { token, csrf_token, stage, user: user_view(conn, user)? })
}

/// A request's session, once its cookie checked out.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: UserView,
    pub csrf_token: String,
    pub stage: Stage,
    pub token_hash: [u8; 32],
    /// The screen is locked: only unlock and sign-out are open.
    pub locked: bool,
}

/// How stale `last_seen_at` may grow before a request writes it again: not on
/// every request (one write per request would serialise the busiest table), but
/// often enough that the idle limit holds to within a few seconds.
///
/// The idle limit is checked against `last_seen_at`, which lags the last request by
/// up to this interval; so an idle session ends between `idle - interval` and
/// `idle` after its last request, and an active one (a request at least every
/// `idle - interval`) never ends. A tenth of the idle limit keeps that error at
/// 10 % (6 s for a 1-minute limit), bounded to [5 s, 60 s]: never a write more
/// often than every 5 s, never an error over a minute for long limits.
pub fn touch_every(idle: Duration) -> Duration {
    (idle / 10).clamp(Duration::seconds(5), Duration::seconds(60))
}

/// Finds the live session of a cookie token. A session past its idle or absolute
/// limit, of a disabled user, or older than the user's last password change, is
/// ended and gives None.
pub fn authenticate(
    conn: &mut DbConn,
    settings: &AuthSettings,
    token: &str,
    now: NaiveDateTime,
) -> Result<Option<Authenticated>, AuthError> {
    let hash = token_hash(token);
    let Some(session) = session_store::find(conn, &hash)? else { return Ok(None) };
    let user = user_store::by_id(conn, &session.user_id)?;
    let live = user.as_ref().is_some_and(|u| {
        u.disabled_at.is_none()
            && session.created_at >= u.password_changed_at
            && session.expires_at > now
            && session.last_seen_at + settings.idle > now
    });
    let Some(user) = user.filter(|_| live) else {
        session_store::delete(conn, &hash)?;
        return Ok(None);
    };
    if now - session.last_seen_at >= touch_every(settings.idle) {
        session_store::touch(conn, &hash, now)?;
    }
    // An unknown stage ends in an error, never in a guess at how far it may go.
    let stored = crate::store::closed::read(Stage::parse, "sessions", "stage", &user.id, &session.stage)
        .map_err(StoreError::from)?;
    let stage = if user.must_change_password { Stage::ChangePassword } else { stored };
    Ok(Some(Authenticated {
        user: user_view(conn, &user)?,
        csrf_token: session.csrf_token,
        stage,
        token_hash: hash,
        locked: session.locked_at.is_some(),
    }))
}

pub fn logout(conn: &mut DbConn, actor: &Actor, token: &str, now: NaiveDateTime) -> Result<bool, AuthError> {
    conn.transaction(|conn| {
        let ended = session_store::delete(conn, &token_hash(token))?;
        if ended {
            audit(conn, Event::new(actor, "auth.logout", Outcome::Success, now))?;
        }
        Ok(ended)
    })
}

/// Checks the signed-in user's password again (unlocking a locked screen). A wrong
/// password counts towards the lockout like a failed sign-in.
pub fn confirm_password(
    conn: &mut DbConn,
    settings: &AuthSettings,
    actor: &Actor,
    user_id: Uuid,
    password: &str,
    now: NaiveDateTime,
) -> Result<(), AuthError> {
    commit_then_answer(conn, |conn| {
        user_store::touch(conn, &user_id.to_string(), now)?;
        let user = user_store::by_id(conn, &user_id.to_string())?.ok_or(AuthError::InvalidCredentials)?;
        if user.locked_until.is_some_and(|until| until > now)
            || !verify_password(&user.password_hash, password)
        {
            audit(
                conn,
                Event::new(actor, "auth.confirm_password", Outcome::Failure, now).on("user", &user.id),
            )?;
            fail(conn, settings, &user, actor, now)?;
            return Ok(Err(AuthError::InvalidCredentials));
        }
        audit(conn, Event::new(actor, "auth.confirm_password", Outcome::Success, now).on("user", &user.id))?;
        Ok(Ok(()))
    })
}

const TOTP_STEP: u64 = 30;

fn totp(secret: &[u8]) -> Result<totp_rs::Totp, AuthError> {
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_step_duration(TOTP_STEP)
        .with_skew(1)
        .build()
        .map_err(|_| AuthError::Keys(KeysError::Crypto(CryptoError::MalformedBlob)))
}

fn user_key(conn: &mut DbConn, keys: &Keys, user_id: &str) -> Result<OwnerKey, AuthError> {
    let id: Uuid = user_id.parse().map_err(|_| AuthError::InvalidCredentials)?;
    match OwnerKey::open(conn, keys, KeyOwner::new(OwnerKind::User, id))? {
        Revealed::Value(key) => Ok(key),
        Revealed::Erased => Err(AuthError::InvalidCredentials),
    }
}

fn totp_field(user_id: &str) -> Result<FieldRef, AuthError> {
    let id = user_id.parse().map_err(|_| AuthError::InvalidCredentials)?;
    Ok(FieldRef::new("users", "totp_secret", id))
}

/// A 6-digit code never used before (its time step later than the last accepted
/// one), or an unused recovery code.
pub(super) fn second_factor_accepted(
    conn: &mut DbConn,
    keys: &Keys,
    user: &UserRow,
    code: &str,
    now: NaiveDateTime,
) -> Result<bool, AuthError> {
    let Some(sealed) = &user.totp_secret else { return Ok(false) };
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        let key = user_key(conn, keys, &user.id)?;
        let secret = key.open_text(totp_field(&user.id)?, sealed)?;
        let secret = Zeroizing::new(hex::decode(secret.as_bytes()).unwrap_or_default());
        let time = u64::try_from(now.and_utc().timestamp()).unwrap_or(0);
        let Some(step) = totp(&secret)?.check(code, time) else { return Ok(false) };
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        return Ok(user_store::advance_totp_step(conn, &user.id, step)?);
    }
    Ok(user_store::consume_recovery_code(conn, &user.id, &typed_code_hash(code), now)?)
}

pub(super) fn typed_code_hash(code: &str) -> [u8; 32] {
    let normalized: String =
        code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
    Sha256::digest(normalized.as_bytes()).into()
}

/// What a person needs to add the account to an authenticator app.
pub struct SecondFactorSetup {
    /// Base32, for typing by hand.
    pub secret: Zeroizing<String>,
    pub otpauth_uri: Zeroizing<String>,
    /// The URI as a QR code, an SVG image.
    pub qr_svg: String,
}

/// Starts (or restarts) setting up the second factor: a new secret, sealed under
/// the user's data key, not yet in force until a first code confirms it.
pub fn begin_second_factor(
    conn: &mut DbConn,
    keys: &Keys,
    actor: &Actor,
    user: &UserView,
    now: NaiveDateTime,
) -> Result<SecondFactorSetup, AuthError> {
    let secret = random_bytes(20)?;
    let user_id = user.id.to_string();
    let key = user_key(conn, keys, &user_id)?;
    let sealed = key.seal(totp_field(&user_id)?, &hex::encode(&*secret))?;
    conn.transaction(|conn| {
        // Write first, then look: a factor already in force is never replaced from
        // a session (someone at an unlocked screen could otherwise make it theirs);
        // an administrator resets it (`binhan user reset-second-factor`).
        user_store::touch(conn, &user_id, now)?;
        let current = user_store::by_id(conn, &user_id)?.ok_or(AuthError::InvalidCredentials)?;
        if current.totp_secret.is_some() && current.totp_last_step.is_some() {
            return Err(AuthError::SecondFactorInUse);
        }
        user_store::set_pending_totp(conn, &user_id, &sealed, now)?;
        audit(conn, Event::new(actor, "auth.second_factor.begin", Outcome::Success, now).on("user", &user_id))
    })?;
    let base32 = Zeroizing::new(totp_rs::Secret::from(secret.to_vec()).to_base32());
    let uri = Zeroizing::new(format!(
        "otpauth://totp/B%C3%ACnh%20An:{}?secret={}&issuer=B%C3%ACnh%20An&algorithm=SHA1&digits=6&period=30",
        percent_encode(&user.username),
        base32.as_str()
    ));
    let qr_svg = qrcode::QrCode::new(uri.as_bytes())
        .map(|qr| qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(220, 220).build())
        .unwrap_or_default();
    Ok(SecondFactorSetup { secret: base32, otpauth_uri: uri, qr_svg })
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Confirms the pending secret with a first code, puts it in force, makes ten new
/// recovery codes (shown once) and lets the session go on in full.
pub fn confirm_second_factor(
    conn: &mut DbConn,
    keys: &Keys,
    actor: &Actor,
    session: &Authenticated,
    code: &str,
    now: NaiveDateTime,
) -> Result<Vec<Zeroizing<String>>, AuthError> {
    let user_id = session.user.id.to_string();
    conn.transaction(|conn| {
        // Write first (design §3): the code's step is checked and advanced under
        // the account row's lock.
        user_store::touch(conn, &user_id, now)?;
        let user = user_store::by_id(conn, &user_id)?.ok_or(AuthError::InvalidCredentials)?;
        if !second_factor_accepted(conn, keys, &user, code.trim(), now)? {
            return Err(AuthError::InvalidCredentials);
        }
        audit(
            conn,
            Event::new(actor, "auth.second_factor.confirm", Outcome::Success, now).on("user", &user_id),
        )?;
        let codes = (0..10).map(|_| readable_code(2, 5)).collect::<Result<Vec<_>, _>>()?;
        let hashes: Vec<[u8; 32]> = codes.iter().map(|c| typed_code_hash(c)).collect();
        user_store::replace_recovery_codes(conn, &user_id, &hashes)?;
        session_store::set_stage(conn, &session.token_hash, Stage::Full.as_str())?;
        Ok(codes)
    })
}

/// Puts a known second-factor secret in force at once, without a confirming code:
/// for the demo's fictional accounts and for tests, never for a real person.
pub fn enrol_with_secret(
    conn: &mut DbConn,
    keys: &Keys,
    user_id: Uuid,
    secret: &[u8],
    now: NaiveDateTime,
) -> Result<Zeroizing<String>, AuthError> {
    let id = user_id.to_string();
    let key = user_key(conn, keys, &id)?;
    let sealed = key.seal(totp_field(&id)?, &hex::encode(secret))?;
    user_store::set_pending_totp(conn, &id, &sealed, now)?;
    user_store::advance_totp_step(conn, &id, 0)?;
    Ok(Zeroizing::new(totp_rs::Secret::from(secret.to_vec()).to_base32()))
}

/// The code an authenticator app shows at `now` for a secret (tests, demo).
pub fn current_code(secret: &[u8], now: NaiveDateTime) -> Result<String, AuthError> {
    let time = u64::try_from(now.and_utc().timestamp()).unwrap_or(0);
    Ok(totp(secret)?.generate(time).to_string())
}

/// Locks the session's screen (the lock button, or idle time in the browser): until
/// unlocked with the password, the session reaches nothing but unlock and sign-out.
pub fn lock_screen(
    conn: &mut DbConn,
    actor: &Actor,
    session: &Authenticated,
    now: NaiveDateTime,
) -> Result<(), AuthError> {
    conn.transaction(|conn| {
        session_store::set_locked(conn, &session.token_hash, Some(now))?;
        audit(conn, Event::new(actor, "auth.lock_screen", Outcome::Success, now))
    })
}

/// Unlocks the session's screen with the user's password; a wrong one counts
/// towards the account's lockout.
pub fn unlock_screen(
    conn: &mut DbConn,
    settings: &AuthSettings,
    actor: &Actor,
    session: &Authenticated,
    password: &str,
    now: NaiveDateTime,
) -> Result<(), AuthError> {
    confirm_password(conn, settings, actor, session.user.id, password, now)?;
    session_store::set_locked(conn, &session.token_hash, None)?;
    Ok(())
}
