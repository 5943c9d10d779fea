//! Lists that scale (issue 16, item 5): pages by keyset on the stored sort key
//! `cases.next_due_at`, filters and their counts in SQL, the cursor on the API and
//! the page, and the sort key kept right by every kind of change — on both
//! databases.

use actix_web::test::init_service;
use binhan::domain::case_clock::DeadlineKind;
use binhan::domain::intake::{IncidentDraft, IntakeDraft, PerpetratorDraft, SurvivorDraft};
use binhan::domain::lifecycle::CaseStatus;
use binhan::domain::risk::RiskLevel;
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::cases::access::{Caller, CaseError};
use binhan::services::cases::listing::{self, CasePage, ListFilter};
use binhan::services::cases::work::{self, NoteRequest, TransitionOutcome, TransitionRequest};
use binhan::services::cases::{detail, intake};
use binhan::services::placements::handling;
use binhan::services::placements::request::{PlacementRequest, request_placement};
use binhan::store::DbConn;
use chrono::{Duration, NaiveDateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use crate::on_both_backends;
use crate::support::api::{get, send, sign_in};
use crate::support::app::{account, caller, safe_house, staff_of, state, worker_of};
use crate::support::db::{TestDb, load_units};

const THANH_SEN: &str = "18073";
const TRAN_PHU: &str = "18100";

/// An intake of a woman (or, with `child`, a girl of twelve) reported `ago` before now.
fn draft(commune: &str, ago: Duration, child: bool, danger: bool) -> IntakeDraft {
    let now = Utc::now();
    IntakeDraft {
        report_source: "police".into(),
        report_channel: "phone".into(),
        reported_at: Some(now - ago),
        commune_code: commune.into(),
        immediate_danger: danger,
        risk_factors: if danger { vec!["threats_to_kill".into()] } else { Vec::new() },
        survivor: SurvivorDraft {
            full_name: "Phan Thị Liên".into(),
            sex: "female".into(),
            birth_date: child.then(|| (now - Duration::days(365 * 12 + 40)).date_naive()),
            age_group: if child { String::new() } else { "25-59".into() },
            guardian_name: if child { "Phan Văn Giám".into() } else { String::new() },
            ..Default::default()
        },
        incident: IncidentDraft { forms: vec!["physical".into()], ..Default::default() },
        perpetrator: PerpetratorDraft {
            relationship: if child { "step_parent" } else { "spouse" }.into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// The stored sort key of a case.
fn stored(conn: &mut DbConn, id: Uuid) -> Option<NaiveDateTime> {
    binhan::store::case_lists::next_due_of(conn, &[id.to_string()]).unwrap()[0].1
}

/// The sort key the case page's deadlines give: the soonest still owed that can
/// become overdue.
fn shown(conn: &mut DbConn, who: &Caller, id: Uuid) -> Option<NaiveDateTime> {
    let case = detail::case_detail(conn, who, id).unwrap();
    case.deadlines
        .iter()
        .filter(|d| d.done.is_none() && d.kind != DeadlineKind::NoContactOrderEnds)
        .map(|d| d.due.naive_utc())
        .min()
}

/// Every page of a list, `limit` rows at a time.
fn walk(conn: &mut DbConn, who: &Caller, filter: &ListFilter, limit: usize) -> Vec<CasePage> {
    let mut pages: Vec<CasePage> = Vec::new();
    loop {
        let cursor = pages.last().and_then(|p| p.next_cursor.clone());
        if !pages.is_empty() && cursor.is_none() {
            return pages;
        }
        pages.push(listing::page(conn, who, filter, cursor.as_deref(), limit).unwrap());
        assert!(pages.len() < 100, "the walk ends");
    }
}

/// Every case a list shows, page after page of the most a page holds.
pub(crate) fn every_page(
    conn: &mut DbConn,
    who: &Caller,
    filter: &ListFilter,
) -> Result<Vec<listing::CaseSummary>, CaseError> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = listing::page(conn, who, filter, cursor.as_deref(), listing::MAX_PAGE_SIZE)?;
        all.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(all),
        }
    }
}

fn ids(pages: &[CasePage]) -> Vec<String> {
    pages.iter().flat_map(|p| p.items.iter().map(|c| c.id.clone())).collect()
}

/// A worker of Thành Sen, one of Trần Phú, and a supervisor of the province.
struct People {
    hanh: Caller,
    lan: Caller,
    dung: Caller,
}

fn people(db: &TestDb, conn: &mut DbConn) -> People {
    load_units(conn);
    let hanh = worker_of(db, conn, "hanh", &[THANH_SEN]);
    let lan = worker_of(db, conn, "lan", &[TRAN_PHU]);
    let dung = account(db, conn, "dung", Role::Supervisor);
    People { hanh: caller(db, &hanh), lan: caller(db, &lan), dung: caller(db, &dung) }
}

/// Eleven cases: overdue and due-soon child cases, adults with and without a
/// follow-up, two reported at the same moment, in two communes.
fn eleven_cases(conn: &mut DbConn, p: &People) -> Vec<Uuid> {
    let same = Duration::hours(30);
    let plan: [(&Caller, &str, Duration, bool, bool); 11] = [
        (&p.hanh, THANH_SEN, Duration::days(3), true, false),
        (&p.hanh, THANH_SEN, Duration::hours(1), true, true),
        (&p.hanh, THANH_SEN, same, false, false),
        (&p.hanh, THANH_SEN, same, false, true),
        (&p.hanh, THANH_SEN, Duration::days(9), false, false),
        (&p.lan, TRAN_PHU, Duration::days(2), true, false),
        (&p.lan, TRAN_PHU, Duration::hours(5), false, true),
        (&p.lan, TRAN_PHU, same, false, false),
        (&p.hanh, THANH_SEN, Duration::days(20), false, false),
        (&p.lan, TRAN_PHU, Duration::minutes(30), true, false),
        (&p.hanh, THANH_SEN, Duration::hours(12), false, false),
    ];
    let mut made = Vec::new();
    for (i, (who, commune, ago, child, danger)) in plan.into_iter().enumerate() {
        let id = intake::record_intake(conn, who, &draft(commune, ago, child, danger)).unwrap().id;
        if i % 3 == 2 {
            let due = Utc::now() + Duration::days(i as i64);
            let note =
                NoteRequest {
                    kind: "follow_up".into(), body: "Gọi lại hỏi thăm".into(), due_at: Some(due)
                };
            work::add_note(conn, who, id, &note).unwrap();
        }
        made.push(id);
    }
    made
}

on_both_backends! {
    fn paging_walks_every_case_exactly_once_overdue_first_then_soonest_then_newest(db: TestDb) {
        let mut conn = db.migrated();
        let p = people(&db, &mut conn);
        let made = eleven_cases(&mut conn, &p);

        let pages = walk(&mut conn, &p.dung, &ListFilter { open_only: true, ..Default::default() }, 2);
        let walked = ids(&pages);
        assert_eq!(pages.len(), 6, "eleven cases, two a page");
        let mut once = walked.clone();
        once.sort();
        once.dedup();
        assert_eq!(once.len(), walked.len(), "no case twice");
        let mut all: Vec<String> = made.iter().map(|id| id.to_string()).collect();
        all.sort();
        assert_eq!(once, all, "every case of the province");

        let items: Vec<_> = pages.iter().flat_map(|p| p.items.clone()).collect();
        let key = |c: &listing::CaseSummary| {
            let due = stored(&mut conn, c.id.parse().unwrap());
            (due.is_none(), due, std::cmp::Reverse(c.reported_at), c.id.clone())
        };
        let keys: Vec<_> = items.iter().map(key).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "in the order of the sort key: {keys:?}");
        let overdue: Vec<bool> = items.iter().map(|c| c.overdue > 0).collect();
        assert!(overdue.windows(2).all(|w| w[0] >= w[1]), "overdue first: {overdue:?}");
        assert!(overdue[0] && overdue[1], "the two overdue child cases lead");
        assert_eq!(items.last().unwrap().next_deadline, None, "cases owing nothing come last");
        assert!(pages.iter().all(|page| page.counts.total == 11), "the total is of the whole list");

        let at_once = listing::page(&mut conn, &p.dung, &ListFilter { open_only: true, ..Default::default() }, None, 200).unwrap();
        assert_eq!(ids(&[at_once]), walked, "pages of two read as one page");
    }
}

