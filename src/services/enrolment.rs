//! One-time enrolment codes: how a new or reset account's owner chooses her own
//! password, so that nobody who set the account up ever knows one that works
//! (issue 17). A code is 16 readable characters (~79 bits), stored as SHA-256,
//! shown once, used once, and refused after 72 hours.

use chrono::{Duration, NaiveDateTime};
use zeroize::Zeroizing;

use super::accounts::AccountError;
use super::auth::{
    self, AuthError, AuthSettings, NewSession, actor_of, commit_then_answer, hash_password, typed_code_hash,
};
use super::keys::Keys;
use crate::audit::{Actor, Event, Outcome};
use crate::crypto::random::readable_code;
use crate::domain::password::check_new_password;
use crate::error::FieldError;
use crate::store::DbConn;
use crate::store::account_changes as changes;
use crate::store::users as user_store;

/// How long a code may wait for its owner.
pub const CODE_LIFETIME: Duration = Duration::hours(72);

/// The password hash of an account nobody can sign in to with a password: it is
/// not a PHC string, so no password ever verifies against it.
pub const UNUSABLE_PASSWORD: &str = "!enrolment";

/// Issues the account's enrolment code (any earlier one stops working), with its
/// audit event, inside the caller's transaction. The code is returned once.
pub fn issue(
    conn: &mut DbConn,
    actor: &Actor,
    user_id: &str,
    now: NaiveDateTime,
) -> Result<Zeroizing<String>, AccountError> {
    let code = readable_code(4, 4).map_err(|e| AccountError::Auth(e.into()))?;
    changes::issue_code(conn, user_id, &typed_code_hash(&code), now, now + CODE_LIFETIME)?;
    crate::store::audit::append(
        conn,
        &Event::new(actor, "account.issue_enrolment_code", Outcome::Success, now).on("user", user_id),
    )?;
    Ok(code)
}

/// Ends the account's password and sessions and issues a new code, inside the
/// caller's transaction.
pub fn replace_password(
    conn: &mut DbConn,
    actor: &Actor,
    user_id: &str,
    now: NaiveDateTime,
) -> Result<Zeroizing<String>, AccountError> {
    user_store::set_password(conn, user_id, UNUSABLE_PASSWORD, now)?;
    user_store::set_must_change_password(conn, user_id, false)?;
    issue(conn, actor, user_id, now)
}

/// Whether the account waits for its owner to enrol: its password is unusable.
pub fn awaits_enrolment(password_hash: &str) -> bool {
    password_hash == UNUSABLE_PASSWORD
}

/// The owner of an account chooses her password with her enrolment code. A wrong,
/// used or expired code answers exactly like a wrong password and counts towards
/// the lockout; a refused new password leaves the code unused. An account that has
/// a second factor (a password reset) must also give its code: a reset never
/// bypasses it. On success the code is gone and a session opens: to set up the
/// second factor where her role needs one, else in full.
#[allow(clippy::too_many_arguments)]
pub fn enrol(
    conn: &mut DbConn,
    keys: &Keys,
    settings: &AuthSettings,
    request: &Actor,
    username: &str,
    code: &str,
    second_factor: Option<&str>,
    new_password: &str,
    now: NaiveDateTime,
) -> Result<NewSession, AccountError> {
    let username = username.trim().to_lowercase();
    let found = user_store::by_username(conn, &username)?;
    let display_name = found.as_ref().map_or("", |u| u.display_name.as_str());
    check_new_password(new_password, &[&username, display_name]).map_err(|p| {
        AccountError::Invalid(vec![FieldError { field: "new_password".into(), message: p.to_string() }])
    })?;
    // The slow part (Argon2) runs before the transaction, holding no lock.
    let hash = hash_password(new_password)?;
    let code_hash = typed_code_hash(code);
    let session = commit_then_answer(conn, |conn| {
        let Some(found) = &found else {
            auth::audit(
                conn,
                Event::new(request, "account.enrol", Outcome::Failure, now).because("unknown_account"),
            )?;
            return Ok(Err(AuthError::InvalidCredentials));
        };
        user_store::touch(conn, &found.id, now)?;
        let user = user_store::by_id(conn, &found.id)?.ok_or(AuthError::InvalidCredentials)?;
        let actor = actor_of(&user, request);
        let refuse = |conn: &mut DbConn, reason: &str| -> Result<Result<NewSession, AuthError>, AuthError> {
            auth::audit(
                conn,
                Event::new(&actor, "account.enrol", Outcome::Failure, now)
                    .on("user", &user.id)
                    .because(reason),
            )?;
            auth::fail(conn, settings, &user, &actor, now)?;
            Ok(Err(AuthError::InvalidCredentials))
        };
        if user.disabled_at.is_some() {
            return refuse(conn, "disabled");
        }
        if user.locked_until.is_some_and(|until| until > now) {
            return refuse(conn, "locked");
        }
        if user.totp_secret.is_some() && user.totp_last_step.is_some() {
            let Some(second) = second_factor.map(str::trim).filter(|c| !c.is_empty()) else {
                return Ok(Err(AuthError::CodeRequired));
            };
            if !auth::second_factor_accepted(conn, keys, &user, second, now)? {
                return refuse(conn, "wrong_second_factor");
            }
        }
        if !changes::use_code(conn, &user.id, &code_hash, now)? {
            return refuse(conn, "wrong_code");
        }
        user_store::set_password(conn, &user.id, &hash, now)?;
        user_store::set_must_change_password(conn, &user.id, false)?;
        user_store::record_success(conn, &user.id, now)?;
        auth::audit(conn, Event::new(&actor, "account.enrol", Outcome::Success, now).on("user", &user.id))?;
        let user = user_store::by_id(conn, &user.id)?.ok_or(AuthError::InvalidCredentials)?;
        Ok(Ok(auth::session_after_password_choice(conn, settings, &user, now)?))
    })?;
    Ok(session)
}
