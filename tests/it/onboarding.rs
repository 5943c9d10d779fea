//! Onboarding (issue 15, item 3): an administrator sets up a safe house and its
//! staff — the house pages and API, the staff account's house picked from the
//! active houses, the rules of which role has communes or a house kept by
//! `services::accounts` for the pages and the CLI alike, and the database's own
//! refusal of an unknown house or role (with the migration that adds it).
//! Choosing one's own password (item 4) is in `first_password`.

use actix_web::test::init_service;
use binhan::audit::Actor;
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::accounts::{self, AccountError, NewAccount};
use binhan::services::auth::{current_code, enrol_with_secret};
use chrono::{Duration, Utc};
use diesel::RunQueryDsl;
use serde_json::json;
use zeroize::Zeroizing;

use crate::on_both_backends;
use crate::sign_in_pages::{Browser, sign_in};
use crate::support::api::{SECRET, post, send};
use crate::support::app::{PASSWORD, account, caller, safe_house, state};
use crate::support::db::{TestDb, load_units};

pub(crate) fn new_account(username: &str, role: Role, communes: &[&str], house: Option<&str>) -> NewAccount {
    NewAccount {
        username: username.into(),
        display_name: format!("Người dùng {username}"),
        role,
        communes: communes.iter().map(|c| c.to_string()).collect(),
        safe_house_id: house.map(str::to_string),
        password: Some(Zeroizing::new(PASSWORD.into())),
        enrolment_code: false,
    }
}

pub(crate) fn create(
    db: &TestDb,
    conn: &mut binhan::store::DbConn,
    input: &NewAccount,
) -> Result<String, Vec<String>> {
    match accounts::create(conn, &db.keys(), &Actor::command("test"), input, Utc::now().naive_utc()) {
        Ok((user, _)) => Ok(user.safe_house_id.unwrap_or_default()),
        Err(AccountError::Invalid(errors)) => {
            Err(errors.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect())
        }
        Err(other) => panic!("account creation failed: {other}"),
    }
}

pub(crate) fn two_factor_code() -> String {
    current_code(SECRET, Utc::now().naive_utc()).expect("code")
}

/// The administrator `quantri`, second factor set up, and the app.
pub(crate) fn admin(db: &TestDb, conn: &mut binhan::store::DbConn) {
    let quantri = account(db, conn, "quantri", Role::Admin);
    enrol_with_secret(conn, &db.keys(), quantri.id, SECRET, Utc::now().naive_utc()).expect("enrol");
}

// Item 3 -------------------------------------------------------------------

on_both_backends! {
    fn a_staff_account_names_an_active_house_by_id_or_exact_name_and_an_unknown_one_is_refused(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let house = safe_house(&db, &mut conn, "Địa chỉ tin cậy Thạch Hạ", 3);

        let by_id = create(&db, &mut conn, &new_account("mai", Role::SafeHouseStaff, &[], Some(&house)));
        assert_eq!(by_id, Ok(house.clone()));
        let by_name = create(
            &db,
            &mut conn,
            &new_account("lan", Role::SafeHouseStaff, &[], Some("Địa chỉ tin cậy Thạch Hạ")),
        );
        assert_eq!(by_name, Ok(house.clone()), "the exact name stands for the house's id");

        let unknown = create(&db, &mut conn, &new_account("tam", Role::SafeHouseStaff, &[], Some("Nhà Hoa Sen")));
        assert_eq!(
            unknown,
            Err(vec!["safe_house_id: no safe house has this id or name: see the registered houses".to_string()])
        );
        let none = create(&db, &mut conn, &new_account("tam", Role::SafeHouseStaff, &[], None));
        assert_eq!(none, Err(vec!["safe_house_id: safe-house staff belong to one safe house: choose it".to_string()]));
        assert!(binhan::store::users::by_username(&mut conn, "tam").unwrap().is_none(), "nothing was created");
    }
}

