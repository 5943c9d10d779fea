//! The SQL half of access control agrees with the policies (issue 5, acceptance 2):
//! for random users and random cases, the rows a list query returns are exactly the
//! cases the policies let that user read.

use binhan::authz::scope::cases as case_scope;
use binhan::authz::{Action, CaseFacts, Policies, PolicySource, Principal, Resource};
use binhan::domain::role::Role;
use binhan::store::DbConn;
use binhan::store::cases::ids_in_scope;
use chrono::Utc;
use diesel::prelude::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::support::db::TestDb;

const COMMUNES: [&str; 5] = ["18073", "18100", "18115", "18118", "18211"];

#[derive(Debug, Clone)]
struct World {
    users: Vec<(Role, Vec<usize>)>,
    /// (commune index, assigned user index)
    cases: Vec<(usize, Option<usize>)>,
}

fn world() -> impl Strategy<Value = World> {
    let role = prop::sample::select(Role::ALL.to_vec());
    let user = (role, prop::collection::vec(0..COMMUNES.len(), 0..3));
    prop::collection::vec(user, 1..6).prop_flat_map(|users| {
        let n = users.len();
        let case = (0..COMMUNES.len(), prop::option::of(0..n));
        prop::collection::vec(case, 0..12).prop_map(move |cases| World { users: users.clone(), cases })
    })
}

fn user_id(i: usize) -> String {
    format!("00000000-0000-7000-8000-{i:012}")
}

fn case_id(i: usize) -> String {
    format!("00000000-0000-7000-9000-{i:012}")
}

fn store_world(conn: &mut DbConn, world: &World) {
    diesel::sql_query("DELETE FROM cases").execute(conn).unwrap();
    diesel::sql_query("DELETE FROM users").execute(conn).unwrap();
    let now = Utc::now().naive_utc();
    for (i, (role, _)) in world.users.iter().enumerate() {
        diesel::insert_into(binhan::store::schema::users::table)
            .values((
                binhan::store::schema::users::id.eq(user_id(i)),
                binhan::store::schema::users::username.eq(format!("user{i}")),
                binhan::store::schema::users::display_name.eq(format!("User {i}")),
                binhan::store::schema::users::role.eq(role.as_str()),
                binhan::store::schema::users::password_hash.eq("not a hash"),
                binhan::store::schema::users::password_changed_at.eq(now),
                binhan::store::schema::users::created_at.eq(now),
                binhan::store::schema::users::updated_at.eq(now),
            ))
            .execute(conn)
            .unwrap();
    }
    for (i, (commune, assigned)) in world.cases.iter().enumerate() {
        use binhan::store::schema::cases::dsl as c;
        diesel::insert_into(c::cases)
            .values((
                c::id.eq(case_id(i)),
                c::case_number.eq(format!("42-2026-{i:05}")),
                c::commune_code.eq(COMMUNES[*commune]),
                c::status.eq("intake"),
                c::reported_at.eq(now),
                c::created_at.eq(now),
                c::updated_at.eq(now),
                c::assigned_to.eq(assigned.map(user_id)),
            ))
            .execute(conn)
            .unwrap();
    }
}

fn check(db: TestDb) {
    let conn = std::cell::RefCell::new(db.migrated());
    let policies = Policies::load(&PolicySource::BuiltIn).unwrap();
    let mut runner = TestRunner::new(Config { cases: 40, ..Config::default() });
    runner
        .run(&world(), |world| {
            let mut conn = conn.borrow_mut();
            store_world(&mut conn, &world);
            for (i, (role, communes)) in world.users.iter().enumerate() {
                let principal = Principal {
                    id: user_id(i),
                    role: *role,
                    communes: communes.iter().map(|c| COMMUNES[*c].to_string()).collect(),
                    safe_house: (*role == Role::SafeHouseStaff).then(|| "h-1".to_string()),
                    province: "42".into(),
                };
                let listed = ids_in_scope(&mut conn, &case_scope(&principal)).unwrap();
                let allowed: Vec<String> = world
                    .cases
                    .iter()
                    .enumerate()
                    .filter(|(j, (commune, assigned))| {
                        let facts = CaseFacts {
                            id: case_id(*j),
                            commune: COMMUNES[*commune].into(),
                            province: "42".into(),
                            assigned_to: assigned.map(user_id),
                            child: false,
                            status: "intake".into(),
                        };
                        policies.is_allowed(&principal, Action::CaseRead, &Resource::Case(facts))
                    })
                    .map(|(j, _)| case_id(j))
                    .collect();
                prop_assert_eq!(listed, allowed, "user {} ({})", i, role);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_case_list_returns_exactly_what_the_policies_allow_to_read_on_sqlite() {
    check(TestDb::sqlite());
}

#[test]
fn the_case_list_returns_exactly_what_the_policies_allow_to_read_on_postgres() {
    if let Some(db) = TestDb::postgres() {
        check(db);
    }
}

// Lists decide once for cases alike (same commune, assignee, age and status),
// unless a policy names one case: then that case is decided on its own.
crate::on_both_backends! {
fn a_policy_that_names_one_case_is_honoured_by_the_case_list(db: TestDb) {
    use crate::support::app::{account, caller};
    use crate::support::db::load_units;
    use crate::case_lists::every_page as list;
    use binhan::services::cases::listing::ListFilter;

    let mut conn = db.migrated();
    load_units(&mut conn);
    let hanh = account(&db, &mut conn, "hanh", Role::SocialWorker);
    let who = caller(&db, &hanh);
    let record = |conn: &mut DbConn, name: &str| {
        let draft = crate::load::raw::intake_draft(name, "18073");
        binhan::services::cases::intake::record_intake(conn, &who, &draft).unwrap().id.to_string()
    };
    let (hidden, shown) = (record(&mut conn, "Chị Mai"), record(&mut conn, "Chị Lan"));
    let listed = |policies: Policies, conn: &mut DbConn| -> Vec<String> {
        let mut as_hanh = caller(&db, &hanh);
        as_hanh.policies = std::sync::Arc::new(policies);
        list(conn, &as_hanh, &ListFilter::default()).unwrap().into_iter().map(|c| c.id).collect()
    };

    let built_in = Policies::load(&PolicySource::BuiltIn).unwrap();
    assert!(!built_in.names_a_case());
    let mut both = listed(built_in, &mut conn);
    both.sort();
    let mut expected = vec![hidden.clone(), shown.clone()];
    expected.sort();
    assert_eq!(both, expected);

    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/policies")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(
        dir.path().join("one-case.cedar"),
        // Spaced as Cedar allows: the check reads the policy, not its spelling.
        format!("forbid (principal, action, resource == BinhAn :: Case :: \"{hidden}\");\n"),
    )
    .unwrap();
    let naming = Policies::load(&PolicySource::Folder(dir.path().into())).unwrap();
    assert!(naming.names_a_case());
    assert_eq!(listed(naming, &mut conn), vec![shown]);
}
}
