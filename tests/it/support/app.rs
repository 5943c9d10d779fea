//! The real actix app over a test database, and the people who use it.

use binhan::config::Config;
use binhan::domain::role::Role;
use binhan::http::AppState;
use binhan::services::accounts::{self, NewAccount};
use binhan::services::auth::UserView;
use chrono::Utc;
use zeroize::Zeroizing;

use super::db::TestDb;

pub fn config(db: &TestDb) -> Config {
    let mut config = Config::for_data_dir(db.data_dir());
    // Tests talk plain HTTP to the in-process app, as a browser does to 127.0.0.1.
    config.cookie_secure = true;
    config
}

pub fn state(db: &TestDb) -> AppState {
    AppState::new(db.pool(), config(db), db.keys(), policies())
}

pub fn state_with(db: &TestDb, change: impl FnOnce(&mut Config)) -> AppState {
    let mut config = config(db);
    change(&mut config);
    AppState::new(db.pool(), config, db.keys(), policies())
}

/// A password every test account uses: long, unrelated words.
pub const PASSWORD: &str = "lúa chín vàng đồng quê";

/// Creates an account of `role` with the test password. Social workers work in
/// Thành Sen (18073); safe-house staff belong to the house `house-1` (registered
/// here when it is not yet).
pub fn account(db: &TestDb, conn: &mut binhan::store::DbConn, username: &str, role: Role) -> UserView {
    if role == Role::SafeHouseStaff {
        test_house(conn, "house-1");
    }
    let input = NewAccount {
        username: username.into(),
        display_name: format!("Người dùng {username}"),
        role,
        communes: if role == Role::SocialWorker { vec!["18073".into()] } else { Vec::new() },
        safe_house_id: (role == Role::SafeHouseStaff).then(|| "house-1".to_string()),
        password: Some(Zeroizing::new(PASSWORD.into())),
        enrolment_code: false,
    };
    accounts::create(conn, &db.keys(), &binhan::audit::Actor::command("test"), &input, Utc::now().naive_utc())
        .expect("account")
        .0
}

/// A house row with a fixed id, written directly (no sealed address): for tests
/// whose staff member needs a house and nothing more.
pub fn test_house(conn: &mut binhan::store::DbConn, id: &str) {
    use binhan::store::placements::{HouseRow, house, insert_house};
    if house(conn, id).expect("houses").is_some() {
        return;
    }
    let now = Utc::now().naive_utc();
    let row = HouseRow {
        id: id.into(),
        name: format!("Nhà thử {id}"),
        commune_code: "18073".into(),
        kind: "trusted_address".into(),
        capacity: 2,
        accepts_children: true,
        accessible: false,
        active: true,
        address: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    insert_house(conn, &row).expect("test house");
}

/// The built-in access policies.
pub fn policies() -> binhan::authz::Policies {
    binhan::authz::Policies::load(&binhan::authz::PolicySource::BuiltIn).expect("valid policies")
}

/// Case work as `user`, now.
pub fn caller(db: &TestDb, user: &UserView) -> binhan::services::cases::access::Caller {
    use std::sync::Arc;
    binhan::services::cases::access::Caller {
        principal: binhan::authz::Principal::of(user, "42"),
        actor: binhan::audit::Actor::user(user.id, user.role, None),
        now: Utc::now(),
        policies: Arc::new(policies()),
        keys: Arc::new(db.keys()),
        holidays: Arc::new(binhan::domain::deadlines::Holidays::default()),
    }
}

/// A social worker of `communes`, with the test password.
pub fn worker_of(
    db: &TestDb,
    conn: &mut binhan::store::DbConn,
    username: &str,
    communes: &[&str],
) -> UserView {
    let input = NewAccount {
        username: username.into(),
        display_name: format!("Người dùng {username}"),
        role: Role::SocialWorker,
        communes: communes.iter().map(|c| c.to_string()).collect(),
        safe_house_id: None,
        password: Some(Zeroizing::new(PASSWORD.into())),
        enrolment_code: false,
    };
    accounts::create(conn, &db.keys(), &binhan::audit::Actor::command("test"), &input, Utc::now().naive_utc())
        .expect("account")
        .0
}

/// Registers a service provider and returns its id.
pub fn provider(conn: &mut binhan::store::DbConn, name: &str, service_type: &str) -> String {
    let row = binhan::store::case_work::ProviderRow {
        id: uuid::Uuid::now_v7().to_string(),
        name: name.into(),
        service_type: service_type.into(),
        commune_code: None,
        active: true,
    };
    binhan::store::case_work::insert_provider(conn, &row).expect("provider");
    row.id
}

/// Staff of the safe house `house`, with the test password.
pub fn staff_of(db: &TestDb, conn: &mut binhan::store::DbConn, username: &str, house: &str) -> UserView {
    let input = NewAccount {
        username: username.into(),
        display_name: format!("Người dùng {username}"),
        role: Role::SafeHouseStaff,
        communes: Vec::new(),
        safe_house_id: Some(house.into()),
        password: Some(Zeroizing::new(PASSWORD.into())),
        enrolment_code: false,
    };
    accounts::create(conn, &db.keys(), &binhan::audit::Actor::command("test"), &input, Utc::now().naive_utc())
        .expect("account")
        .0
}

/// Registers an active safe house in Thành Sen as an administrator would.
pub fn safe_house(db: &TestDb, conn: &mut binhan::store::DbConn, name: &str, capacity: i32) -> String {
    let admin = match binhan::store::users::by_username(conn, "quantri").expect("users") {
        Some(row) => binhan::services::auth::user_view(conn, &row).expect("view"),
        None => account(db, conn, "quantri", Role::Admin),
    };
    let house = binhan::services::placements::houses::NewHouse {
        name: name.into(),
        commune_code: "18073".into(),
        kind: "trusted_address".into(),
        capacity,
        accepts_children: true,
        accessible: false,
        address: "Số 12 ngõ 4, phường Thành Sen".into(),
        phone: String::new(),
    };
    binhan::services::placements::houses::create_house(conn, &caller(db, &admin), &house, None)
        .expect("safe house")
        .to_string()
}
