//! The HTTP skeleton, driven in-process through the real actix app.

use actix_web::test::{TestRequest, call_service, init_service, read_body_json};
use binhan::http::{AppState, app};

use crate::on_both_backends;
use crate::support::db::TestDb;

fn state(db: &TestDb) -> AppState {
    crate::support::app::state(db)
}

const SECURITY_HEADERS: [(&str, &str); 6] = [
    ("content-security-policy", "frame-ancestors 'none'"),
    ("cache-control", "no-store"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("strict-transport-security", "includeSubDomains"),
];

on_both_backends! {
    async fn readyz_answers_200_once_migrations_are_current(db: TestDb) {
        db.migrated();
        let app = init_service(app(state(&db))).await;
        let res = call_service(&app, TestRequest::get().uri("/readyz").to_request()).await;
        assert_eq!(res.status(), 200);
        let body: serde_json::Value = read_body_json(res).await;
        assert_eq!(body["status"], "ready");
    }
}

on_both_backends! {
    async fn readyz_answers_503_while_migrations_are_pending(db: TestDb) {
        let app = init_service(app(state(&db))).await;
        let res = call_service(&app, TestRequest::get().uri("/readyz").to_request()).await;
        assert_eq!(res.status(), 503);
        assert_eq!(res.headers().get("content-type").unwrap(), "application/problem+json");
        let body: serde_json::Value = read_body_json(res).await;
        assert_eq!(body["code"], "unavailable");
    }
}

#[actix_web::test]
async fn every_response_carries_the_security_headers_and_a_request_id() {
    let db = TestDb::sqlite();
    db.migrated();
    let app = init_service(app(state(&db))).await;
    for uri in ["/healthz", "/readyz", "/no-such-page"] {
        let res = call_service(&app, TestRequest::get().uri(uri).to_request()).await;
        for (name, expected) in SECURITY_HEADERS {
            let value = res.headers().get(name).unwrap_or_else(|| panic!("{uri} lacks {name}"));
            assert!(value.to_str().unwrap().contains(expected), "{uri}: {name}: {value:?}");
        }
        let id = res.headers().get("x-request-id").expect("request id").to_str().unwrap();
        assert_eq!(id.len(), 32);
    }
}

#[actix_web::test]
async fn an_unknown_route_is_a_404_problem_in_vietnamese_first() {
    let db = TestDb::sqlite();
    let app = init_service(app(state(&db))).await;
    let res = call_service(&app, TestRequest::get().uri("/api/v1/nothing").to_request()).await;
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers().get("content-type").unwrap(), "application/problem+json");
    let body: serde_json::Value = read_body_json(res).await;
    assert_eq!(body["code"], "not_found");
    assert_eq!(body["status"], 404);
    assert!(body["title"].as_str().unwrap().starts_with("Không tìm thấy"));
}

#[actix_web::test]
async fn pages_api_and_static_files_are_served_gzipped_when_the_browser_asks() {
    use std::io::Read;
    let db = TestDb::sqlite();
    db.migrated();
    let app = init_service(app(state(&db))).await;
    for uri in ["/login", "/api/v1/openapi.json", "/static/app.css"] {
        let plain =
            actix_web::test::read_body(call_service(&app, TestRequest::get().uri(uri).to_request()).await)
                .await;
        let asked = TestRequest::get().uri(uri).insert_header(("accept-encoding", "gzip")).to_request();
        let res = call_service(&app, asked).await;
        assert_eq!(res.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("gzip"), "{uri}");
        assert!(
            res.headers().get_all("vary").any(|v| v.to_str().unwrap().contains("accept-encoding")),
            "{uri}"
        );
        let zipped = actix_web::test::read_body(res).await;
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&zipped[..]).read_to_end(&mut unzipped).unwrap();
        assert!(zipped.len() < plain.len(), "{uri}: {} bytes gzip'd, {} plain", zipped.len(), plain.len());
        assert_eq!(unzipped.len(), plain.len(), "{uri}: the same page");
    }
}