on_both_backends! {
    fn each_filter_shows_as_many_cases_as_its_count_said(db: TestDb) {
        let mut conn = db.migrated();
        let p = people(&db, &mut conn);
        let made = eleven_cases(&mut conn, &p);
        let moved = TransitionRequest { to: "assessment".into(), version: 2, closure_reason: None, comment: None, reason: None };
        let version = detail::case_detail(&mut conn, &p.hanh, made[4]).unwrap().case.version;
        work::move_case(&mut conn, &p.hanh, made[4], &TransitionRequest { version, ..moved }).unwrap();

        for who in [&p.dung, &p.hanh] {
            let open = ListFilter { open_only: true, ..Default::default() };
            let counts = listing::page(&mut conn, who, &open, None, 50).unwrap().counts;
            let total_of = |conn: &mut DbConn, filter: ListFilter| -> (i64, usize) {
                let pages = walk(conn, who, &filter, 3);
                (pages[0].counts.total, ids(&pages).len())
            };
            for status in CaseStatus::ALL {
                let n = counts.by_status.iter().find(|(s, _)| s == status.as_str()).map_or(0, |(_, n)| *n);
                let filter = ListFilter { status: Some(status), open_only: true, ..Default::default() };
                assert_eq!(total_of(&mut conn, filter), (n, n as usize), "status {status}");
            }
            for risk in RiskLevel::ALL {
                let n = counts.by_risk.iter().find(|(r, _)| r.as_deref() == Some(risk.as_str())).map_or(0, |(_, n)| *n);
                let filter = ListFilter { risk: Some(risk), ..open.clone() };
                assert_eq!(total_of(&mut conn, filter), (n, n as usize), "risk {}", risk.as_str());
            }
            for (commune, n) in counts.by_commune.clone() {
                let filter = ListFilter { commune: Some(commune.clone()), ..open.clone() };
                assert_eq!(total_of(&mut conn, filter), (n, n as usize), "commune {commune}");
            }
            let flags = [
                (ListFilter { overdue_only: true, ..open.clone() }, counts.overdue, "overdue"),
                (ListFilter { mine: true, ..open.clone() }, counts.mine, "mine"),
                (ListFilter { child: true, ..open.clone() }, counts.child, "child"),
            ];
            for (filter, n, name) in flags {
                assert_eq!(total_of(&mut conn, filter), (n, n as usize), "{name}");
            }
        }

        let open = ListFilter { open_only: true, ..Default::default() };
        let province = listing::page(&mut conn, &p.dung, &open, None, 50).unwrap().counts;
        assert_eq!(province.total, 11);
        assert_eq!(province.by_status, vec![("assessment".to_string(), 1), ("intake".to_string(), 10)]);
        assert_eq!(province.by_commune, vec![(THANH_SEN.to_string(), 7), (TRAN_PHU.to_string(), 4)]);
        assert_eq!((province.child, province.mine), (4, 0), "four girls; a supervisor holds no case");
        assert_eq!(province.overdue, 2, "the girls reported three and two days ago");
        let hers = listing::page(&mut conn, &p.hanh, &open, None, 50).unwrap().counts;
        assert_eq!((hers.total, hers.mine, hers.child), (7, 7, 2));

        let with_child = listing::page(&mut conn, &p.dung, &ListFilter { child: true, ..open }, None, 50).unwrap().counts;
        assert_eq!(with_child.by_commune, vec![(THANH_SEN.to_string(), 2), (TRAN_PHU.to_string(), 2)], "the other filters hold in a count");
        assert_eq!(with_child.child, 4, "a filter's own count leaves it out");
    }
}

