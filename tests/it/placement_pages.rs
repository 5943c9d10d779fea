//! The placement pages (issue 8) through the real app, as a browser uses them: a
//! worker asks for beds from the case page and sees them waiting on the
//! availability board; the house accepts, checks in and out from its own board;
//! a name shows only from acceptance until check-out; staff reach nothing of
//! another house and no case; a request for more people than beds comes back
//! whole with the reason.

use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::init_service;
use binhan::domain::role::Role;
use binhan::http::app;

use crate::case_pages::new_case;
use crate::on_both_backends;
use crate::sign_in_pages::{Browser, Page, sign_in};
use crate::support::app::{PASSWORD, account, safe_house, staff_of, state};
use crate::support::db::{TestDb, load_units};

const THANH_SEN: &str = "18073";
const NAME: &str = "Nguyễn Thị Hoa";
const PHONE: &str = "0912 345 678";
const ALIAS: &str = "Chị H.";
const HOUSE: &str = "Địa chỉ tin cậy Thạch Hạ";
const OTHER_HOUSE: &str = "Nhà tạm lánh Hà Huy Tập";
/// The address `support::app::safe_house` gives every test house.
const ADDRESS: &str = "Số 12 ngõ 4, phường Thành Sen";

/// The houses: Cô Mai's (3 beds) and another (2 beds), each with its staff.
struct Houses {
    mine: String,
    other: String,
}

/// A social worker of Thành Sen (hanh), two houses, mai staff of the first and
/// tam of the second.
fn people(db: &TestDb) -> Houses {
    let mut conn = db.migrated();
    load_units(&mut conn);
    account(db, &mut conn, "hanh", Role::SocialWorker);
    let mine = safe_house(db, &mut conn, HOUSE, 3);
    let other = safe_house(db, &mut conn, OTHER_HOUSE, 2);
    staff_of(db, &mut conn, "mai", &mine);
    staff_of(db, &mut conn, "tam", &other);
    Houses { mine, other }
}

async fn signed_in<S, B>(app: &S, username: &str) -> Browser
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut browser = Browser::default();
    let res = sign_in(app, &mut browser, username, PASSWORD, "").await;
    assert_eq!(res.status, 303, "{username} signs in: {}", res.html);
    browser
}

/// Sends `fields` with the CSRF token of `page`.
async fn post_from<S, B>(
    app: &S,
    browser: &mut Browser,
    page: &Page,
    uri: &str,
    fields: &[(&str, &str)],
) -> Page
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let token = page.field("csrf_token");
    let mut all = fields.to_vec();
    all.push(("csrf_token", &token));
    browser.send(app, browser.post(uri, &all)).await
}

/// A case of Thành Sen, made through the intake form, whose survivor agreed to
/// go to a safe house (recorded on the case page). Returns the case's address.
async fn consented_case<S, B>(app: &S, hanh: &mut Browser) -> String
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let case = new_case(app, hanh, NAME, THANH_SEN).await;
    let page = hanh.send(app, hanh.get(&case)).await;
    let consent = [("purpose", "placement"), ("given_by", "survivor"), ("given_at", "")];
    let res = post_from(app, hanh, &page, &format!("{case}/consents"), &consent).await;
    assert_eq!(res.status, 303, "consent recorded: {}", res.html);
    case
}

/// Asks `house` for beds from the case page, for her and `children` (age group,
/// how many).
async fn request<S, B>(
    app: &S,
    hanh: &mut Browser,
    case: &str,
    house: &str,
    children: &[(&str, &str)],
) -> Page
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let page = hanh.send(app, hanh.get(case)).await;
    assert!(
        page.html.contains(r#"action="/cases/"#) && page.html.contains("/placements\""),
        "the request form"
    );
    let mut fields = vec![
        ("safe_house_id", house),
        ("alias", ALIAS),
        ("needs", "Khám sức khỏe; quần áo cho bé trai"),
        ("expected_end_on", ""),
    ];
    fields.extend_from_slice(children);
    post_from(app, hanh, &page, &format!("{case}/placements"), &fields).await
}

