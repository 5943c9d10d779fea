//! Two people to open a door (issue 17). An administrator manages accounts, but a
//! change that lets an account read cases or residents — a new social worker,
//! supervisor or safe-house staff, a wider role, commune or house, re-enabling, a
//! password or second-factor reset — waits until a supervisor (never the account's
//! owner, never whoever asked) confirms it. Where a new password is needed, the
//! one-time enrolment code goes to the confirming supervisor, never to the
//! administrator, who thus never holds a way into people's data.

use std::collections::{BTreeSet, HashMap};

use chrono::{Duration, NaiveDateTime};
use diesel::Connection;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::accounts::{
    AccountError, NewAccount, check_access, check_new_account, field, find, insert_account,
};
use super::auth::{UserView, user_view};
use super::enrolment::{self, UNUSABLE_PASSWORD};
use super::keys::Keys;
use crate::audit::{Actor, Event, Outcome};
use crate::authz::{AccountChangeFacts, Action, Policies, Principal, Resource};
use crate::domain::access::{Access, needs_new_credentials, widens};
use crate::domain::role::Role;
use crate::store::DbConn;
use crate::store::account_changes::{self as store, ChangeRow};
use crate::store::users::{self as user_store, UserRow};

/// What a waiting change asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Create,
    Widen,
    Enable,
    ResetPassword,
    ResetSecondFactor,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 5] = [
        ChangeKind::Create,
        ChangeKind::Widen,
        ChangeKind::Enable,
        ChangeKind::ResetPassword,
        ChangeKind::ResetSecondFactor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Create => "create",
            ChangeKind::Widen => "widen",
            ChangeKind::Enable => "enable",
            ChangeKind::ResetPassword => "reset_password",
            ChangeKind::ResetSecondFactor => "reset_second_factor",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// What an administrator's request came to.
#[derive(Debug)]
pub enum Requested {
    /// It waits for a supervisor's confirmation.
    Waiting,
    /// Done at once (it widens nobody's reach into people's data), with the
    /// enrolment code to hand over when one was issued.
    Done(Option<Zeroizing<String>>),
}

/// The role, communes and house an administrator asks an account to have.
#[derive(Debug, Clone)]
pub struct AccessRequest {
    pub role: Role,
    pub communes: Vec<String>,
    /// The house of safe-house staff: its id or exact name.
    pub safe_house_id: Option<String>,
}

fn requester(actor: &Actor) -> String {
    actor.user_id.map_or_else(|| "command".to_string(), |id| id.to_string())
}

fn access_of(conn: &mut DbConn, row: &UserRow) -> Result<Access, AccountError> {
    let view = user_view(conn, row)?;
    Ok(Access {
        role: view.role,
        communes: view.communes.into_iter().collect(),
        safe_house: view.safe_house_id,
        enabled: row.disabled_at.is_none(),
    })
}

fn role_of(row: &UserRow) -> Result<Role, AccountError> {
    row.role.parse().map_err(|_| AccountError::NotFound(row.username.clone()))
}

/// Creates an account asked for by an administrator. One that reads people waits,
/// unusable, for a supervisor; any other gets its enrolment code now.
pub fn request_create(
    conn: &mut DbConn,
    keys: &Keys,
    actor: &Actor,
    input: &NewAccount,
    now: NaiveDateTime,
) -> Result<(UserView, Requested), AccountError> {
    let checked = check_new_account(conn, &NewAccount { password: None, ..input.clone() }, now)?;
    conn.transaction(|conn| {
        let waits = checked.role.reads_people();
        let reason = if waits { "awaiting_confirmation" } else { "administrator" };
        let view = insert_account(conn, keys, actor, &checked, UNUSABLE_PASSWORD, reason, now)?;
        let requested = if waits {
            wait(conn, actor, &view.id.to_string(), ChangeKind::Create, None, now)?;
            Requested::Waiting
        } else {
            Requested::Done(Some(enrolment::issue(conn, actor, &view.id.to_string(), now)?))
        };
        Ok((view, requested))
    })
}

/// Records a waiting change and its audit event, inside the caller's transaction.
fn wait(
    conn: &mut DbConn,
    actor: &Actor,
    user_id: &str,
    kind: ChangeKind,
    asked: Option<(&AccessRequest, Option<&str>)>,
    now: NaiveDateTime,
) -> Result<(), AccountError> {
    if store::pending_of(conn, user_id)?.is_some() {
        return Err(AccountError::Invalid(vec![field(
            "account",
            "a change of this account already waits for a supervisor",
        )]));
    }
    let id = Uuid::now_v7().to_string();
    store::insert(
        conn,
        &ChangeRow {
            id: id.clone(),
            user_id: user_id.to_string(),
            kind: kind.as_str().into(),
            role: asked.map(|(a, _)| a.role.as_str().to_string()),
            communes: asked.map(|(a, _)| a.communes.join(" ")),
            safe_house_id: asked.and_then(|(_, house)| house.map(str::to_string)),
            requested_by: requester(actor),
            requested_at: now,
            status: "pending".into(),
            decided_by: None,
            decided_at: None,
        },
    )?;
    crate::store::audit::append(
        conn,
        &Event::new(actor, "account.request_change", Outcome::Success, now)
            .on("user", user_id)
            .because(kind.as_str()),
    )?;
    Ok(())
}

/// Either records the change as waiting, or (it widens nobody's reach) applies it
/// now with its audit event: one transaction either way.
fn wait_or_apply(
    conn: &mut DbConn,
    actor: &Actor,
    user: &UserRow,
    kind: ChangeKind,
    waits: bool,
    now: NaiveDateTime,
    apply: impl FnOnce(&mut DbConn) -> Result<Option<Zeroizing<String>>, AccountError>,
) -> Result<Requested, AccountError> {
    conn.transaction(|conn| {
        if waits {
            wait(conn, actor, &user.id, kind, None, now)?;
            return Ok(Requested::Waiting);
        }
        let code = apply(conn)?;
        crate::store::audit::append(
            conn,
            &Event::new(actor, applied_action(kind), Outcome::Success, now).on("user", &user.id),
        )?;
        Ok(Requested::Done(code))
    })
}

fn applied_action(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Create => "account.create",
        ChangeKind::Widen => "account.change_access",
        ChangeKind::Enable => "account.enable",
        ChangeKind::ResetPassword => "account.reset_password",
        ChangeKind::ResetSecondFactor => "account.reset_second_factor",
    }
}