on_both_backends! {
    fn the_sort_key_follows_intake_placements_follow_ups_closure_and_reopening(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let house = safe_house(&db, &mut conn, "Địa chỉ tin cậy Thạch Hạ", 4);
        let hanh = caller(&db, &account(&db, &mut conn, "hanh", Role::SocialWorker));
        let mai = caller(&db, &staff_of(&db, &mut conn, "mai", &house));

        let girl = intake::record_intake(&mut conn, &hanh, &draft(THANH_SEN, Duration::hours(1), true, false)).unwrap().id;
        let urgent = detail::case_detail(&mut conn, &hanh, girl).unwrap().deadlines[0];
        assert_eq!(urgent.kind, DeadlineKind::UrgentIntervention);
        assert_eq!(stored(&mut conn, girl), Some(urgent.due.naive_utc()), "intake: the urgent intervention");

        let woman = intake::record_intake(&mut conn, &hanh, &draft(THANH_SEN, Duration::hours(2), false, false)).unwrap().id;
        assert_eq!(stored(&mut conn, woman), None, "an adult's intake owes nothing yet");

        let due = Utc::now() + Duration::days(3);
        let note = NoteRequest { kind: "follow_up".into(), body: "Gọi lại hỏi thăm".into(), due_at: Some(due) };
        let follow_up = work::add_note(&mut conn, &hanh, woman, &note).unwrap();
        let due = stored(&mut conn, woman);
        assert!(due.is_some());
        assert_eq!(due, shown(&mut conn, &hanh, woman), "a follow-up planned");

        let later = NoteRequest { due_at: Some(Utc::now() + Duration::days(6)), ..note.clone() };
        work::add_note(&mut conn, &hanh, woman, &later).unwrap();
        assert_eq!(stored(&mut conn, woman), due, "the soonest of two");

        let consent = work::ConsentRequest { purpose: "placement".into(), given_by: "survivor".into(), given_at: None };
        work::record_consent(&mut conn, &hanh, woman, &consent).unwrap();
        let asking = PlacementRequest { safe_house_id: house.clone(), alias: "Chị L.".into(), ..Default::default() };
        let placement = request_placement(&mut conn, &hanh, woman, &asking).unwrap();
        assert_eq!(stored(&mut conn, woman), shown(&mut conn, &hanh, woman), "a placement requested");
        handling::decline(&mut conn, &mai, placement, 1, "no_bed").unwrap();
        assert_eq!(stored(&mut conn, woman), shown(&mut conn, &hanh, woman), "the house declined");
        assert_eq!(stored(&mut conn, woman), due);

        work::complete_follow_up(&mut conn, &hanh, woman, follow_up).unwrap();
        let next = stored(&mut conn, woman);
        assert!(next > due, "the first follow-up done, the second is next");
        assert_eq!(next, shown(&mut conn, &hanh, woman));

        let version = detail::case_detail(&mut conn, &hanh, woman).unwrap().case.version;
        let close = TransitionRequest {
            to: "closed".into(),
            version,
            closure_reason: Some("moved_away".into()),
            comment: None,
            reason: None,
        };
        assert!(matches!(work::move_case(&mut conn, &hanh, woman, &close).unwrap(), TransitionOutcome::Moved { .. }));
        assert_eq!(stored(&mut conn, woman), None, "a closed case owes nothing");

        let version = detail::case_detail(&mut conn, &hanh, woman).unwrap().case.version;
        let reopen = TransitionRequest {
            to: "assessment".into(),
            version,
            closure_reason: None,
            comment: None,
            reason: Some("Chị quay về xã và xin hỗ trợ tiếp".into()),
        };
        work::move_case(&mut conn, &hanh, woman, &reopen).unwrap();
        assert_eq!(stored(&mut conn, woman), next, "reopened: the follow-up still owed is due again");
    }
}

