//! The audit log (design §7): who did what to which record, when, with what outcome.
//! Append-only and hash-chained: each event's hash covers the previous hash and the
//! event's canonical encoding, so an edited, deleted or reordered row breaks the
//! chain at that row. Only ids and codes, never personal data: no names, no phone
//! numbers, no usernames, no free text typed by a user.

mod chain;

use chrono::NaiveDateTime;
use uuid::Uuid;

pub use chain::{Broken, GENESIS, StoredEvent, event_hash, verify_chain};

use crate::domain::role::Role;

/// Who acted: a signed-in user, or the system itself (a command, a scheduled job).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub role: Option<Role>,
    /// The request id of the HTTP request, or the command for the CLI (`cli:keys rotate`).
    pub request_id: Option<String>,
    /// The address the request came from (see `http::session::client_addr`).
    pub client_addr: Option<String>,
}

impl Actor {
    pub fn user(user_id: Uuid, role: Role, request_id: Option<String>) -> Self {
        Actor { user_id: Some(user_id), role: Some(role), request_id, client_addr: None }
    }

    /// A command run by an operator on the server: no user account, named by command.
    pub fn command(name: &str) -> Self {
        Actor { user_id: None, role: None, request_id: Some(format!("cli:{name}")), client_addr: None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// Refused by the access policies.
    Denied,
    /// Attempted and failed (a wrong password, a failed decryption).
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failure => "failure",
        }
    }
}

/// One event to append. `action` is a stable dotted name (`auth.login`,
/// `case.read`, `keys.rotate`); `reason` is a code or a short fixed text, never
/// something a user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: NaiveDateTime,
    pub actor: Actor,
    pub action: &'static str,
    pub resource: Option<(&'static str, String)>,
    pub outcome: Outcome,
    pub reason: Option<String>,
}

impl Event {
    pub fn new(actor: &Actor, action: &'static str, outcome: Outcome, at: NaiveDateTime) -> Self {
        Event { at, actor: actor.clone(), action, resource: None, outcome, reason: None }
    }

    pub fn on(mut self, resource_type: &'static str, id: impl ToString) -> Self {
        self.resource = Some((resource_type, id.to_string()));
        self
    }

    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
}