/// A password reset asked by an administrator: the account's password and sessions
/// end when it is done, and a new enrolment code goes to whoever confirmed it (to
/// the administrator only for an account that reads nobody).
pub fn request_reset_password(
    conn: &mut DbConn,
    actor: &Actor,
    username: &str,
    now: NaiveDateTime,
) -> Result<Requested, AccountError> {
    let user = find(conn, username)?;
    let waits = role_of(&user)?.reads_people();
    wait_or_apply(conn, actor, &user, ChangeKind::ResetPassword, waits, now, |conn| {
        Ok(Some(enrolment::replace_password(conn, actor, &user.id, now)?))
    })
}

/// A second-factor reset (a lost phone) asked by an administrator.
pub fn request_reset_second_factor(
    conn: &mut DbConn,
    actor: &Actor,
    username: &str,
    now: NaiveDateTime,
) -> Result<Requested, AccountError> {
    let user = find(conn, username)?;
    let waits = role_of(&user)?.reads_people();
    wait_or_apply(conn, actor, &user, ChangeKind::ResetSecondFactor, waits, now, |conn| {
        user_store::clear_second_factor(conn, &user.id, now)?;
        Ok(None)
    })
}

/// Re-enabling a disabled account asked by an administrator.
pub fn request_enable(
    conn: &mut DbConn,
    actor: &Actor,
    username: &str,
    now: NaiveDateTime,
) -> Result<Requested, AccountError> {
    let user = find(conn, username)?;
    if user.disabled_at.is_none() {
        return Err(AccountError::Invalid(vec![field("account", "this account is not disabled")]));
    }
    let waits = role_of(&user)?.reads_people();
    wait_or_apply(conn, actor, &user, ChangeKind::Enable, waits, now, |conn| {
        store::enable(conn, &user.id, now)?;
        Ok(None)
    })
}

/// A change of role, communes or house asked by an administrator: it waits when it
/// widens the account's reach into people's data, else it is done at once.
pub fn request_access(
    conn: &mut DbConn,
    actor: &Actor,
    username: &str,
    asked: &AccessRequest,
    now: NaiveDateTime,
) -> Result<Requested, AccountError> {
    let user = find(conn, username)?;
    let (house, errors) =
        check_access(conn, asked.role, &asked.communes, asked.safe_house_id.as_deref(), now)?;
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    let before = access_of(conn, &user)?;
    let after = Access {
        role: asked.role,
        communes: asked.communes.iter().cloned().collect::<BTreeSet<_>>(),
        safe_house: house.clone(),
        enabled: before.enabled,
    };
    if after == before {
        return Err(AccountError::Invalid(vec![field("account", "nothing to change")]));
    }
    conn.transaction(|conn| {
        if widens(&before, &after) {
            wait(conn, actor, &user.id, ChangeKind::Widen, Some((asked, house.as_deref())), now)?;
            return Ok(Requested::Waiting);
        }
        store::set_access(conn, &user.id, asked.role.as_str(), &asked.communes, house.as_deref(), now)?;
        crate::store::audit::append(
            conn,
            &Event::new(actor, "account.change_access", Outcome::Success, now).on("user", &user.id),
        )?;
        Ok(Requested::Done(None))
    })
}