on_both_backends! {
    fn the_server_start_fills_in_sort_keys_missing_or_made_with_other_holidays(db: TestDb) {
        let mut conn = db.migrated();
        let p = people(&db, &mut conn);
        let made = eleven_cases(&mut conn, &p);
        let before: Vec<_> = made.iter().map(|id| stored(&mut conn, *id)).collect();
        diesel::RunQueryDsl::execute(diesel::sql_query("UPDATE cases SET next_due_at = NULL"), &mut conn).unwrap();

        let holidays = binhan::domain::deadlines::Holidays::default();
        let changed = binhan::services::cases::clock::refresh_all(&mut conn, &holidays).unwrap();
        assert_eq!(changed, before.iter().filter(|d| d.is_some()).count());
        let after: Vec<_> = made.iter().map(|id| stored(&mut conn, *id)).collect();
        assert_eq!(after, before);
        assert_eq!(binhan::services::cases::clock::refresh_all(&mut conn, &holidays).unwrap(), 0, "nothing left to change");
    }
}

on_both_backends! {
    fn a_cursor_the_list_did_not_give_is_refused_with_what_to_do(db: TestDb) {
        let mut conn = db.migrated();
        let p = people(&db, &mut conn);
        eleven_cases(&mut conn, &p);
        let open = ListFilter { open_only: true, ..Default::default() };
        let good = listing::page(&mut conn, &p.dung, &open, None, 2).unwrap().next_cursor.unwrap();
        assert_eq!(listing::page(&mut conn, &p.dung, &open, Some(&good), 2).unwrap().items.len(), 2);
        let longer = format!("{good}{good}");
        // Not base64; not a cursor; an id that is not one; another version's.
        for bad in ["%%%", "not-a-cursor", "YzEuLS4xLjI", "YzIuLS4xLjAxOTBjMWYyLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA", longer.as_str()] {
            match listing::page(&mut conn, &p.dung, &open, Some(bad), 2) {
                Err(CaseError::Invalid(problems)) => assert_eq!(problems[0].field, "cursor", "{bad}"),
                other => panic!("{bad}: {:?}", other.map(|p| p.items.len())),
            }
        }
    }
}