/// The row of `house` on the availability board.
fn row<'p>(board: &'p Page, house: &str) -> &'p str {
    let start = board.html.find(&format!(r#"<tr id="house-{house}">"#)).expect("the house is on the board");
    let rest = &board.html[start..];
    &rest[..rest.find("</tr>").expect("end of row")]
}

/// The id of the first placement the staff board offers a step on.
fn placement_on(board: &Page) -> String {
    let marker = r#"action="/placements/"#;
    let at = board.html.find(marker).expect("a placement with a step") + marker.len();
    board.html[at..at + 36].to_string()
}

/// Takes a step on the house's board as its staff, from the board's own form.
async fn step<S, B>(app: &S, staff: &mut Browser, what: &str, extra: &[(&str, &str)]) -> Page
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let board = staff.send(app, staff.get("/placements")).await;
    assert_eq!(board.status, 200, "{}", board.html);
    let id = placement_on(&board);
    let version = board.field("version");
    let mut fields = vec![("version", version.as_str())];
    fields.extend_from_slice(extra);
    let res = post_from(app, staff, &board, &format!("/placements/{id}/{what}"), &fields).await;
    assert_eq!(
        (res.status, res.location.as_str()),
        (303, format!("/placements?done={what}").as_str()),
        "{}",
        res.html
    );
    staff.send(app, staff.get(&res.location)).await
}

fn assert_neutral(page: &Page) {
    crate::pages::assert_csp_safe("placement page", &page.html);
    let title = page.title();
    assert!(title.starts_with("Bình An – "), "{title}");
    for personal in [NAME, ALIAS, "Hoa"] {
        assert!(!title.contains(personal), "the title names her: {title}");
    }
}

