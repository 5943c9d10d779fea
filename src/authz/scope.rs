//! Which rows a user may list, as a filter the store applies in SQL. Each row a
//! list returns is then checked against the policies as well; a property test
//! proves the two agree.

use super::Principal;
use crate::domain::role::Role;

/// The cases a user may list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseScope {
    /// Every case of the province (supervisors).
    Province(String),
    /// Cases in these communes, and cases assigned to this user (social workers).
    CommunesOrAssigned { communes: Vec<String>, user_id: String },
    /// None at all (committee members, administrators, safe-house staff).
    Nothing,
}

pub fn cases(principal: &Principal) -> CaseScope {
    match principal.role {
        Role::Supervisor => CaseScope::Province(principal.province.clone()),
        Role::SocialWorker => CaseScope::CommunesOrAssigned {
            communes: principal.communes.clone(),
            user_id: principal.id.clone(),
        },
        Role::SafeHouseStaff | Role::CommitteeMember | Role::Admin => CaseScope::Nothing,
    }
}
