//! How far an account reaches into people's data, and whether a change of it
//! widens that reach. An administrator alone may narrow an account; a change that
//! widens one waits for a supervisor's confirmation (issue 17).

use std::collections::BTreeSet;

use super::role::Role;

/// What an account may reach: its role and its scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub role: Role,
    pub communes: BTreeSet<String>,
    pub safe_house: Option<String>,
    pub enabled: bool,
}

impl Access {
    /// Whether this account can read cases or residents at all.
    pub fn reads_people(&self) -> bool {
        self.enabled && self.role.reads_people()
    }
}

/// Whether going from `before` to `after` lets the account read people it could
/// not read before. Any change of role into a role that reads people counts, even
/// one that looks narrower (a supervisor made a social worker): the rule stays
/// simple enough to check by eye, and a supervisor's confirmation costs little.
pub fn widens(before: &Access, after: &Access) -> bool {
    if !after.reads_people() {
        return false;
    }
    if !before.reads_people() || before.role != after.role {
        return true;
    }
    !after.communes.is_subset(&before.communes) || after.safe_house != before.safe_house
}

/// Whether confirming the change must also give the account new credentials: an
/// account that did not read people had credentials an administrator could have
/// held (its enrolment code was shown to her), so they must not carry over into a
/// role that reads people.
pub fn needs_new_credentials(before: &Access, after: &Access) -> bool {
    after.role.reads_people() && !before.role.reads_people()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn access(role: Role, communes: &[&str], house: Option<&str>, enabled: bool) -> Access {
        Access {
            role,
            communes: communes.iter().map(|c| (*c).to_string()).collect(),
            safe_house: house.map(str::to_string),
            enabled,
        }
    }

    #[test]
    fn a_worker_given_a_second_commune_is_widened() {
        let before = access(Role::SocialWorker, &["43001"], None, true);
        let after = access(Role::SocialWorker, &["43001", "43002"], None, true);
        assert!(widens(&before, &after));
        assert!(!needs_new_credentials(&before, &after));
    }

    #[test]
    fn a_worker_losing_a_commune_is_narrowed() {
        let before = access(Role::SocialWorker, &["43001", "43002"], None, true);
        let after = access(Role::SocialWorker, &["43002"], None, true);
        assert!(!widens(&before, &after));
    }

    #[test]
    fn a_committee_member_made_a_social_worker_is_widened_and_needs_new_credentials() {
        let before = access(Role::CommitteeMember, &["43001"], None, true);
        let after = access(Role::SocialWorker, &["43001"], None, true);
        assert!(widens(&before, &after));
        assert!(needs_new_credentials(&before, &after));
    }

    #[test]
    fn re_enabling_a_worker_is_widening_and_re_enabling_an_administrator_is_not() {
        let worker = access(Role::SocialWorker, &["43001"], None, false);
        assert!(widens(&worker, &Access { enabled: true, ..worker.clone() }));
        let admin = access(Role::Admin, &[], None, false);
        assert!(!widens(&admin, &Access { enabled: true, ..admin.clone() }));
    }

    #[test]
    fn moving_staff_to_another_house_is_widening() {
        let before = access(Role::SafeHouseStaff, &[], Some("house-a"), true);
        let after = access(Role::SafeHouseStaff, &[], Some("house-b"), true);
        assert!(widens(&before, &after));
    }

    fn any_role() -> impl Strategy<Value = Role> {
        proptest::sample::select(Role::ALL.to_vec())
    }

    fn any_access() -> impl Strategy<Value = Access> {
        (
            any_role(),
            proptest::collection::btree_set("4300[0-5]", 0..4),
            proptest::option::of("house-[ab]"),
            any::<bool>(),
        )
            .prop_map(|(role, communes, safe_house, enabled)| Access {
                role,
                communes,
                safe_house,
                enabled,
            })
    }

    proptest! {
        #[test]
        fn no_change_widens(a in any_access()) {
            prop_assert!(!widens(&a, &a));
        }

        #[test]
        fn a_change_into_a_role_that_reads_nobody_never_widens(a in any_access(), b in any_access()) {
            prop_assume!(!b.role.reads_people());
            prop_assert!(!widens(&a, &b));
        }

        #[test]
        fn disabling_never_widens(a in any_access(), b in any_access()) {
            let disabled = Access { enabled: false, ..b };
            prop_assert!(!widens(&a, &disabled));
        }

        /// Whatever the change, an account that ends up reading someone it could
        /// not read before went through a widening change.
        #[test]
        fn every_gain_of_reach_is_a_widening(a in any_access(), b in any_access()) {
            let gains = b.reads_people()
                && (!a.reads_people()
                    || a.role != b.role
                    || b.communes.iter().any(|c| !a.communes.contains(c))
                    || b.safe_house != a.safe_house);
            prop_assert_eq!(gains, widens(&a, &b));
        }
    }
}
