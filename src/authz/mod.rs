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

pub use entities::{
    AccountChangeFacts, CaseFacts, PlacementFacts, Principal, ReportFacts, Resource, SafeHouseFacts,
};
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
    CaseReconcileDuplicate,
    PlacementRead,
    PlacementAccept,
    PlacementDecline,
    PlacementCheckIn,
    PlacementCheckOut,
    PlacementCancel,
    PlacementReadIdentity,
    PlacementReadAddress,
    PlacementNote,
    PlacementReadNotes,
    SafeHouseReadAvailability,
    SafeHouseReadAddress,
    SafeHouseManage,
    StatsRead,
    ReportRead,
    ReportExport,
    UserManage,
    UserConfirmChange,
    AuditVerify,
    CaseReadAccessLog,
}

impl Action {
    pub const ALL: [Action; 34] = [
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
        Action::CaseReconcileDuplicate,
        Action::PlacementRead,
        Action::PlacementAccept,
        Action::PlacementDecline,
        Action::PlacementCheckIn,
        Action::PlacementCheckOut,
        Action::PlacementCancel,
        Action::PlacementReadIdentity,
        Action::PlacementReadAddress,
        Action::PlacementNote,
        Action::PlacementReadNotes,
        Action::SafeHouseReadAvailability,
        Action::SafeHouseReadAddress,
        Action::SafeHouseManage,
        Action::StatsRead,
        Action::ReportRead,
        Action::ReportExport,
        Action::UserManage,
        Action::UserConfirmChange,
        Action::AuditVerify,
        Action::CaseReadAccessLog,
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
            Action::CaseReconcileDuplicate => "case.reconcile_duplicate",
            Action::PlacementRead => "placement.read",
            Action::PlacementAccept => "placement.accept",
            Action::PlacementDecline => "placement.decline",
            Action::PlacementCheckIn => "placement.check_in",
            Action::PlacementCheckOut => "placement.check_out",
            Action::PlacementCancel => "placement.cancel",
            Action::PlacementReadIdentity => "placement.read_identity",
            Action::PlacementReadAddress => "placement.read_address",
            Action::PlacementNote => "placement.note",
            Action::PlacementReadNotes => "placement.read_notes",
            Action::SafeHouseReadAvailability => "safe_house.read_availability",
            Action::SafeHouseReadAddress => "safe_house.read_address",
            Action::SafeHouseManage => "safe_house.manage",
            Action::StatsRead => "stats.read",
            Action::ReportRead => "report.read",
            Action::ReportExport => "report.export",
            Action::UserManage => "user.manage",
            Action::UserConfirmChange => "user.confirm_change",
            Action::CaseReadAccessLog => "case.read_access_log",
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
    /// Whether some policy names one case (`BinhAn::Case::"…"`).
    names_a_case: bool,
}

impl Policies {
    /// Loads and strictly validates the policies; an invalid policy is an error
    /// carrying the validator's message.
    pub fn load(source: &PolicySource) -> Result<Self, PolicyError> {
        let (schema, set) = load::load(source)?;
        // Read from each policy's JSON form, where an entity literal is always
        // `{"type":"BinhAn::Case","id":…}` however the source was spaced; a policy
        // that cannot be written as JSON counts as naming one.
        let names_a_case = set
            .policies()
            .any(|p| p.to_json().map_or(true, |json| json.to_string().contains(r#""type":"BinhAn::Case""#)));
        Ok(Policies { schema, set, authorizer: Authorizer::new(), check_entities: false, names_a_case })
    }

    /// Whether a decision about a case may depend on which case it is, not only on
    /// its attributes (commune, assignee, child, status): only when a policy names
    /// one case. When none does, a list decides once for all cases alike.
    pub fn names_a_case(&self) -> bool {
        self.names_a_case
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
        !self.allowed_among(principal, &[action], resource).is_empty()
    }

    /// Which of `actions` `principal` may do to `resource`, in their order: the
    /// entities are built once for all the questions (a case page asks for each
    /// button).
    pub fn allowed_among(
        &self,
        principal: &Principal,
        actions: &[Action],
        resource: &Resource,
    ) -> Vec<Action> {
        let checked = if self.check_entities { Some(&self.schema) } else { None };
        let Ok((entities, principal_uid, resource_uid)) = entities::build(principal, resource, checked)
        else {
            return Vec::new();
        };
        actions
            .iter()
            .copied()
            .filter(|action| {
                Request::new(
                    principal_uid.clone(),
                    entities::action_uid(*action),
                    resource_uid.clone(),
                    Context::empty(),
                    checked,
                )
                .is_ok_and(|request| {
                    self.authorizer.is_authorized(&request, &self.set, &entities).decision()
                        == Decision::Allow
                })
            })
            .collect()
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
