//! The facts a decision needs, turned into Cedar entities: the user (with her role
//! as parent) and the one record asked about. Nothing else is loaded, so a policy
//! can only ever look at what is written here: no name, no story.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use cedar_policy::{Entities, Entity, EntityId, EntityTypeName, EntityUid, RestrictedExpression, Schema};

use super::Action;
use crate::domain::role::Role;

/// Who asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub id: String,
    pub role: Role,
    pub communes: Vec<String>,
    pub safe_house: Option<String>,
    pub province: String,
}

impl Principal {
    pub fn of(user: &crate::services::auth::UserView, province: &str) -> Self {
        Principal {
            id: user.id.to_string(),
            role: user.role,
            communes: user.communes.clone(),
            safe_house: user.safe_house_id.clone(),
            province: province.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub id: String,
    pub commune: String,
    pub province: String,
    pub assigned_to: Option<String>,
    pub child: bool,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementFacts {
    pub id: String,
    pub safe_house: String,
    pub case_commune: String,
    pub case_assigned_to: Option<String>,
    pub province: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeHouseFacts {
    pub id: String,
    pub province: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFacts {
    pub province: String,
    /// The communes the report covers; empty for the whole province.
    pub communes: Vec<String>,
}

/// A change of an account waiting for a supervisor (ids only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountChangeFacts {
    pub id: String,
    /// The account changed.
    pub target: String,
    /// Who asked for the change (a user id, or the command that did).
    pub requested_by: String,
    pub province: String,
}

/// What is asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    Case(CaseFacts),
    Placement(PlacementFacts),
    SafeHouse(SafeHouseFacts),
    Report(ReportFacts),
    UserAccount,
    AccountChange(AccountChangeFacts),
    AuditLog,
}

impl Resource {
    /// The action that decides whether the record is visible at all: refused, the
    /// record answers 404 as if it did not exist. Resources that are not records of
    /// someone's scope have none (a refusal there is a plain 403).
    pub fn read_action(&self) -> Option<Action> {
        match self {
            Resource::Case(_) => Some(Action::CaseRead),
            Resource::Placement(_) => Some(Action::PlacementRead),
            Resource::SafeHouse(_) => Some(Action::SafeHouseReadAvailability),
            Resource::Report(_) | Resource::UserAccount | Resource::AccountChange(_) | Resource::AuditLog => {
                None
            }
        }
    }
}

fn uid(kind: &str, id: &str) -> Result<EntityUid, String> {
    let kind = EntityTypeName::from_str(&format!("BinhAn::{kind}")).map_err(|e| e.to_string())?;
    Ok(EntityUid::from_type_name_and_id(kind, EntityId::new(id)))
}

pub(super) fn action_uid(action: Action) -> EntityUid {
    // The action names are the schema's own, so this always parses; a failure
    // would be caught by the policy tests, which ask every action.
    uid_or_placeholder("Action", action.as_str())
}

fn uid_or_placeholder(kind: &str, id: &str) -> EntityUid {
    uid(kind, id).unwrap_or_else(|_| {
        EntityUid::from_type_name_and_id(
            EntityTypeName::from_str("BinhAn::Unknown").unwrap_or_else(|_| unreachable!("a valid type name")),
            EntityId::new(id),
        )
    })
}

fn text(value: &str) -> RestrictedExpression {
    RestrictedExpression::new_string(value.to_string())
}

fn set(values: &[String]) -> RestrictedExpression {
    RestrictedExpression::new_set(values.iter().map(|v| text(v)))
}

fn entity(
    uid: EntityUid,
    attrs: Vec<(&str, RestrictedExpression)>,
    parents: HashSet<EntityUid>,
) -> Result<Entity, String> {
    let attrs: HashMap<String, RestrictedExpression> =
        attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    Entity::new(uid, attrs, parents).map_err(|e| e.to_string())
}

/// The entities of one decision: the user, her role, and the resource.
/// With `schema`, the entities are checked against it (the tests do, for every
/// kind of resource); without, they are trusted as built here, which is what a
/// request does: their shape is fixed by this code, not by input.
pub(super) fn build(
    principal: &Principal,
    resource: &Resource,
    schema: Option<&Schema>,
) -> Result<(Entities, EntityUid, EntityUid), String> {
    let role = uid("Role", principal.role.as_str())?;
    let user_uid = uid("User", &principal.id)?;
    let user = entity(
        user_uid.clone(),
        vec![
            ("id", text(&principal.id)),
            ("communes", set(&principal.communes)),
            ("safe_house", text(principal.safe_house.as_deref().unwrap_or(""))),
            ("province", text(&principal.province)),
        ],
        HashSet::from([role.clone()]),
    )?;
    let (resource_uid, resource_entity) = match resource {
        Resource::Case(c) => {
            let id = uid("Case", &c.id)?;
            let e = entity(
                id.clone(),
                vec![
                    ("commune", text(&c.commune)),
                    ("province", text(&c.province)),
                    ("assigned_to", text(c.assigned_to.as_deref().unwrap_or(""))),
                    ("child", RestrictedExpression::new_bool(c.child)),
                    ("status", text(&c.status)),
                ],
                HashSet::new(),
            )?;
            (id, e)
        }
        Resource::Placement(p) => {
            let id = uid("Placement", &p.id)?;
            let e = entity(
                id.clone(),
                vec![
                    ("safe_house", text(&p.safe_house)),
                    ("case_commune", text(&p.case_commune)),
                    ("case_assigned_to", text(p.case_assigned_to.as_deref().unwrap_or(""))),
                    ("province", text(&p.province)),
                    ("status", text(&p.status)),
                ],
                HashSet::new(),
            )?;
            (id, e)
        }
        Resource::SafeHouse(h) => {
            let id = uid("SafeHouse", &h.id)?;
            let e = entity(
                id.clone(),
                vec![("id", text(&h.id)), ("province", text(&h.province))],
                HashSet::new(),
            )?;
            (id, e)
        }
        Resource::Report(r) => {
            let id = uid("Report", "request")?;
            let e = entity(
                id.clone(),
                vec![("province", text(&r.province)), ("communes", set(&r.communes))],
                HashSet::new(),
            )?;
            (id, e)
        }
        Resource::UserAccount => {
            let id = uid("UserAccount", "accounts")?;
            (id.clone(), Entity::new_no_attrs(id, HashSet::new()))
        }
        Resource::AccountChange(c) => {
            let id = uid("AccountChange", &c.id)?;
            let e = entity(
                id.clone(),
                vec![
                    ("target", text(&c.target)),
                    ("requested_by", text(&c.requested_by)),
                    ("province", text(&c.province)),
                ],
                HashSet::new(),
            )?;
            (id, e)
        }
        Resource::AuditLog => {
            let id = uid("AuditLog", "log")?;
            (id.clone(), Entity::new_no_attrs(id, HashSet::new()))
        }
    };
    let role_entity = Entity::new_no_attrs(role, HashSet::new());
    let entities =
        Entities::from_entities([user, role_entity, resource_entity], schema).map_err(|e| e.to_string())?;
    Ok((entities, user_uid, resource_uid))
}