/// Who decides: a supervisor, asked through the policies.
pub struct Decider<'a> {
    pub principal: &'a Principal,
    pub policies: &'a Policies,
    pub actor: &'a Actor,
}

impl Decider<'_> {
    fn may_decide(&self, change: &ChangeRow) -> bool {
        self.policies.is_allowed(
            self.principal,
            Action::UserConfirmChange,
            &Resource::AccountChange(AccountChangeFacts {
                id: change.id.clone(),
                target: change.user_id.clone(),
                requested_by: change.requested_by.clone(),
                province: self.principal.province.clone(),
            }),
        )
    }

    /// Whether she may see the changes at all: as for a change of nobody's account
    /// asked by nobody.
    fn may_see_changes(&self) -> bool {
        self.may_decide(&ChangeRow {
            id: String::new(),
            user_id: String::new(),
            kind: String::new(),
            role: None,
            communes: None,
            safe_house_id: None,
            requested_by: String::new(),
            requested_at: NaiveDateTime::default(),
            status: String::new(),
            decided_by: None,
            decided_at: None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Confirm,
    Refuse,
}

/// A decided change: with the enrolment code to hand over in person, when one was issued.
pub struct Decided {
    pub username: String,
    pub kind: ChangeKind,
    pub decision: Decision,
    pub code: Option<Zeroizing<String>>,
    pub code_expires_at: Option<NaiveDateTime>,
}

/// A supervisor confirms or refuses a waiting change: the decision, what it does
/// and their audit events in one transaction. A change that is not waiting any
/// more is not found; one she may not decide (her own account, one she asked for)
/// is refused, and the refusal is recorded.
pub fn decide(
    conn: &mut DbConn,
    decider: &Decider<'_>,
    change_id: &str,
    decision: Decision,
    now: NaiveDateTime,
) -> Result<Decided, AccountError> {
    let not_found = || AccountError::NotFound("account change".into());
    if !decider.may_see_changes() {
        return Err(AccountError::Forbidden);
    }
    conn.transaction(|conn| {
        let change =
            store::by_id(conn, change_id)?.filter(|c| c.status == "pending").ok_or_else(not_found)?;
        let kind = ChangeKind::parse(&change.kind).ok_or_else(not_found)?;
        if !decider.may_decide(&change) {
            crate::store::audit::append(
                conn,
                &Event::new(decider.actor, "account.confirm_change", Outcome::Denied, now)
                    .on("user", &change.user_id)
                    .because("forbidden"),
            )?;
            return Ok(Err(AccountError::Forbidden));
        }
        let decided_by = requester(decider.actor);
        let status = if decision == Decision::Confirm { "confirmed" } else { "refused" };
        if !store::decide(conn, &change.id, status, &decided_by, now)? {
            return Err(not_found());
        }
        let user = user_store::by_id(conn, &change.user_id)?.ok_or_else(not_found)?;
        let code = match decision {
            Decision::Confirm => apply(conn, decider.actor, &change, kind, &user, now)?,
            Decision::Refuse => {
                if kind == ChangeKind::Create {
                    // A refused account never opens: it stays, disabled, for the record.
                    user_store::disable(conn, &user.id, now)?;
                }
                None
            }
        };
        let action =
            if decision == Decision::Confirm { "account.confirm_change" } else { "account.refuse_change" };
        crate::store::audit::append(
            conn,
            &Event::new(decider.actor, action, Outcome::Success, now)
                .on("user", &user.id)
                .because(kind.as_str()),
        )?;
        let code_expires_at = code.as_ref().map(|_| now + enrolment::CODE_LIFETIME);
        Ok(Ok(Decided { username: user.username, kind, decision, code, code_expires_at }))
    })?
}

/// Does what a confirmed change asks, inside the decision's transaction.
fn apply(
    conn: &mut DbConn,
    actor: &Actor,
    change: &ChangeRow,
    kind: ChangeKind,
    user: &UserRow,
    now: NaiveDateTime,
) -> Result<Option<Zeroizing<String>>, AccountError> {
    match kind {
        ChangeKind::Create | ChangeKind::ResetPassword => {
            Ok(Some(enrolment::replace_password(conn, actor, &user.id, now)?))
        }
        ChangeKind::ResetSecondFactor => {
            user_store::clear_second_factor(conn, &user.id, now)?;
            Ok(None)
        }
        ChangeKind::Enable => {
            store::enable(conn, &user.id, now)?;
            Ok(None)
        }
        ChangeKind::Widen => {
            let before = access_of(conn, user)?;
            let role: Role = change
                .role
                .as_deref()
                .and_then(|r| r.parse().ok())
                .ok_or_else(|| AccountError::NotFound("account change".into()))?;
            let communes: Vec<String> =
                change.communes.as_deref().unwrap_or("").split_whitespace().map(str::to_string).collect();
            store::set_access(
                conn,
                &user.id,
                role.as_str(),
                &communes,
                change.safe_house_id.as_deref(),
                now,
            )?;
            let after = Access {
                role,
                communes: communes.into_iter().collect(),
                safe_house: change.safe_house_id.clone(),
                enabled: before.enabled,
            };
            if needs_new_credentials(&before, &after) {
                user_store::clear_second_factor(conn, &user.id, now)?;
                return Ok(Some(enrolment::replace_password(conn, actor, &user.id, now)?));
            }
            Ok(None)
        }
    }
}

/// One change as a supervisor sees it: ids, names of staff, what is asked.
#[derive(Debug, Clone)]
pub struct ChangeView {
    pub id: String,
    pub kind: ChangeKind,
    pub username: String,
    pub display_name: String,
    /// The account's role now.
    pub role: Role,
    /// What a widening asks for.
    pub asked_role: Option<Role>,
    pub asked_communes: Vec<String>,
    pub asked_safe_house: Option<String>,
    /// The username of whoever asked (or the command).
    pub requested_by: String,
    pub requested_at: NaiveDateTime,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    /// Whether this supervisor may decide it (not her own account, not her request).
    pub may_decide: bool,
}

/// How far back the recently decided changes go, and how many are shown.
const RECENT: Duration = Duration::days(30);
const RECENT_LIMIT: i64 = 20;

/// The changes waiting for a supervisor, and those decided in the last 30 days.
pub fn waiting_and_recent(
    conn: &mut DbConn,
    decider: &Decider<'_>,
    now: NaiveDateTime,
) -> Result<(Vec<ChangeView>, Vec<ChangeView>), AccountError> {
    if !decider.may_see_changes() {
        return Err(AccountError::Forbidden);
    }
    let (waiting, recent) = store::waiting_and_recent(conn, now - RECENT, RECENT_LIMIT)?;
    let mut users: HashMap<String, UserRow> = HashMap::new();
    let mut view = |conn: &mut DbConn, row: ChangeRow| -> Result<Option<ChangeView>, AccountError> {
        for id in [Some(&row.user_id), Some(&row.requested_by), row.decided_by.as_ref()].into_iter().flatten()
        {
            if !users.contains_key(id)
                && let Some(found) = user_store::by_id(conn, id)?
            {
                users.insert(id.clone(), found);
            }
        }
        let Some(kind) = ChangeKind::parse(&row.kind) else { return Ok(None) };
        let Some(user) = users.get(&row.user_id) else { return Ok(None) };
        let name_of =
            |id: &str| users.get(id).map_or_else(|| format!("binhan ({id})"), |u| u.username.clone());
        Ok(Some(ChangeView {
            may_decide: row.status == "pending" && decider.may_decide(&row),
            id: row.id.clone(),
            kind,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: role_of(user)?,
            asked_role: row.role.as_deref().and_then(|r| r.parse().ok()),
            asked_communes: row
                .communes
                .as_deref()
                .unwrap_or("")
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            asked_safe_house: row.safe_house_id.clone(),
            requested_by: name_of(&row.requested_by),
            requested_at: row.requested_at,
            decided_by: row.decided_by.as_deref().map(name_of),
            status: row.status,
            decided_at: row.decided_at,
        }))
    };
    let mut waiting_views = Vec::new();
    for row in waiting {
        waiting_views.extend(view(conn, row)?);
    }
    let mut recent_views = Vec::new();
    for row in recent {
        recent_views.extend(view(conn, row)?);
    }
    Ok((waiting_views, recent_views))
}
