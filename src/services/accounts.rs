//! Managing accounts: create, list, disable, reset and change passwords. Used by
//! `binhan user …` and by the administrator's pages.

use chrono::NaiveDateTime;
use diesel::Connection;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::auth::{AuthError, NewSession, UserView, hash_password, user_view};
use super::keys::Keys;
use super::sealing::OwnerKey;
use crate::audit::{Actor, Event, Outcome};
use crate::crypto::random::readable_code;
use crate::crypto::{KeyOwner, OwnerKind};
use crate::domain::password::check_new_password;
use crate::domain::role::{CommuneRule, Role};
use crate::error::FieldError;
use crate::store::admin_units::commune_on;
use crate::store::users::{self as store, NewUser};
use crate::store::{DbConn, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{}", describe(.0))]
    Invalid(Vec<FieldError>),
    #[error("no account named {0}")]
    NotFound(String),
    /// The policies refuse this change to the caller (her own account, one she
    /// asked for, or she is no supervisor).
    #[error("this change is not yours to decide")]
    Forbidden,
    #[error(transparent)]
    Auth(#[from] AuthError),
}

fn describe(errors: &[FieldError]) -> String {
    errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
}

impl From<diesel::result::Error> for AccountError {
    fn from(e: diesel::result::Error) -> Self {
        AccountError::Auth(AuthError::Store(StoreError::Query(e)))
    }
}

impl From<super::keys::KeysError> for AccountError {
    fn from(e: super::keys::KeysError) -> Self {
        AccountError::Auth(AuthError::Keys(e))
    }
}

pub(super) fn field(field: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub communes: Vec<String>,
    /// The house of safe-house staff: its id, or its exact name.
    pub safe_house_id: Option<String>,
    /// None: a first password is generated and returned once.
    pub password: Option<Zeroizing<String>>,
    /// Without a password: whether she gets a one-time enrolment code with which
    /// she chooses her own (the account pages, `binhan user add` without
    /// `--password-stdin`), or a generated password that is kept (the demo's
    /// fictional people).
    pub enrolment_code: bool,
}

/// A first password a person can read off a screen or paper and type:
/// 4 groups of 4 readable characters, ~79 bits.
fn first_password() -> Result<Zeroizing<String>, AccountError> {
    readable_code(4, 4).map_err(|e| AccountError::Auth(e.into()))
}

fn valid_username(name: &str) -> bool {
    (3..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
}

/// Creates an account at once, with its own data key (for its second-factor
/// secret): the server's own path (`binhan user add`, the demo), which needs no
/// second person and is audited as the break-glass path it is. Returns the
/// enrolment code, or the generated password, when no password was given.
pub fn create(
    conn: &mut DbConn,
    keys: &Keys,
    actor: &Actor,
    input: &NewAccount,
    now: NaiveDateTime,
) -> Result<(UserView, Option<Zeroizing<String>>), AccountError> {
    let checked = check_new_account(conn, input, now)?;
    let generated = match (&input.password, input.enrolment_code) {
        (Some(_), _) | (None, true) => None,
        (None, false) => Some(first_password()?),
    };
    let hash = match input.password.as_ref().or(generated.as_ref()) {
        Some(password) => hash_password(password)?,
        None => super::enrolment::UNUSABLE_PASSWORD.to_string(),
    };
    conn.transaction(|conn| {
        let view = insert_account(conn, keys, actor, &checked, &hash, "break_glass", now)?;
        let code = if input.password.is_none() && input.enrolment_code {
            Some(super::enrolment::issue(conn, actor, &view.id.to_string(), now)?)
        } else {
            generated
        };
        Ok((view, code))
    })
}

/// A new account's fields, checked.
pub(super) struct CheckedAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub communes: Vec<String>,
    pub safe_house_id: Option<String>,
}

pub(super) fn check_new_account(
    conn: &mut DbConn,
    input: &NewAccount,
    now: NaiveDateTime,
) -> Result<CheckedAccount, AccountError> {
    let username = input.username.trim().to_lowercase();
    let display_name = input.display_name.trim();
    let mut errors = Vec::new();
    if !valid_username(&username) {
        errors.push(field("username", "3 to 32 characters: a-z, 0-9, dot, dash or underscore"));
    } else if store::by_username(conn, &username)?.is_some() {
        errors.push(field("username", "this username is taken"));
    }
    if display_name.is_empty() || display_name.chars().count() > 80 {
        errors.push(field("display_name", "1 to 80 characters"));
    }
    let (safe_house_id, access_errors) =
        check_access(conn, input.role, &input.communes, input.safe_house_id.as_deref(), now)?;
    errors.extend(access_errors);
    if let Some(password) = &input.password
        && let Err(problem) = check_new_password(password, &[&username, display_name])
    {
        errors.push(field("password", problem.to_string()));
    }
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    Ok(CheckedAccount {
        username,
        display_name: display_name.to_string(),
        role: input.role,
        communes: input.communes.clone(),
        safe_house_id,
    })
}

/// The communes and house of an account of `role`, checked; gives the house's id.
pub(super) fn check_access(
    conn: &mut DbConn,
    role: Role,
    communes: &[String],
    safe_house: Option<&str>,
    now: NaiveDateTime,
) -> Result<(Option<String>, Vec<FieldError>), AccountError> {
    let mut errors = check_communes(conn, role, communes, now)?;
    let house = match check_safe_house(conn, role, safe_house)? {
        Ok(house) => house,
        Err(problem) => {
            errors.push(problem);
            None
        }
    };
    Ok((house, errors))
}

/// Writes a checked account, its data key and its `account.create` event
/// (`reason`: how it was granted), inside the caller's transaction.
pub(super) fn insert_account(
    conn: &mut DbConn,
    keys: &Keys,
    actor: &Actor,
    account: &CheckedAccount,
    password_hash: &str,
    reason: &str,
    now: NaiveDateTime,
) -> Result<UserView, AccountError> {
    let id = Uuid::now_v7();
    let id_text = id.to_string();
    store::insert(
        conn,
        &NewUser {
            id: &id_text,
            username: &account.username,
            display_name: &account.display_name,
            role: account.role.as_str(),
            safe_house_id: account.safe_house_id.as_deref(),
            password_hash,
            password_changed_at: now,
            created_at: now,
            updated_at: now,
        },
        &account.communes,
    )?;
    OwnerKey::create(conn, keys, KeyOwner::new(OwnerKind::User, id), now)?;
    crate::store::audit::append(
        conn,
        &Event::new(actor, "account.create", Outcome::Success, now)
            .on("user", id)
            .because(format!("{} {reason}", account.role.as_str())),
    )?;
    let row =
        store::by_id(conn, &id_text)?.ok_or_else(|| AccountError::NotFound(account.username.clone()))?;
    Ok(user_view(conn, &row)?)
}

/// Which role may have communes (`Role::communes`): a commune where none belongs
/// is refused rather than dropped, so whoever asked learns it was not kept.
fn check_communes(
    conn: &mut DbConn,
    role: Role,
    communes: &[String],
    now: NaiveDateTime,
) -> Result<Vec<FieldError>, AccountError> {
    let mut errors = Vec::new();
    match role.communes() {
        CommuneRule::AtLeastOne if communes.is_empty() => {
            errors.push(field("communes", "a social worker needs at least one commune"));
        }
        CommuneRule::None if !communes.is_empty() => {
            errors.push(field(
                "communes",
                format!("the role {role} works in no commune: leave the communes out"),
            ));
            return Ok(errors);
        }
        _ => {}
    }
    for code in communes {
        if commune_on(conn, code, now.date())?.is_none() {
            errors.push(field("communes", format!("{code} is not a commune in force")));
        }
    }
    Ok(errors)
}

/// Safe-house staff belong to exactly one active house, named by its id or its
/// exact name; nobody else belongs to one. Gives the house's id.
fn check_safe_house(
    conn: &mut DbConn,
    role: Role,
    given: Option<&str>,
) -> Result<Result<Option<String>, FieldError>, AccountError> {
    let given = given.map(str::trim).filter(|g| !g.is_empty());
    let problem = |message: &str| Ok(Err(field("safe_house_id", message)));
    match (role.belongs_to_a_safe_house(), given) {
        (false, None) => Ok(Ok(None)),
        (false, Some(_)) => problem("only safe-house staff belong to a safe house: leave it out"),
        (true, None) => problem("safe-house staff belong to one safe house: choose it"),
        (true, Some(given)) => {
            let found = match crate::store::placements::house(conn, given)? {
                Some(house) => vec![house],
                None => crate::store::placements::houses_named(conn, given)?,
            };
            match found.as_slice() {
                [] => problem("no safe house has this id or name: see the registered houses"),
                [house] if !house.active => problem("this safe house is deactivated: choose an active one"),
                [house] => Ok(Ok(Some(house.id.clone()))),
                _ => problem("several safe houses have this name: give the house's id"),
            }
        }
    }
}

pub(super) fn find(conn: &mut DbConn, username: &str) -> Result<store::UserRow, AccountError> {
    let username = username.trim().to_lowercase();
    store::by_username(conn, &username)?.ok_or(AccountError::NotFound(username))
}

/// An administrator's change to an account, named by username: the change and its
/// audit event in one transaction.
fn change_account(
    conn: &mut DbConn,
    actor: &Actor,
    username: &str,
    action: &'static str,
    now: NaiveDateTime,
    change: impl FnOnce(&mut DbConn, &str) -> diesel::QueryResult<()>,
) -> Result<(), AccountError> {
    let user = find(conn, username)?;
    conn.transaction(|conn| {
        change(conn, &user.id)?;
        crate::store::audit::append(
            conn,
            &Event::new(actor, action, Outcome::Success, now).on("user", &user.id),
        )
    })?;
    Ok(())
}

/// Disables an account; its sessions end at once.
pub fn disable(
    conn: &mut DbConn,
    actor: &Actor,
    username: &str,
    now: NaiveDateTime,
) -> Result<(), AccountError> {
    change_account(conn, actor, username, "account.disable", now, |conn, id| store::disable(conn, id, now))
}

/// Removes an account's second factor (a lost phone): her sessions end, her
/// recovery codes go, and her next sign-in sets up a new one.
pub fn reset_second_factor(
    conn: &mut DbConn,
    actor: &Actor,
    username: &str,
    now: NaiveDateTime,
) -> Result<(), AccountError> {
    change_account(conn, actor, username, "account.reset_second_factor", now, |conn, id| {
        store::clear_second_factor(conn, id, now)
    })
}

/// Ends an account's password and sessions at once (the server's break-glass
/// path): its owner chooses a new one with the enrolment code returned once.
pub fn reset_password(
    conn: &mut DbConn,
    actor: &Actor,
    username: &str,
    now: NaiveDateTime,
) -> Result<Zeroizing<String>, AccountError> {
    let user = find(conn, username)?;
    conn.transaction(|conn| {
        crate::store::audit::append(
            conn,
            &Event::new(actor, "account.reset_password", Outcome::Success, now)
                .on("user", &user.id)
                .because("break_glass"),
        )?;
        super::enrolment::replace_password(conn, actor, &user.id, now)
    })
}

/// A user changes her own password; every session of hers ends, this one too.
pub fn change_password(
    conn: &mut DbConn,
    settings: &super::auth::AuthSettings,
    actor: &Actor,
    user: &UserView,
    current: &str,
    new: &str,
    now: NaiveDateTime,
) -> Result<(), AccountError> {
    set_own_password(conn, settings, actor, user, current, new, now, "account.change_password")?;
    Ok(())
}

/// A user whose password an administrator gave (a new account, a reset) chooses
/// her own: a different one, checked like any new password. Her other sessions
/// end; this one goes on under a new token, to the second-factor set-up where
/// one is needed and missing, else in full.
#[allow(clippy::too_many_arguments)]
pub fn choose_password(
    conn: &mut DbConn,
    settings: &super::auth::AuthSettings,
    actor: &Actor,
    user: &UserView,
    current: &str,
    new: &str,
    now: NaiveDateTime,
) -> Result<NewSession, AccountError> {
    if current == new {
        return Err(AccountError::Invalid(vec![field(
            "new_password",
            "choose a password other than the one you were given",
        )]));
    }
    let row = set_own_password(conn, settings, actor, user, current, new, now, "account.choose_password")?;
    Ok(conn.transaction(|conn| super::auth::session_after_password_choice(conn, settings, &row, now))?)
}

/// Checks the current password, sets the new one (ending every session of hers)
/// and clears any duty to change it, with its audit event, in one transaction.
#[allow(clippy::too_many_arguments)]
fn set_own_password(
    conn: &mut DbConn,
    settings: &super::auth::AuthSettings,
    actor: &Actor,
    user: &UserView,
    current: &str,
    new: &str,
    now: NaiveDateTime,
    action: &'static str,
) -> Result<store::UserRow, AccountError> {
    if super::auth::confirm_password(conn, settings, actor, user.id, current, now).is_err() {
        return Err(AccountError::Invalid(vec![field(
            "current_password",
            "the current password is not right",
        )]));
    }
    check_new_password(new, &[&user.username, &user.display_name])
        .map_err(|p| AccountError::Invalid(vec![field("new_password", p.to_string())]))?;
    let hash = hash_password(new)?;
    let id = user.id.to_string();
    conn.transaction(|conn| {
        store::set_password(conn, &id, &hash, now)?;
        store::set_must_change_password(conn, &id, false)?;
        crate::store::audit::append(
            conn,
            &Event::new(actor, action, Outcome::Success, now).on("user", user.id),
        )?;
        store::by_id(conn, &id)?.ok_or_else(|| AccountError::NotFound(user.username.clone()))
    })
}

/// One line of the account list.
#[derive(Debug, Clone)]
pub struct AccountSummary {
    pub user: UserView,
    pub state: AccountState,
    /// The name of the house of safe-house staff (the id when it has none).
    pub safe_house: Option<String>,
    /// She has yet to choose her own password.
    pub must_change_password: bool,
    /// The kind of change of this account that waits for a supervisor, if any.
    pub waiting: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountState {
    Active,
    Locked,
    Disabled,
    /// Made by an administrator, waiting for a supervisor's confirmation.
    AwaitingConfirmation,
    /// Its owner has yet to choose a password with her enrolment code.
    AwaitingEnrolment,
    /// Its enrolment code expired unused: a new one is needed (a password reset).
    EnrolmentExpired,
}

impl AccountState {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountState::Active => "active",
            AccountState::Locked => "locked",
            AccountState::Disabled => "disabled",
            AccountState::AwaitingConfirmation => "awaiting_confirmation",
            AccountState::AwaitingEnrolment => "awaiting_enrolment",
            AccountState::EnrolmentExpired => "enrolment_expired",
        }
    }
}

