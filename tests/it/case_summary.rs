//! The case page summary first (issue 16): the workflow status bar with the case's
//! step marked, the risk, the next deadline and the work the step needs before
//! anything else; an index of the sections; long histories folded; the answer to
//! the page's script (`X-Binhan-Swap: 1`) holding `<main>`'s content alone; and a
//! page small enough for a slow line once gzip'd.

use std::io::Read;

use actix_web::test::init_service;
use binhan::http::app;

use crate::case_pages::{new_case, people, signed_in};
use crate::on_both_backends;
use crate::sign_in_pages::{Browser, Page};
use crate::support::app::state;

const THANH_SEN: &str = "18073";

/// The part of `html` from `start` up to the next `end`.
fn between<'h>(html: &'h str, start: &str, end: &str) -> &'h str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start} in {html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

async fn note<S, B>(app: &S, browser: &mut Browser, case: &str, body: &str) -> Page
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let page = browser.send(app, browser.get(case)).await;
    let token = page.field("csrf_token");
    let form = [("csrf_token", token.as_str()), ("kind", "note"), ("body", body), ("due_at", "")];
    browser.send(app, browser.post(&format!("{case}/notes"), &form)).await
}

on_both_backends! {
    async fn the_case_page_opens_with_the_status_bar_at_the_current_step_the_risk_the_next_deadline_and_the_steps_work(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = new_case(&app, &mut hanh, "Nguyễn Thị Hoa", THANH_SEN).await;
        let page = hanh.send(&app, hanh.get(&case)).await;
        assert_eq!(page.status, 200);
        crate::pages::assert_csp_safe("case", &page.html);

        let overview = between(&page.html, r#"id="overview""#, "</section>");
        let bar = between(overview, r#"<ol class="workflow""#, "</ol>");
        let steps: Vec<&str> = bar.split("<li").skip(1).collect();
        assert_eq!(steps.len(), 6, "every step of the lifecycle: {bar}");
        assert!(steps[0].starts_with(r#" class="current" aria-current="step">Tiếp nhận"#), "{bar}");
        assert!(steps[5].contains("Đóng hồ sơ") && steps[5].starts_with(r#" class="todo""#), "{bar}");
        assert_eq!(bar.matches("aria-current").count(), 1, "one step is the case's: {bar}");
        // In danger at intake: the risk is high before anyone assessed it.
        assert!(overview.contains(r#"<dt>Mức độ nguy cơ</dt><dd><span class="risk high">Cao</span>"#), "{overview}");
        assert!(overview.contains("<dt>Hạn tiếp theo</dt>"), "{overview}");
        assert!(overview.contains("Có người đang gặp nguy hiểm ngay"), "the danger flag: {overview}");
        for (href, words) in [("#risk", "Đánh giá nguy cơ"), ("#placements", "Yêu cầu chỗ tạm lánh"), ("#referrals", "Chuyển gửi")] {
            assert!(overview.contains(&format!(r#"href="{href}">{words}</a>"#)), "{words}: {overview}");
        }
        assert!(overview.contains("Chuyển sang: Đánh giá"), "the next step's button: {overview}");
        let safe = page.html.find(r#"id="safe-contact""#).expect("safe contact");
        let index = page.html.find(r#"class="card section-index""#).expect("index");
        let risk = page.html.find(r#"<section class="card" id="risk""#).expect("risk section");
        assert!(page.html.find(r#"id="overview""#).unwrap() < safe && safe < index && index < risk, "summary, safe contact, index, sections");
        let nav = between(&page.html, r#"class="card section-index""#, "</nav>");
        for anchor in ["risk", "consents", "measures", "referrals", "placements", "notes", "timeline", "survivor", "incident", "perpetrator"] {
            assert!(nav.contains(&format!(r##"href="#{anchor}""##)), "{anchor}: {nav}");
            assert!(page.html.contains(&format!(r#"id="{anchor}""#)), "the index's {anchor} is on the page");
        }

        let token = page.field("csrf_token");
        let version = page.field("version");
        let moved = hanh
            .send(&app, hanh.post(&format!("{case}/transition"), &[("csrf_token", &token), ("version", &version), ("to", "assessment")]))
            .await;
        assert_eq!(moved.status, 303, "{}", moved.html);
        let page = hanh.send(&app, hanh.get(&moved.location)).await;
        let bar = between(&page.html, r#"<ol class="workflow""#, "</ol>");
        assert!(bar.contains(r#"<li class="done">Tiếp nhận<span class="visually-hidden"> (đã xong)</span></li>"#), "{bar}");
        assert!(bar.contains(r#"<li class="current" aria-current="step">Đánh giá</li>"#), "{bar}");
    }
}

on_both_backends! {
    async fn five_notes_show_the_newest_three_and_fold_the_older_two_under_see_all(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = new_case(&app, &mut hanh, "Nguyễn Thị Hoa", THANH_SEN).await;
        for n in 1..=5 {
            let sent = note(&app, &mut hanh, &case, &format!("Ghi chú số {n}")).await;
            assert_eq!(sent.status, 303, "{}", sent.html);
            assert!(sent.location.ends_with("#notes"), "back to the notes: {}", sent.location);
        }
        let page = hanh.send(&app, hanh.get(&case)).await;
        let notes = between(&page.html, r#"<section class="card" id="notes""#, "</section>");
        let (shown, folded) = notes.split_once(r#"<details class="more">"#).expect("the older notes are folded");
        let folded = folded.split("</details>").next().expect("end of the fold");
        assert!(folded.contains("<summary>Xem tất cả (5)</summary>"), "{folded}");
        for n in [5, 4, 3] {
            assert!(shown.contains(&format!("Ghi chú số {n}")), "note {n} is shown: {shown}");
            assert!(!folded.contains(&format!("Ghi chú số {n}")), "note {n} is not folded");
        }
        for n in [2, 1] {
            assert!(folded.contains(&format!("Ghi chú số {n}")) && !shown.contains(&format!("Ghi chú số {n}")), "note {n} is folded");
        }
        assert!(shown.find("Ghi chú số 5") < shown.find("Ghi chú số 3"), "newest first");

        // Three notes or fewer fold nothing.
        let risk = between(&page.html, r#"<section class="card" id="timeline""#, "</section>");
        assert!(!risk.contains("Xem tất cả"), "{risk}");
    }
}

on_both_backends! {
    async fn a_request_of_the_pages_script_gets_only_mains_content_and_every_page_varies_with_it(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = new_case(&app, &mut hanh, "Nguyễn Thị Hoa", THANH_SEN).await;

        let whole = hanh.send(&app, hanh.get(&case)).await;
        let part = hanh.send(&app, hanh.get(&case).insert_header(("x-binhan-swap", "1"))).await;
        for page in [&whole, &part] {
            assert_eq!(page.status, 200);
            let varies: Vec<&str> = page.headers.get_all("vary").filter_map(|v| v.to_str().ok()).collect();
            assert!(varies.iter().any(|v| v.to_ascii_lowercase().contains("x-binhan-swap")), "{varies:?}");
            assert_eq!(page.header("cache-control"), "no-store");
        }
        assert!(whole.html.starts_with("<!DOCTYPE html>") && whole.html.contains(r#"<main id="main""#));
        assert_eq!(part.title(), whole.title(), "the title comes along");
        for layout in ["<!DOCTYPE", "<html", "<head", "<header", "<footer", "<main", "<script", r#"id="lock""#] {
            assert!(!part.html.contains(layout), "the fragment holds no {layout}");
        }
        let main = between(&whole.html, r#"<main id="main" tabindex="-1">"#, "</main>");
        let main = main.trim_start_matches(r#"<main id="main" tabindex="-1">"#);
        let body = part.html.split_once("</title>").expect("title first").1;
        assert_eq!(body.trim(), main.trim(), "the fragment is what <main> holds");

        // A refused form answers with the fragment too, its problem in its section.
        let token = whole.field("csrf_token");
        let refused = hanh
            .send(&app, hanh.post(&format!("{case}/notes"), &[("csrf_token", &token), ("kind", "note"), ("body", "")]).insert_header(("x-binhan-swap", "1")))
            .await;
        assert_eq!(refused.status, 422, "{}", refused.html);
        assert!(!refused.html.contains("<header") && refused.html.contains(r#"role="alert""#));
        let notes = between(&refused.html, r#"<section class="card" id="notes""#, "</section>");
        assert!(notes.contains(r#"<details class="add" open>"#), "the form sent stays open: {notes}");
    }
}

on_both_backends! {
    async fn a_case_page_weighs_at_most_15_kb_gzipped(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = new_case(&app, &mut hanh, "Nguyễn Thị Hoa", THANH_SEN).await;
        for n in 1..=5 {
            note(&app, &mut hanh, &case, &format!("Gọi lại lần {n}: chị an toàn, hẹn gặp tại trạm y tế.")).await;
        }
        let asked = hanh.get(&case).insert_header(("accept-encoding", "gzip")).to_request();
        let res = actix_web::test::call_service(&app, asked).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
        let zipped = actix_web::test::read_body(res).await;
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&zipped[..]).read_to_end(&mut plain).expect("gzip");
        println!("case page: {} bytes, {} gzip'd", plain.len(), zipped.len());
        assert!(String::from_utf8(plain).expect("utf-8").contains(r#"<ol class="workflow""#));
        assert!(zipped.len() <= 15 * 1024, "{} bytes gzip'd", zipped.len());
    }
}