on_both_backends! {
    fn the_users_table_refuses_an_unknown_safe_house_and_an_unknown_role(db: TestDb) {
        let mut conn = db.migrated();
        let insert = |role: &str, house: &str| {
            format!(
                "INSERT INTO users (id, username, display_name, role, safe_house_id, password_hash, \
                 password_changed_at, created_at, updated_at) VALUES ('u-{role}', 'u{role}', 'U', '{role}', \
                 {house}, 'not a hash', '2026-12-01 00:00:00', '2026-12-01 00:00:00', '2026-12-01 00:00:00')"
            )
        };
        let unknown_house = diesel::sql_query(insert("safe_house_staff", "'no-such-house'")).execute(&mut conn);
        let message = unknown_house.expect_err("an unknown house is refused").to_string().to_lowercase();
        assert!(message.contains("foreign key"), "{message}");

        let unknown_role = diesel::sql_query(insert("root", "NULL")).execute(&mut conn);
        let message = unknown_role.expect_err("an unknown role is refused").to_string().to_lowercase();
        assert!(message.contains("check"), "{message}");

        crate::support::app::test_house(&mut conn, "house-1");
        diesel::sql_query(insert("safe_house_staff", "'house-1'")).execute(&mut conn).expect("a known house");
    }
}

on_both_backends! {
    fn only_workers_and_committee_members_have_communes_and_only_staff_a_house(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let house = safe_house(&db, &mut conn, "Địa chỉ tin cậy Thạch Hạ", 3);

        let admin_in_a_commune = create(&db, &mut conn, &new_account("qtri", Role::Admin, &["18073"], None));
        assert_eq!(admin_in_a_commune, Err(vec!["communes: the role admin works in no commune: leave the communes out".to_string()]));
        let supervisor_in_a_commune =
            create(&db, &mut conn, &new_account("gsat", Role::Supervisor, &["18073"], None));
        assert!(supervisor_in_a_commune.is_err());
        let worker_in_a_house =
            create(&db, &mut conn, &new_account("cbxa", Role::SocialWorker, &["18073"], Some(&house)));
        assert_eq!(
            worker_in_a_house,
            Err(vec!["safe_house_id: only safe-house staff belong to a safe house: leave it out".to_string()])
        );
        let worker_without_commune = create(&db, &mut conn, &new_account("cbxa", Role::SocialWorker, &[], None));
        assert!(worker_without_commune.is_err());

        assert!(create(&db, &mut conn, &new_account("btv1", Role::CommitteeMember, &["18073"], None)).is_ok());
        assert!(create(&db, &mut conn, &new_account("btv2", Role::CommitteeMember, &[], None)).is_ok());
        assert!(create(&db, &mut conn, &new_account("qtri", Role::Admin, &[], None)).is_ok());
    }
}

on_both_backends! {
    async fn a_committee_member_posting_to_the_safe_house_pages_gets_403_before_any_validation(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let house = safe_house(&db, &mut conn, "Địa chỉ tin cậy Thạch Hạ", 3);
        let thu = account(&db, &mut conn, "thu", Role::CommitteeMember);
        enrol_with_secret(&mut conn, &db.keys(), thu.id, SECRET, Utc::now().naive_utc()).unwrap();
        let app = init_service(app(state(&db))).await;
        let mut browser = Browser::default();
        assert_eq!(sign_in(&app, &mut browser, "thu", PASSWORD, &two_factor_code()).await.status, 303);
        let token = browser.send(&app, browser.get("/account")).await.field("csrf_token");

        let incomplete = [("csrf_token", token.as_str()), ("name", ""), ("capacity", "many")];
        let complete = [
            ("csrf_token", token.as_str()),
            ("name", "Nhà mới"),
            ("commune_code", "18073"),
            ("kind", "trusted_address"),
            ("capacity", "2"),
        ];
        for (path, form) in [
            ("/admin/safe-houses".to_string(), &incomplete[..]),
            ("/admin/safe-houses".to_string(), &complete[..]),
            (format!("/admin/safe-houses/{house}"), &incomplete[..]),
            (format!("/admin/safe-houses/{house}/deactivate"), &[("csrf_token", token.as_str())][..]),
        ] {
            let page = browser.send(&app, browser.post(&path, form)).await;
            assert_eq!(page.status, 403, "{path}: {}", page.html);
            assert!(!page.html.contains("name=\"capacity\""), "{path}: no form is shown");
        }
        for path in ["/admin/safe-houses".to_string(), "/admin/safe-houses/new".into(), format!("/admin/safe-houses/{house}")] {
            assert_eq!(browser.send(&app, browser.get(&path)).await.status, 403, "{path}");
        }
        let active = binhan::store::placements::house(&mut conn, &house).unwrap().unwrap().active;
        assert!(active, "nothing changed");
    }
}