pub fn list(conn: &mut DbConn, now: NaiveDateTime) -> Result<Vec<AccountSummary>, AccountError> {
    let rows = store::all(conn)?;
    rows.iter()
        .map(|row| {
            let waiting = crate::store::account_changes::pending_of(conn, &row.id)?.map(|c| c.kind);
            let state = if row.disabled_at.is_some() {
                AccountState::Disabled
            } else if waiting.as_deref() == Some("create") {
                AccountState::AwaitingConfirmation
            } else if super::enrolment::awaits_enrolment(&row.password_hash) {
                match crate::store::account_changes::code_expiry(conn, &row.id)? {
                    Some(until) if until > now => AccountState::AwaitingEnrolment,
                    _ => AccountState::EnrolmentExpired,
                }
            } else if row.locked_until.is_some_and(|t| t > now) {
                AccountState::Locked
            } else {
                AccountState::Active
            };
            let safe_house = match &row.safe_house_id {
                Some(id) => {
                    Some(crate::store::placements::house(conn, id)?.map_or_else(|| id.clone(), |h| h.name))
                }
                None => None,
            };
            Ok(AccountSummary {
                user: user_view(conn, row)?,
                state,
                safe_house,
                must_change_password: row.must_change_password,
                waiting,
            })
        })
        .collect()
}

/// Ends every session of one account (a phone lost while signed in, a worker who
/// left a shared computer signed in): she signs in again; nothing else changes.
pub fn end_sessions(
    conn: &mut DbConn,
    actor: &Actor,
    username: &str,
    now: NaiveDateTime,
) -> Result<(), AccountError> {
    change_account(conn, actor, username, "account.end_sessions", now, |conn, id| {
        store::end_sessions(conn, id)
    })
}

/// Ends every session of every account (a suspected breach): everyone signs in
/// again. Returns how many sessions ended.
pub fn end_all_sessions(conn: &mut DbConn, actor: &Actor, now: NaiveDateTime) -> Result<usize, AccountError> {
    let ended = conn.transaction(|conn| {
        let ended = crate::store::sessions::delete_all(conn)?;
        crate::store::audit::append(
            conn,
            &Event::new(actor, "account.end_all_sessions", Outcome::Success, now),
        )?;
        Ok::<_, AccountError>(ended)
    })?;
    Ok(ended)
}
