//! The demo's people: one account per role (from the journeys in
//! shared/JOURNEYS.md). Passwords and second-factor secrets are new at every demo
//! start and printed once; none is written in the code.

use chrono::NaiveDateTime;
use zeroize::Zeroizing;

use crate::crypto::random::random_bytes;
use crate::domain::role::Role;
use crate::services::accounts::{self, AccountError, NewAccount};
use crate::services::auth::enrol_with_secret;
use crate::services::keys::Keys;
use crate::store::DbConn;

/// The safe house Cô Mai runs (journey 2), registered by `create_safe_houses`.
pub const DEMO_SAFE_HOUSE: &str = "0199c0de-0000-7000-8000-000000000001";

/// Username, display name, role, communes, safe house.
type DemoPerson = (&'static str, &'static str, Role, &'static [&'static str], Option<&'static str>);

pub struct DemoAccount {
    pub role: Role,
    pub username: &'static str,
    pub display_name: &'static str,
    pub password: Zeroizing<String>,
    /// Base32, for an authenticator app, where the role needs a second factor.
    pub second_factor_secret: Option<Zeroizing<String>>,
}

/// Creates the demo accounts of everyone but the safe-house staff: Chị Hạnh
/// (social worker of Thành Sen and Trần Phú), anh Dũng (supervisor), Bà Thu
/// (committee) and an administrator. Cô Mai's account comes with her house
/// ([`create_house_staff`], once the administrator has registered it).
///
/// Demo passwords are generated, printed, and kept: the demo's people are
/// fictional and sign in with what the demo printed, so none of them is asked to
/// choose a new one.
pub fn create_accounts(
    conn: &mut DbConn,
    keys: &Keys,
    now: NaiveDateTime,
) -> Result<Vec<DemoAccount>, AccountError> {
    let people: [DemoPerson; 4] = [
        ("hanh", "Nguyễn Thị Hạnh", Role::SocialWorker, &["18073", "18100"], None),
        ("dung", "Trần Văn Dũng", Role::Supervisor, &[], None),
        ("thu", "Phạm Thị Thu", Role::CommitteeMember, &[], None),
        ("quantri", "Quản trị hệ thống", Role::Admin, &[], None),
    ];
    people.into_iter().map(|person| create_person(conn, keys, person, now)).collect()
}

/// Cô Mai (safe-house staff of [`DEMO_SAFE_HOUSE`], which must be registered).
pub fn create_house_staff(
    conn: &mut DbConn,
    keys: &Keys,
    now: NaiveDateTime,
) -> Result<DemoAccount, AccountError> {
    create_person(conn, keys, ("mai", "Lê Thị Mai", Role::SafeHouseStaff, &[], Some(DEMO_SAFE_HOUSE)), now)
}

fn create_person(
    conn: &mut DbConn,
    keys: &Keys,
    (username, display_name, role, communes, safe_house): DemoPerson,
    now: NaiveDateTime,
) -> Result<DemoAccount, AccountError> {
    let input = NewAccount {
        username: username.into(),
        display_name: display_name.into(),
        role,
        communes: communes.iter().map(|c| c.to_string()).collect(),
        safe_house_id: safe_house.map(str::to_string),
        password: None,
        enrolment_code: false,
    };
    let (user, password) = accounts::create(conn, keys, &crate::audit::Actor::command("demo"), &input, now)?;
    let second_factor_secret = if role.requires_second_factor() {
        let secret = random_bytes(20).map_err(|e| AccountError::Auth(e.into()))?;
        Some(enrol_with_secret(conn, keys, user.id, &secret, now)?)
    } else {
        None
    };
    Ok(DemoAccount {
        role,
        username,
        display_name,
        password: password.unwrap_or_default(),
        second_factor_secret,
    })
}