/// The hidden field `version` of a form page.
fn version_of(page: &crate::sign_in_pages::Page) -> String {
    page.field("version")
}

on_both_backends! {
    async fn an_administrator_registers_edits_and_deactivates_a_safe_house_without_reading_its_address(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        admin(&db, &mut conn);
        let app = init_service(app(state(&db))).await;
        let mut browser = Browser::default();
        assert_eq!(sign_in(&app, &mut browser, "quantri", PASSWORD, &two_factor_code()).await.status, 303);
        let form = browser.send(&app, browser.get("/admin/safe-houses/new")).await;
        assert_eq!(form.status, 200);
        let token = form.field("csrf_token");

        let address = "Số 9 ngõ 3 đường Phan Đình Phùng";
        let phone = "0239 385 1234";
        let created = browser
            .send(&app, browser.post("/admin/safe-houses", &[
                ("csrf_token", &token), ("name", "Địa chỉ tin cậy Hà Huy Tập"), ("commune_code", "18073"),
                ("kind", "trusted_address"), ("capacity", "3"), ("accepts_children", "yes"),
                ("address", address), ("phone", phone),
            ]))
            .await;
        assert_eq!((created.status, created.location.as_str()), (303, "/admin/safe-houses?done=created"), "{}", created.html);
        let house = binhan::store::placements::houses_named(&mut conn, "Địa chỉ tin cậy Hà Huy Tập").unwrap().remove(0);
        assert!(house.address.is_some() && binhan::store::placements::house_has_phone(&mut conn, &house.id).unwrap());

        let list = browser.send(&app, browser.get("/admin/safe-houses?done=created")).await;
        assert!(list.html.contains("Địa chỉ tin cậy Hà Huy Tập") && list.html.contains("Đã thêm nơi tạm lánh."));
        assert!(list.html.contains(&format!("/admin/safe-houses/{}", house.id)), "an edit link");
        let edit = browser.send(&app, browser.get(&format!("/admin/safe-houses/{}", house.id))).await;
        assert_eq!(edit.status, 200);
        for page in [&list, &edit] {
            // The phone in any spelling; not a fragment of it, which an id or a token may hold by chance.
            let shown = ["Phan Đình Phùng", phone, "02393851234", "385 1234"].iter().any(|t| page.html.contains(t));
            assert!(!shown, "sealed: never shown");
        }
        assert!(edit.html.contains("Đã lưu: để trống để giữ nguyên"), "it says an address is registered");
        let read_at = version_of(&edit);

        let changed = |name: &'static str, version: String, capacity: &'static str| {
            vec![
                ("csrf_token", token.clone()), ("version", version), ("name", name.to_string()),
                ("commune_code", "18073".to_string()), ("kind", "community_safe_house".to_string()),
                ("capacity", capacity.to_string()), ("address", String::new()), ("phone", String::new()),
            ]
        };
        let edit_path = format!("/admin/safe-houses/{}", house.id);
        let saved = browser.send(&app, posted(&browser, &edit_path, &changed("Nhà tạm lánh Hà Huy Tập", read_at.clone(), "4"))).await;
        assert_eq!((saved.status, saved.location.as_str()), (303, "/admin/safe-houses?done=updated"), "{}", saved.html);
        let after = binhan::store::placements::house(&mut conn, &house.id).unwrap().unwrap();
        assert_eq!((after.name.as_str(), after.kind.as_str(), after.capacity), ("Nhà tạm lánh Hà Huy Tập", "community_safe_house", 4));
        assert_eq!(after.address, house.address, "an empty address field keeps the registered one");

        // A second save from the version read before the first is refused, and
        // what was typed stays in the form.
        let stale = browser.send(&app, posted(&browser, &edit_path, &changed("Tên cũ hơn", read_at, "5"))).await;
        assert_eq!(stale.status, 409, "{}", stale.html);
        assert!(stale.html.contains("Người khác vừa lưu thay đổi") && stale.html.contains("Tên cũ hơn"));
        assert_eq!(binhan::store::placements::house(&mut conn, &house.id).unwrap().unwrap().capacity, 4, "nothing written");

        let events: Vec<(String, Option<String>)> = {
            use binhan::store::schema::audit_events::dsl::*;
            use diesel::prelude::*;
            audit_events
                .filter(resource_id.eq(&house.id))
                .filter(outcome.eq("success"))
                .order_by(seq)
                .select((action, reason))
                .load(&mut conn)
                .unwrap()
        };
        assert_eq!(events, [("safe_house.manage".to_string(), None), ("safe_house.manage".to_string(), Some("edit".to_string()))]);

        // Deactivating is refused while a request waits for the house.
        let hanh = account(&db, &mut conn, "hanh", Role::SocialWorker);
        let worker = caller(&db, &hanh);
        let case = waiting_case(&mut conn, &worker, &house.id);
        let _ = case.0;
        let confirm = browser.send(&app, browser.get(&format!("/admin/safe-houses/{}/deactivate", house.id))).await;
        assert_eq!(confirm.status, 200);
        let deactivate_path = format!("/admin/safe-houses/{}/deactivate", house.id);
        let deactivate = |version: String| vec![("csrf_token", token.clone()), ("version", version)];
        let refused = browser.send(&app, posted(&browser, &deactivate_path, &deactivate(version_of(&confirm)))).await;
        assert_eq!(refused.status, 409);
        assert!(refused.html.contains("còn 1 lượt tạm lánh chưa kết thúc"), "{}", refused.html);
        assert!(binhan::store::placements::house(&mut conn, &house.id).unwrap().unwrap().active);

        binhan::services::placements::handling::cancel(&mut conn, &worker, case.1, 1)
            .expect("the request is withdrawn");
        let done = browser.send(&app, posted(&browser, &deactivate_path, &deactivate(version_of(&refused)))).await;
        assert_eq!((done.status, done.location.as_str()), (303, "/admin/safe-houses?done=deactivated"), "{}", done.html);
        assert!(!binhan::store::placements::house(&mut conn, &house.id).unwrap().unwrap().active);
    }
}