/// The API's list as the supervisor `dung` (second factor) or the worker `hanh`.
async fn api_world(db: &TestDb) -> (People, Vec<Uuid>) {
    let mut conn = db.migrated();
    let p = people(db, &mut conn);
    let made = eleven_cases(&mut conn, &p);
    binhan::services::auth::enrol_with_secret(
        &mut conn,
        &db.keys(),
        p.dung.actor.user_id.unwrap(),
        crate::support::api::SECRET,
        Utc::now().naive_utc(),
    )
    .unwrap();
    (p, made)
}

on_both_backends! {
    async fn the_api_pages_with_limit_and_cursor_and_a_worker_never_sees_another_commune(db: TestDb) {
        let (_p, made) = api_world(&db).await;
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let lan_cases = 4;

        let mut seen: Vec<String> = Vec::new();
        let mut next = Some(String::new());
        while let Some(cursor) = next {
            let (status, page) = send(&app, get(&format!("/cases?limit=2&cursor={cursor}"), &hanh)).await;
            assert_eq!(status, 200, "{page}");
            assert!(page["items"].as_array().unwrap().len() <= 2);
            for item in page["items"].as_array().unwrap() {
                assert_eq!(item["commune_code"], THANH_SEN, "only her commune, on every page");
                seen.push(item["id"].as_str().unwrap().to_string());
            }
            assert_eq!(page["total"], 7);
            let communes: Vec<&String> = page["counts"]["commune"].as_object().unwrap().keys().collect();
            assert_eq!(communes, vec![THANH_SEN], "counts too");
            assert_eq!(page["counts"]["child"], 2);
            next = page["next_cursor"].as_str().map(str::to_string);
        }
        assert_eq!(seen.len(), made.len() - lan_cases);

        for (query, field) in [("limit=0", "limit"), ("limit=201", "limit"), ("limit=ba", "limit"), ("cursor=xyz", "cursor"), ("risk=huge", "risk"), ("child=yes", "child")] {
            let (status, problem) = send(&app, get(&format!("/cases?{query}"), &hanh)).await;
            assert_eq!(status, 422, "{query}: {problem}");
            let named: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
            assert_eq!(named, vec![field], "{query}");
        }
        let (_, problem) = send(&app, get("/cases?cursor=xyz", &hanh)).await;
        assert!(problem.to_string().contains("first page"), "says what to do: {problem}");

        let (_, all) = send(&app, get("/cases?limit=200&status=intake&child=true", &hanh)).await;
        assert_eq!(all["items"].as_array().unwrap().len(), 2);
        assert_eq!(all["next_cursor"], Value::Null);
    }
}