on_both_backends! {
    async fn a_worker_requests_a_placement_from_the_case_page_and_the_board_shows_it_waiting(db: TestDb) {
        let houses = people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = consented_case(&app, &mut hanh).await;
        let before = hanh.send(&app, hanh.get("/safe-houses")).await;
        assert_eq!(before.status, 200, "{}", before.html);
        assert!(row(&before, &houses.mine).contains("3 / 3 chỗ trống"), "{}", row(&before, &houses.mine));
        assert!(!before.html.contains(ADDRESS), "the board never shows an address");
        assert!(before.html.contains(r#"<a href="/safe-houses" aria-current="page">Chỗ trống</a>"#), "in the navigation");

        let sent = request(&app, &mut hanh, &case, &houses.mine, &[("children.6-11", "1")]).await;
        assert_eq!((sent.status, sent.location.as_str()), (303, format!("{case}?done=placement-requested#placements").as_str()), "{}", sent.html);
        let page = hanh.send(&app, hanh.get(&format!("{case}?done=placement-requested"))).await;
        assert!(page.html.contains("Đã gửi đề nghị bố trí tạm lánh."));
        let placements = page.html.split(r#"id="placements""#).nth(1).expect("the placements section");
        assert!(placements.contains(HOUSE) && placements.contains("Chờ nhận") && placements.contains("6–11 tuổi"), "{placements}");
        assert!(!placements.contains(ADDRESS), "no address before the house accepts");
        assert!(placements.contains("Hủy đề nghị"), "she may still cancel");
        assert!(page.html.contains(r#"<a href="/safe-houses">"#), "the case page links to the board");

        let after = hanh.send(&app, hanh.get("/safe-houses")).await;
        let mine = row(&after, &houses.mine);
        assert!(mine.contains(r#"data-label="Đề nghị đang chờ">1</td>"#), "one request waiting: {mine}");
        assert!(mine.contains("3 / 3 chỗ trống"), "a request holds no bed yet: {mine}");
        assert_neutral(&after);
        assert_neutral(&page);
    }
}

on_both_backends! {
    async fn when_the_house_accepts_the_availability_board_shows_the_beds_taken_and_the_worker_sees_the_address(db: TestDb) {
        let houses = people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let mut mai = signed_in(&app, "mai").await;
        let case = consented_case(&app, &mut hanh).await;
        assert_eq!(request(&app, &mut hanh, &case, &houses.mine, &[]).await.status, 303);

        let home = mai.send(&app, mai.get("/")).await;
        assert!(home.html.contains(HOUSE), "her home names her house: {}", home.html);
        assert!(home.html.contains("1 đề nghị đang chờ nhận"), "{}", home.html);
        let board = step(&app, &mut mai, "accept", &[]).await;
        assert!(board.html.contains("Đã nhận. Chỗ được giữ"), "{}", board.html);
        let holds = board.html.split(r#"id="holds""#).nth(1).expect("holds");
        assert!(holds.contains("Giữ chỗ đến"), "the hold shows when it ends");
        assert_neutral(&board);

        let after = hanh.send(&app, hanh.get("/safe-houses")).await;
        assert!(row(&after, &houses.mine).contains("2 / 3 chỗ trống"), "{}", row(&after, &houses.mine));
        assert!(row(&after, &houses.mine).contains(r#"data-label="Đề nghị đang chờ">0</td>"#));
        let page = hanh.send(&app, hanh.get(&case)).await;
        let placements = page.html.split(r#"id="placements""#).nth(1).expect("the placements section");
        assert!(placements.contains("Đã nhận, đang giữ chỗ") && placements.contains(ADDRESS), "{placements}");
    }
}

on_both_backends! {
    async fn staff_see_her_name_only_from_acceptance_until_check_out(db: TestDb) {
        let houses = people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let mut mai = signed_in(&app, "mai").await;
        let case = consented_case(&app, &mut hanh).await;
        assert_eq!(request(&app, &mut hanh, &case, &houses.mine, &[("children.6-11", "1")]).await.status, 303);

        let asked = mai.send(&app, mai.get("/placements")).await;
        let requests = asked.html.split(r#"id="requests""#).nth(1).expect("requests");
        for minimum in [ALIAS, "Nữ, 25–59 tuổi", "6–11 tuổi", "Khám sức khỏe; quần áo cho bé trai"] {
            assert!(requests.contains(minimum), "the request shows {minimum}: {requests}");
        }
        assert!(!asked.html.contains(NAME) && !asked.html.contains(PHONE), "no name before acceptance");

        let held = step(&app, &mut mai, "accept", &[]).await;
        assert!(held.html.contains(NAME) && held.html.contains(PHONE), "the name from acceptance");
        let staying = step(&app, &mut mai, "check-in", &[]).await;
        let residents = staying.html.split(r#"id="residents""#).nth(1).expect("residents");
        assert!(residents.contains(NAME) && residents.contains(PHONE), "and during the stay: {residents}");
        assert_neutral(&staying);

        let left = step(&app, &mut mai, "check-out", &[("outcome", "with_relatives")]).await;
        assert!(left.html.contains("Đã ghi nhận rời đi."));
        assert!(!left.html.contains(NAME) && !left.html.contains(PHONE), "no name after check-out");
        let past = left.html.split(r#"id="past""#).nth(1).expect("past");
        assert!(past.contains("Đã rời đi") && past.contains("Về ở với người thân"), "{past}");
        let board = hanh.send(&app, hanh.get("/safe-houses")).await;
        assert!(row(&board, &houses.mine).contains("3 / 3 chỗ trống"), "the beds are free again");
    }
}

on_both_backends! {
    async fn staff_get_404_for_another_houses_placement_and_for_any_case_page(db: TestDb) {
        let houses = people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let mut mai = signed_in(&app, "mai").await;
        let mut tam = signed_in(&app, "tam").await;
        let case = consented_case(&app, &mut hanh).await;
        assert_eq!(request(&app, &mut hanh, &case, &houses.other, &[]).await.status, 303);
        let theirs = placement_on(&tam.send(&app, tam.get("/placements")).await);

        let own = mai.send(&app, mai.get("/placements")).await;
        assert!(!own.html.contains(&theirs) && !own.html.contains(ALIAS), "another house's request is not on her board");
        for what in ["accept", "decline", "check-in", "check-out"] {
            let res = post_from(&app, &mut mai, &own, &format!("/placements/{theirs}/{what}"), &[("version", "1"), ("reason", "no_bed")]).await;
            assert_eq!(res.status, 404, "{what}: {}", res.html);
            assert!(!res.html.contains(ALIAS));
        }
        let still = tam.send(&app, tam.get("/placements")).await;
        assert!(still.html.contains(ALIAS) && still.html.contains("Chờ nhận"), "nothing changed");

        assert_eq!(mai.send(&app, mai.get(&case)).await.status, 404, "staff never open a case");
        let token = own.field("csrf_token");
        let cancel = mai.send(&app, mai.post(&format!("{case}/placements/{theirs}/cancel"), &[("csrf_token", &token), ("version", "1")])).await;
        assert_eq!(cancel.status, 404, "nor work on one");
        assert_eq!(hanh.send(&app, hanh.get("/placements")).await.status, 404, "a worker has no house board");
    }
}

on_both_backends! {
    async fn a_request_for_more_people_than_beds_is_refused_with_a_clear_message_and_the_input_kept(db: TestDb) {
        let houses = people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = consented_case(&app, &mut hanh).await;
        let res = request(&app, &mut hanh, &case, &houses.mine, &[("children.0-5", "2"), ("children.6-11", "1")]).await;
        assert_eq!(res.status, 409, "{}", res.html);
        let placements = res.html.split(r#"id="placements""#).nth(1).expect("the placements section");
        assert!(placements.contains(r#"role="alert""#), "{placements}");
        assert!(placements.contains("Nơi này chỉ có 3 chỗ, cần 4 chỗ"), "{placements}");
        assert!(placements.contains("Hãy chọn nơi khác."), "the worker is told what to do: {placements}");
        for kept in [
            format!(r#"<option value="{}" selected>"#, houses.mine),
            format!(r#"value="{ALIAS}""#),
            "Khám sức khỏe; quần áo cho bé trai".to_string(),
            r#"name="children.0-5" value="2""#.to_string(),
            r#"name="children.6-11" value="1""#.to_string(),
        ] {
            assert!(placements.contains(&kept), "not kept: {kept}");
        }
        assert!(placements.contains("Chưa có đề nghị bố trí tạm lánh nào."), "nothing was asked");
        assert_neutral(&res);
    }
}

on_both_backends! {
    async fn without_consent_a_request_is_refused_and_the_override_is_offered_in_the_placements_section(db: TestDb) {
        let houses = people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = new_case(&app, &mut hanh, NAME, THANH_SEN).await;
        let res = request(&app, &mut hanh, &case, &houses.mine, &[]).await;
        assert_eq!(res.status, 409, "{}", res.html);
        let placements = res.html.split(r#"id="placements""#).nth(1).expect("the placements section");
        let placements = placements.split(r#"id="notes""#).next().expect("up to the notes");
        assert!(placements.contains("Đến nơi tạm lánh") && placements.contains(r#"role="alert""#), "{placements}");
        assert!(placements.contains(&format!(r#"action="{case}/overrides""#)), "the override is offered here: {placements}");
        assert!(placements.contains(r#"name="purpose" value="placement""#));
        assert!(placements.contains(&format!(r#"value="{ALIAS}""#)), "her input is kept");
    }
}

on_both_backends! {
    async fn a_second_request_on_the_case_page_names_the_open_placements_house_and_a_transfer_is_a_check_out_then_a_request(db: TestDb) {
        let houses = people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let mut mai = signed_in(&app, "mai").await;
        let case = consented_case(&app, &mut hanh).await;
        assert_eq!(request(&app, &mut hanh, &case, &houses.mine, &[]).await.status, 303);

        let again = request(&app, &mut hanh, &case, &houses.other, &[]).await;
        assert_eq!(again.status, 409, "{}", again.html);
        let placements = again.html.split(r#"id="placements""#).nth(1).expect("the placements section");
        assert!(placements.contains(r#"role="alert""#), "{placements}");
        assert!(
            placements.contains("Hồ sơ này đã có một lượt tạm lánh đang mở (trạng thái: Chờ nhận)")
                && placements.contains(&format!("Lượt tạm lánh đó ở {HOUSE}.")),
            "{placements}"
        );
        assert!(placements.contains("“Chuyển nơi khác”"), "the way to move her is named: {placements}");
        assert!(placements.contains(&format!(r#"value="{ALIAS}""#)), "her input is kept");
        assert!(!again.title().contains(HOUSE), "{}", again.title());

        step(&app, &mut mai, "accept", &[]).await;
        let staying = step(&app, &mut mai, "check-in", &[]).await;
        assert!(
            staying.html.contains(r#"<option value="transferred">Chuyển nơi khác</option>"#),
            "the check-out form offers the move"
        );
        let left = step(&app, &mut mai, "check-out", &[("outcome", "transferred")]).await;
        let past = left.html.split(r#"id="past""#).nth(1).expect("past");
        assert!(past.contains("Chuyển nơi khác"), "{past}");

        assert_eq!(request(&app, &mut hanh, &case, &houses.other, &[]).await.status, 303, "then she may be asked for elsewhere");
    }
}

/// The id of the request the staff board offers to accept.
fn request_to_accept(board: &Page) -> String {
    let at = board.html.find("/accept\"").expect("a request to accept");
    board.html[at - 36..at].to_string()
}

on_both_backends! {
    async fn refusals_tell_the_house_staff_to_decline_or_wait_never_to_choose_another_house(db: TestDb) {
        let houses = people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let mut mai = signed_in(&app, "mai").await;
        let first = consented_case(&app, &mut hanh).await;
        let asked = request(&app, &mut hanh, &first, &houses.mine, &[("children.0-5", "1"), ("children.6-11", "1")]).await;
        assert_eq!(asked.status, 303, "{}", asked.html);
        let second = new_case(&app, &mut hanh, "Trần Thị Lan", THANH_SEN).await;
        let page = hanh.send(&app, hanh.get(&second)).await;
        let consent = [("purpose", "placement"), ("given_by", "survivor"), ("given_at", "")];
        assert_eq!(post_from(&app, &mut hanh, &page, &format!("{second}/consents"), &consent).await.status, 303);
        assert_eq!(request(&app, &mut hanh, &second, &houses.mine, &[]).await.status, 303);

        let board = mai.send(&app, mai.get("/placements")).await;
        let first_request = request_to_accept(&board);
        let accepted = post_from(&app, &mut mai, &board, &format!("/placements/{first_request}/accept"), &[("version", "1")]).await;
        assert_eq!(accepted.status, 303, "{}", accepted.html);
        let board = mai.send(&app, mai.get("/placements")).await;
        let last = request_to_accept(&board);
        let refused = post_from(&app, &mut mai, &board, &format!("/placements/{last}/accept"), &[("version", "1")]).await;
        assert_eq!(refused.status, 409, "{}", refused.html);
        assert!(refused.html.contains("chỗ trống, cần"), "the places free and needed: {}", refused.html);
        assert!(refused.html.contains("Hãy từ chối đề nghị với lý do “Hết chỗ”"), "staff are told what they can do");
        assert!(!refused.html.contains("chọn nơi khác"), "staff do not choose a house: {}", refused.html);
    }
}
