//! Authorization: the Cedar policies of `policies/` decide who may do what to which
//! record (design §6). Deny by default: only a `permit` opens a door, and the
//! `forbid` rules of `policies/hard-lines.cedar` close some for good.
//!
//! Two questions are asked here: "may this user do this to that?" ([`Policies::is_allowed`],
//! with [`Policies::require`] turning a refusal into 404 or 403), and "which rows may
//! this user list?" ([`scope`]), which lists apply in SQL before each row is
//! checked against the policies too.

mod entities;
mod load;
pub mod scope;

use cedar_policy::{Authorizer, Context, Decision, PolicySet, Request, Schema};

pub use entities::{CaseFacts, PlacementFacts, Principal, ReportFacts, Resource, SafeHouseFacts};
pub use load::{PolicyError, PolicySource};

use crate::error::AppError;

/// Every action of the schema, by its name in the policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    CaseRead,
    CaseCreate,
    CaseUpdate,
    CaseTransition,
    CaseRequestClosure,
    CaseRecordConsent,
    CaseRecordNote,
    CaseRefer,
    CaseRequestPlacement,
    CaseApprove,
    CaseOverrideConsent,
    CaseReassign,
    CaseErase,
    PlacementRead,
    PlacementAccept,
    PlacementDecline,
    PlacementCheckIn,
    PlacementCheckOut,
    PlacementCancel,
    PlacementReadIdentity,
    PlacementReadAddress,
    SafeHouseReadAvailability,
    SafeHouseReadAddress,
    SafeHouseManage,
    StatsRead,
    ReportRead,
    ReportExport,
    UserManage,
    AuditVerify,
}

impl Action {
    pub const ALL: [Action; 29] = [
        Action::CaseRead,
        Action::CaseCreate,
        Action::CaseUpdate,
        Action::CaseTransition,
        Action::CaseRequestClosure,
        Action::CaseRecordConsent,
        Action::CaseRecordNote,
        Action::CaseRefer,
        Action::CaseRequestPlacement,
        Action::CaseApprove,
        Action::CaseOverrideConsent,
        Action::CaseReassign,
        Action::CaseErase,
        Action::PlacementRead,
        Action::PlacementAccept,
        Action::PlacementDecline,
        Action::PlacementCheckIn,
        Action::PlacementCheckOut,
        Action::PlacementCancel,
        Action::PlacementReadIdentity,
        Action::PlacementReadAddress,
        Action::SafeHouseReadAvailability,
        Action::SafeHouseReadAddress,
        Action::SafeHouseManage,
        Action::StatsRead,
        Action::ReportRead,
        Action::ReportExport,
        Action::UserManage,
        Action::AuditVerify,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::CaseRead => "case.read",
            Action::CaseCreate => "case.create",
            Action::CaseUpdate => "case.update",
            Action::CaseTransition => "case.transition",
            Action::CaseRequestClosure => "case.request_closure",
            Action::CaseRecordConsent => "case.record_consent",
            Action::CaseRecordNote => "case.record_note",
            Action::CaseRefer => "case.refer",
            Action::CaseRequestPlacement => "case.request_placement",
            Action::CaseApprove => "case.approve",
            Action::CaseOverrideConsent => "case.override_consent",
            Action::CaseReassign => "case.reassign",
            Action::CaseErase => "case.erase",
            Action::PlacementRead => "placement.read",
            Action::PlacementAccept => "placement.accept",
            Action::PlacementDecline => "placement.decline",
            Action::PlacementCheckIn => "placement.check_in",
            Action::PlacementCheckOut => "placement.check_out",
            Action::PlacementCancel => "placement.cancel",
            Action::PlacementReadIdentity => "placement.read_identity",
            Action::PlacementReadAddress => "placement.read_address",
            Action::SafeHouseReadAvailability => "safe_house.read_availability",
            Action::SafeHouseReadAddress => "safe_house.read_address",
            Action::SafeHouseManage => "safe_house.manage",
            Action::StatsRead => "stats.read",
            Action::ReportRead => "report.read",
            Action::ReportExport => "report.export",
            Action::UserManage => "user.manage",
            Action::AuditVerify => "audit.verify",
        }
    }

    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// The validated policies and schema, ready to answer.
pub struct Policies {
    schema: Schema,
    set: PolicySet,
    authorizer: Authorizer,
    /// Check every request's entities against the schema too. Off in service: the
    /// entities are built by this module's own code, and the tests (with this on)
    /// prove that code matches the schema for every kind of resource.
    check_entities: bool,
}

impl Policies {
    /// Loads and strictly validates the policies; an invalid policy is an error
    /// carrying the validator's message.
    pub fn load(source: &PolicySource) -> Result<Self, PolicyError> {
        let (schema, set) = load::load(source)?;
        Ok(Policies { schema, set, authorizer: Authorizer::new(), check_entities: false })
    }

    /// The same policies, checking every request's entities against the schema
    /// (for tests: a request that does not fit the schema is then refused).
    pub fn checking_entities(mut self) -> Self {
        self.check_entities = true;
        self
    }

    /// Whether `principal` may do `action` to `resource`. Anything that cannot be
    /// asked (a resource kind the action does not apply to) is a refusal.
    pub fn is_allowed(&self, principal: &Principal, action: Action, resource: &Resource) -> bool {
        let checked = if self.check_entities { Some(&self.schema) } else { None };
        let Ok((entities, principal_uid, resource_uid)) = entities::build(principal, resource, checked)
        else {
            return false;
        };
        let Ok(request) = Request::new(
            principal_uid,
            entities::action_uid(action),
            resource_uid,
            Context::empty(),
            checked,
        ) else {
            return false;
        };
        self.authorizer.is_authorized(&request, &self.set, &entities).decision() == Decision::Allow
    }

    /// Allows the action, or answers as design §6 says: 404 when the user may not
    /// even see the record (as if it did not exist), 403 when she may see it but not
    /// do this.
    pub fn require(
        &self,
        principal: &Principal,
        action: Action,
        resource: &Resource,
    ) -> Result<(), AppError> {
        if self.is_allowed(principal, action, resource) {
            return Ok(());
        }
        match resource.read_action() {
            Some(read) if read != action && self.is_allowed(principal, read, resource) => {
                Err(AppError::Forbidden)
            }
            Some(_) => Err(AppError::NotFound),
            None => Err(AppError::Forbidden),
        }
    }
}