on_both_backends! {
    async fn a_role_without_cases_is_refused_the_list_before_its_cursor_is_read(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let thu = account(&db, &mut conn, "thu", Role::CommitteeMember);
        binhan::services::auth::enrol_with_secret(&mut conn, &db.keys(), thu.id, crate::support::api::SECRET, Utc::now().naive_utc()).unwrap();
        let app = init_service(app(state(&db))).await;
        let thu = sign_in(&app, "thu", true).await;
        assert_eq!(send(&app, get("/cases?cursor=xyz&limit=0", &thu)).await.0, 403);
    }
}

#[actix_web::test]
async fn the_api_document_describes_limit_cursor_and_the_page() {
    let db = TestDb::sqlite();
    db.migrated();
    let app = init_service(app(state(&db))).await;
    let req = actix_web::test::TestRequest::get().uri("/api/v1/openapi.json").to_request();
    let doc: Value = actix_web::test::call_and_read_body_json(&app, req).await;
    let list = &doc["paths"]["/api/v1/cases"]["get"];
    let params: Vec<&str> =
        list["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    for name in ["limit", "cursor", "status", "risk", "overdue", "commune", "mine", "child"] {
        assert!(params.contains(&name), "{name} in {params:?}");
    }
    let described = |name: &str| {
        list["parameters"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["description"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert!(described("limit").contains("200"));
    assert!(described("cursor").contains("next_cursor"));
    let page = &doc["components"]["schemas"]["CasePageJson"]["properties"];
    for field in ["items", "next_cursor", "total", "counts"] {
        assert!(page.get(field).is_some(), "{field}");
    }
    assert!(list["responses"].get("422").is_some());
}

on_both_backends! {
    async fn the_page_shows_counts_the_total_and_a_next_page_link_without_javascript(db: TestDb) {
        let mut conn = db.migrated();
        let p = people(&db, &mut conn);
        for i in 0..51 {
            let ago = Duration::hours(3 + i);
            intake::record_intake(&mut conn, &p.hanh, &draft(THANH_SEN, ago, i % 10 == 0, false)).unwrap();
        }
        let app = init_service(app(state(&db))).await;
        let mut hanh = crate::case_pages::signed_in(&app, "hanh").await;
        let first = hanh.send(&app, hanh.get("/cases")).await;
        assert_eq!(first.status, 200);
        assert!(first.html.contains("51 hồ sơ"), "the total");
        assert!(first.html.contains("Chỉ hồ sơ trẻ em (6)"), "the count beside a filter");
        let next = link(&first.html, "Trang sau").expect("a next page link");
        assert!(next.starts_with("/cases?cursor="), "{next}");
        assert_eq!(rows(&first.html), 50, "fifty a page");

        let second = hanh.send(&app, hanh.get(&next)).await;
        assert_eq!(rows(&second.html), 1);
        assert!(link(&second.html, "Trang sau").is_none(), "the last page");
        assert_eq!(link(&second.html, "Về trang đầu").as_deref(), Some("/cases"));

        let filtered = hanh.send(&app, hanh.get("/cases?child=1&status=intake")).await;
        assert!(filtered.html.contains("6 hồ sơ"));

        let bad = hanh.send(&app, hanh.get("/cases?child=1&cursor=xyz")).await;
        assert_eq!(bad.status, 422);
        assert!(bad.html.contains("danh sách hiển thị lại từ trang đầu"));
        assert!(bad.html.contains("6 hồ sơ"), "the first page, filters kept");
    }
}

/// The address of the link whose text is `text`, if the page has one.
fn link(html: &str, text: &str) -> Option<String> {
    let end = html.find(&format!(">{text}</a>"))?;
    let start = html[..end].rfind("<a ")?;
    let tag = &html[start..end];
    let href = tag.split_once("href=\"")?.1.split_once('"')?.0;
    Some(href.replace("&amp;", "&"))
}

fn rows(html: &str) -> usize {
    html.matches("<th scope=\"row\"").count()
}
