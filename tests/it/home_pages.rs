//! Each role's home page shows that role's work (issue 15 item 14): the worker's
//! cases overdue or due soon (by number, never a name), the supervisor's requests
//! waiting and overdue work, the staff's requests and residents, the committee's
//! next report, the administrator's registers; and no page promises a function
//! "when ready". On both databases, through the pages.

use actix_web::test::init_service;
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::auth::{current_code, enrol_with_secret};
use binhan::services::cases::{intake, referrals};
use binhan::services::placements::handling;
use chrono::{Duration, Utc};

use crate::on_both_backends;
use crate::sign_in_pages::{Browser, Page, sign_in};
use crate::stays::{draft, requested_for};
use crate::support::api::SECRET;
use crate::support::app::{PASSWORD, account, caller, safe_house, staff_of, state};
use crate::support::db::load_units;

/// Words that promise a function instead of giving it.
const PLACEHOLDERS: [&str; 4] = ["khi sẵn sàng", "sẽ có", "when ready", "when it is ready"];

fn assert_no_placeholder(who: &str, page: &Page) {
    assert_eq!(page.status, 200, "{who}: {}", page.html);
    for words in PLACEHOLDERS {
        assert!(!page.html.to_lowercase().contains(words), "{who}'s home promises: {words}");
    }
}

/// The home page's section `id`.
fn section<'a>(page: &'a Page, id: &str) -> &'a str {
    let start = format!(r#"id="{id}""#);
    let from = page.html.find(&start).unwrap_or_else(|| panic!("no section {id} in {}", page.html));
    let rest = &page.html[from..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

on_both_backends! {
    async fn each_roles_home_page_shows_its_work_and_no_placeholder(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        for (name, role) in [("dung", Role::Supervisor), ("thu", Role::CommitteeMember), ("quantri", Role::Admin)] {
            let user = account(&db, &mut conn, name, role);
            if role.requires_second_factor() {
                enrol_with_secret(&mut conn, &db.keys(), user.id, SECRET, Utc::now().naive_utc()).unwrap();
            }
        }
        let house = safe_house(&db, &mut conn, "Địa chỉ tin cậy Thạch Hạ", 3);
        let hanh = account(&db, &mut conn, "hanh", Role::SocialWorker);
        let mai = staff_of(&db, &mut conn, "mai", &house);
        let mut worker = caller(&db, &hanh);
        let staff = caller(&db, &mai);

        // A girl reported ten days ago whom nobody has seen since: the urgent
        // intervention a child's case owes is overdue.
        worker.now = Utc::now() - Duration::days(10);
        let mut late = draft("Lê Thị Quá Hạn", worker.now);
        late.survivor.age_group = String::new();
        late.survivor.birth_date = Some((worker.now - Duration::days(365 * 14)).date_naive());
        let late = intake::record_intake(&mut conn, &worker, &late).unwrap();
        worker.now = Utc::now();
        // A girl of 13 whose mother refuses: the worker asks a supervisor for an override.
        let mut girl = draft("Hà Thị Ngân", worker.now);
        girl.survivor.age_group = String::new();
        girl.survivor.birth_date = Some((Utc::now() - Duration::days(365 * 13)).date_naive());
        let girl = intake::record_intake(&mut conn, &worker, &girl).unwrap();
        referrals::override_consent(&mut conn, &worker, girl.id, "placement", "Cha dượng đang tìm em").unwrap();
        // One request waits at the house; another woman stays there.
        requested_for(&mut conn, &worker, &house, "Phan Thị Chờ");
        let (_, staying) = requested_for(&mut conn, &worker, &house, "Trần Thị Ở");
        handling::accept(&mut conn, &staff, staying, 1, Duration::hours(24)).unwrap();
        handling::check_in(&mut conn, &staff, staying, 2).unwrap();
        let app = init_service(app(state(&db))).await;
        let home = |username: &'static str, role: Role| {
            let app = &app;
            async move {
                let mut browser = Browser::default();
                let code = if role.requires_second_factor() {
                    current_code(SECRET, Utc::now().naive_utc()).unwrap()
                } else {
                    String::new()
                };
                let res = sign_in(app, &mut browser, username, PASSWORD, &code).await;
                assert_eq!(res.status, 303, "{username} signs in: {}", res.html);
                browser.send(app, browser.get("/")).await
            }
        };

        let page = home("hanh", Role::SocialWorker).await;
        assert_no_placeholder("hanh", &page);
        let due = section(&page, "home-deadlines");
        assert!(due.contains(&format!(r#"href="/cases/{}""#, late.id)), "her overdue case, linked: {due}");
        assert!(due.contains(&late.case_number) && due.contains("Quá hạn"), "{due}");
        assert!(!page.html.contains("Lê Thị Quá Hạn"), "a number, never a name");
        let take_report = r#"<a class="button primary wide" href="/cases/new">Tiếp nhận tin báo mới</a>"#;
        assert!(page.html.contains(take_report), "a report is one tap from her home page");

        let page = home("dung", Role::Supervisor).await;
        assert_no_placeholder("dung", &page);
        let waiting = section(&page, "home-approvals");
        assert!(waiting.contains("1 yêu cầu đang chờ bạn phê duyệt"), "{waiting}");
        assert!(waiting.contains(&girl.case_number), "the request itself: {waiting}");
        assert!(waiting.contains(r#"href="/approvals""#));
        assert!(section(&page, "home-deadlines").contains(&late.case_number), "overdue work in the province");
        assert!(!page.html.contains("Hà Thị Ngân"));

        let page = home("mai", Role::SafeHouseStaff).await;
        assert_no_placeholder("mai", &page);
        let work = section(&page, "home-house");
        assert!(work.contains(r#"<a href="/placements#requests">1 đề nghị đang chờ nhận</a>"#), "{work}");
        assert!(work.contains(r#"<a href="/placements#residents">1 người đang ở</a>"#), "{work}");
        let free = ["2 / 3 chỗ trống", "2 &#x2f; 3 chỗ trống", "2 &#47; 3 chỗ trống"];
        assert!(free.iter().any(|f| work.contains(f)), "one place taken of three: {work}");
        assert!(!page.html.contains("Trần Thị Ở"), "no one's name on the home page");
        assert!(!page.html.contains(take_report), "the house's staff take no reports");

        let page = home("thu", Role::CommitteeMember).await;
        assert_no_placeholder("thu", &page);
        assert!(section(&page, "home-report").contains(r#"href="/reports""#));

        let page = home("quantri", Role::Admin).await;
        assert_no_placeholder("quantri", &page);
        let registers = section(&page, "home-admin");
        assert!(registers.contains(r#"href="/admin/users""#) && registers.contains(r#"href="/admin/safe-houses""#));
    }
}