/// A form of owned values, posted.
fn posted(browser: &Browser, path: &str, fields: &[(&'static str, String)]) -> actix_web::test::TestRequest {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post(path, &pairs)
}

/// A case of Thành Sen whose request waits at `house`: (case, placement).
fn waiting_case(
    conn: &mut binhan::store::DbConn,
    worker: &binhan::services::cases::access::Caller,
    house: &str,
) -> (uuid::Uuid, uuid::Uuid) {
    use binhan::domain::intake::*;
    use binhan::services::cases::{intake, work};
    use binhan::services::placements::request::{PlacementRequest, request_placement};
    let draft = IntakeDraft {
        report_source: "police".into(),
        report_channel: "phone".into(),
        reported_at: Some(Utc::now() - Duration::hours(1)),
        commune_code: "18073".into(),
        survivor: SurvivorDraft {
            full_name: "Người thử".into(),
            sex: "female".into(),
            age_group: "25-59".into(),
            ..Default::default()
        },
        incident: IncidentDraft { forms: vec!["physical".into()], ..Default::default() },
        perpetrator: PerpetratorDraft { relationship: "spouse".into(), ..Default::default() },
        ..Default::default()
    };
    let case = intake::record_intake(conn, worker, &draft).unwrap().id;
    let consent =
        work::ConsentRequest { purpose: "placement".into(), given_by: "survivor".into(), given_at: None };
    work::record_consent(conn, worker, case, &consent).unwrap();
    let asked =
        PlacementRequest { safe_house_id: house.into(), alias: "Chị H.".into(), ..Default::default() };
    (case, request_placement(conn, worker, case, &asked).unwrap())
}

on_both_backends! {
    async fn the_staff_account_form_picks_an_active_house_and_the_list_shows_its_name(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        admin(&db, &mut conn);
        let open = safe_house(&db, &mut conn, "Địa chỉ tin cậy Thạch Hạ", 3);
        let closed = safe_house(&db, &mut conn, "Nhà đã đóng cửa", 2);
        let quantri = binhan::store::users::by_username(&mut conn, "quantri").unwrap().unwrap();
        let quantri = binhan::services::auth::user_view(&mut conn, &quantri).unwrap();
        binhan::services::placements::houses::deactivate_house(&mut conn, &caller(&db, &quantri), closed.parse().unwrap(), 1)
            .expect("deactivated");
        let app = init_service(app(state(&db))).await;
        let mut browser = Browser::default();
        assert_eq!(sign_in(&app, &mut browser, "quantri", PASSWORD, &two_factor_code()).await.status, 303);

        let form = browser.send(&app, browser.get("/admin/users/new")).await;
        assert!(form.html.contains(&format!(r#"<option value="{open}">Địa chỉ tin cậy Thạch Hạ (Phường Thành Sen)</option>"#)), "{}", form.html);
        assert!(!form.html.contains(&closed), "a deactivated house is not offered");
        assert!(!form.html.contains("Mã nhà tạm lánh"));
        let token = form.field("csrf_token");

        let typed_name = [
            ("csrf_token", token.as_str()), ("username", "mai"), ("display_name", "Lê Thị Mai"),
            ("role", "safe_house_staff"), ("safe_house_id", closed.as_str()),
        ];
        let refused = browser.send(&app, browser.post("/admin/users", &typed_name)).await;
        assert_eq!(refused.status, 422);
        assert!(refused.html.contains("Nơi tạm lánh này đã ngừng hoạt động"), "{}", refused.html);
        assert!(refused.html.contains(r#"value="Lê Thị Mai""#), "what was typed stays");

        let admin_with_house = [
            ("csrf_token", token.as_str()), ("username", "qt2"), ("display_name", "Quản trị hai"),
            ("role", "admin"), ("communes", "18073"), ("safe_house_id", open.as_str()),
        ];
        let refused = browser.send(&app, browser.post("/admin/users", &admin_with_house)).await;
        assert_eq!(refused.status, 422);
        assert!(refused.html.contains("Vai trò này không phụ trách xã, phường nào"));
        assert!(refused.html.contains("Chỉ nhân viên nhà tạm lánh mới thuộc một nhà tạm lánh"));

        let picked = [
            ("csrf_token", token.as_str()), ("username", "mai"), ("display_name", "Lê Thị Mai"),
            ("role", "safe_house_staff"), ("safe_house_id", open.as_str()),
        ];
        let created = browser.send(&app, browser.post("/admin/users", &picked)).await;
        assert_eq!(created.status, 200, "{}", created.html);
        let mai = binhan::store::users::by_username(&mut conn, "mai").unwrap().unwrap();
        assert_eq!(mai.safe_house_id.as_deref(), Some(open.as_str()));
        assert!(binhan::services::enrolment::awaits_enrolment(&mai.password_hash), "no password: she enrols once confirmed");
        assert!(created.html.contains(r#"id="waiting-notice""#), "staff of a house wait for a supervisor");

        let list = browser.send(&app, browser.get("/admin/users")).await;
        let row = list.html.split("<th scope=\"row\" data-label=\"Tên đăng nhập\">mai</th>").nth(1).expect("mai's row");
        let row = row.split("</tr>").next().unwrap_or_default();
        assert!(row.contains("Địa chỉ tin cậy Thạch Hạ") && !row.contains(&open), "{row}");
        assert!(row.contains("Chờ cán bộ giám sát xác nhận"), "{row}");
    }
}

on_both_backends! {
    fn binhan_user_add_takes_a_house_by_exact_name_and_refuses_an_unknown_one(db: TestDb) {
        use std::io::Write;
        use std::process::Stdio;
        use crate::support::process::{binhan, run_within, wait_exit};
        let data = db.data_dir();
        let run = |args: &[&str]| {
            let mut cmd = binhan();
            cmd.env("BINHAN_DATA_DIR", &data).env("BINHAN_DATABASE_URL", &db.url_text).args(args);
            cmd
        };
        assert!(run_within(run(&["init"]), std::time::Duration::from_secs(60)).status.success());
        let mut conn = db.conn();
        let house = safe_house(&db, &mut conn, "Địa chỉ tin cậy Thạch Hạ", 3);

        let unknown = run_within(
            run(&["user", "add", "tam", "--name", "Trần Thị Tâm", "--role", "safe_house_staff", "--safe-house", "Nhà Hoa Sen"]),
            std::time::Duration::from_secs(60),
        );
        assert!(!unknown.status.success());
        let said = String::from_utf8_lossy(&unknown.stderr);
        assert!(said.contains("no safe house has this id or name"), "{said}");
        assert!(binhan::store::users::by_username(&mut conn, "tam").unwrap().is_none());

        let mut add = run(&["user", "add", "mai", "--name", "Lê Thị Mai", "--role", "safe_house_staff",
                "--safe-house", "Địa chỉ tin cậy Thạch Hạ", "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        add.stdin.take().unwrap().write_all("sông Lam nước chảy hiền hòa".as_bytes()).unwrap();
        assert!(wait_exit(&mut add, std::time::Duration::from_secs(60)).success());
        let mai = binhan::store::users::by_username(&mut conn, "mai").unwrap().unwrap();
        assert_eq!(mai.safe_house_id.as_deref(), Some(house.as_str()), "the name stands for the house's id");
        assert!(!mai.must_change_password, "a password she typed herself is kept");

        let generated = run_within(
            run(&["user", "add", "lan", "--name", "Hồ Thị Lan", "--role", "social_worker", "--commune", "18073"]),
            std::time::Duration::from_secs(60),
        );
        assert!(generated.status.success());
        let said = String::from_utf8_lossy(&generated.stdout);
        assert!(said.contains("Enrolment code (shown once, valid 72 hours)") && said.contains("break-glass"), "{said}");
        let lan = binhan::store::users::by_username(&mut conn, "lan").unwrap().unwrap();
        assert!(binhan::services::enrolment::awaits_enrolment(&lan.password_hash), "no password until she enrols");
        assert!(binhan::store::account_changes::code_expiry(&mut conn, &lan.id).unwrap().is_some());
    }
}

// The migration ------------------------------------------------------------

/// The version diesel records for `2026-12-07-000002_onboarding`, without dashes.
const ONBOARDING_VERSION: &str = "20261207000002";

on_both_backends! {
    fn the_migration_gives_a_house_named_by_its_name_its_id_and_refuses_an_unknown_house(db: TestDb) {
        use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
        const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
        const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");
        let mut conn = db.migrated();
        crate::support::app::test_house(&mut conn, "house-1");
        // Back to before this migration (and any later one).
        let applied = |versions: Vec<diesel::migration::MigrationVersion<'static>>| {
            versions.iter().any(|v| v.to_string().replace('-', "") == ONBOARDING_VERSION)
        };
        match &mut conn {
            binhan::store::DbConn::Sqlite(c) => {
                while applied(c.applied_migrations().unwrap()) {
                    c.revert_last_migration(SQLITE).unwrap();
                }
            }
            binhan::store::DbConn::Postgres(c) => {
                while applied(c.applied_migrations().unwrap()) {
                    c.revert_last_migration(POSTGRES).unwrap();
                }
            }
        }
        let staff = |id: &str, house: &str| {
            format!(
                "INSERT INTO users (id, username, display_name, role, safe_house_id, password_hash, \
                 password_changed_at, created_at, updated_at) VALUES ('{id}', '{id}', 'U', 'safe_house_staff', \
                 '{house}', 'not a hash', '2026-12-01 00:00:00', '2026-12-01 00:00:00', '2026-12-01 00:00:00')"
            )
        };
        diesel::sql_query(staff("by-name", "Nhà thử house-1")).execute(&mut conn).unwrap();
        diesel::sql_query(staff("nowhere", "Nhà Hoa Sen")).execute(&mut conn).unwrap();

        let refused = binhan::store::migrations::run_pending(&mut conn).expect_err("an unknown house is refused");
        assert!(refused.to_string().contains("name a safe house that does not exist"), "{refused}");

        diesel::sql_query("UPDATE users SET safe_house_id = 'house-1' WHERE id = 'nowhere'").execute(&mut conn).unwrap();
        binhan::store::migrations::run_pending(&mut conn).expect("repaired, it migrates");
        let repaired = binhan::store::users::by_id(&mut conn, "by-name").unwrap().unwrap();
        assert_eq!(repaired.safe_house_id.as_deref(), Some("house-1"), "the name became the house's id");
    }
}

on_both_backends! {
    async fn the_api_edits_a_house_from_its_version_and_keeps_one_with_open_placements_active(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        admin(&db, &mut conn);
        let house = safe_house(&db, &mut conn, "Địa chỉ tin cậy Thạch Hạ", 3);
        let hanh = account(&db, &mut conn, "hanh", Role::SocialWorker);
        let (_, placement) = waiting_case(&mut conn, &caller(&db, &hanh), &house);
        let app = init_service(app(state(&db))).await;
        let quantri = crate::support::api::sign_in(&app, "quantri", true).await;
        let edit = |version: i32| {
            json!({"version": version, "name": "Nhà tạm lánh Thạch Hạ", "commune_code": "18073",
                   "kind": "community_safe_house", "capacity": 6, "phone": "0239 385 1111"})
        };
        let path = format!("/safe-houses/{house}");
        let (status, _) = send(&app, crate::support::api::patch(&path, &quantri, edit(1))).await;
        assert_eq!(status, 204);
        let (status, problem) = send(&app, crate::support::api::patch(&path, &quantri, edit(1))).await;
        assert_eq!((status, problem["code"].as_str(), problem["current_version"].as_i64()), (409, Some("stale_version"), Some(2)));
        let stored = binhan::store::placements::house(&mut conn, &house).unwrap().unwrap();
        assert_eq!((stored.name.as_str(), stored.capacity, stored.version), ("Nhà tạm lánh Thạch Hạ", 6, 2));
        assert!(binhan::store::placements::house_has_phone(&mut conn, &house).unwrap());

        let deactivation = format!("/safe-houses/{house}/deactivation");
        let (status, problem) = send(&app, post(&deactivation, &quantri, json!({"version": 2}))).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("open_placements")), "{problem}");
        binhan::services::placements::handling::cancel(&mut conn, &caller(&db, &hanh), placement, 1).unwrap();
        assert_eq!(send(&app, post(&deactivation, &quantri, json!({"version": 2}))).await.0, 204);
        assert!(!binhan::store::placements::house(&mut conn, &house).unwrap().unwrap().active);

        let hanh_cookie = crate::support::api::sign_in(&app, "hanh", false).await;
        let (status, _) = send(&app, crate::support::api::patch(&path, &hanh_cookie, edit(3))).await;
        assert_eq!(status, 403, "only an administrator edits a house");
    }
}
