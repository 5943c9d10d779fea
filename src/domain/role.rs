//! The five kinds of people who sign in (design §1). A survivor is never a user.

use std::fmt;
use std::str::FromStr;

/// What a signed-in person may do is decided by the policies from this role and a
/// scope; the role alone also picks the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Commune social worker (cán bộ xã): cases of her communes and her own cases.
    SocialWorker,
    /// Provincial case supervisor (cán bộ giám sát).
    Supervisor,
    /// Staff of one safe house (nhân viên nhà tạm lánh).
    SafeHouseStaff,
    /// Member of the Committee for the Advancement of Women: statistics only.
    CommitteeMember,
    /// System administrator (quản trị hệ thống): accounts and settings, never a case.
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] =
        [Role::SocialWorker, Role::Supervisor, Role::SafeHouseStaff, Role::CommitteeMember, Role::Admin];

    /// The stable name used in the database, the policies and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::SocialWorker => "social_worker",
            Role::Supervisor => "supervisor",
            Role::SafeHouseStaff => "safe_house_staff",
            Role::CommitteeMember => "committee_member",
            Role::Admin => "admin",
        }
    }

    /// Design §5: a second factor is required for these roles (a deployment may
    /// require it for everyone).
    pub fn requires_second_factor(self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin | Role::CommitteeMember)
    }

    /// Whether an account of this role can read cases or residents: who holds one
    /// is decided by two people, an administrator and a supervisor (issue 17).
    pub fn reads_people(self) -> bool {
        matches!(self, Role::SocialWorker | Role::Supervisor | Role::SafeHouseStaff)
    }

    /// Whether an account of this role works in communes: a social worker in at
    /// least one, a committee member of a commune in hers (without any she is of the
    /// province); a supervisor, safe-house staff and an administrator in none (their
    /// scope is the province, the house, the system).
    pub fn communes(self) -> CommuneRule {
        match self {
            Role::SocialWorker => CommuneRule::AtLeastOne,
            Role::CommitteeMember => CommuneRule::Optional,
            Role::Supervisor | Role::SafeHouseStaff | Role::Admin => CommuneRule::None,
        }
    }

    /// Safe-house staff belong to exactly one house; nobody else to any.
    pub fn belongs_to_a_safe_house(self) -> bool {
        self == Role::SafeHouseStaff
    }
}

/// How many communes an account of a role has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommuneRule {
    AtLeastOne,
    Optional,
    None,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role {0:?}: expected social_worker, supervisor, safe_house_staff, committee_member or admin"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|role| role.as_str() == text).ok_or_else(|| UnknownRole(text.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_from_its_stable_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
    }

    #[test]
    fn an_unknown_role_name_is_refused_with_the_expected_names() {
        let err = "root".parse::<Role>().unwrap_err();
        assert!(err.to_string().contains("social_worker"));
    }

    #[test]
    fn only_staff_have_a_house_and_only_workers_and_committee_members_communes() {
        let housed: Vec<Role> = Role::ALL.into_iter().filter(|r| r.belongs_to_a_safe_house()).collect();
        assert_eq!(housed, [Role::SafeHouseStaff]);
        let with_communes: Vec<(Role, CommuneRule)> = Role::ALL
            .into_iter()
            .map(|r| (r, r.communes()))
            .filter(|(_, c)| *c != CommuneRule::None)
            .collect();
        assert_eq!(
            with_communes,
            [(Role::SocialWorker, CommuneRule::AtLeastOne), (Role::CommitteeMember, CommuneRule::Optional)]
        );
    }

    #[test]
    fn supervisors_admins_and_committee_members_need_a_second_factor() {
        let needing: Vec<Role> = Role::ALL.into_iter().filter(|r| r.requires_second_factor()).collect();
        assert_eq!(needing, [Role::Supervisor, Role::CommitteeMember, Role::Admin]);
    }
}
