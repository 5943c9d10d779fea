//! Choosing one's own password (issue 15, item 4): an account whose password an
//! administrator gave (a new account, a reset) chooses her own at her first
//! sign-in, before anything else and before the second factor; the API answers
//! `password_change_required` until then. A password its owner typed is kept.

use actix_web::test::init_service;
use binhan::domain::role::Role;
use binhan::http::app;
use serde_json::json;

use crate::on_both_backends;
use crate::onboarding::{admin, create, new_account, two_factor_code};
use crate::sign_in_pages::{Browser, sign_in};
use crate::support::api::{get, post, send};
use crate::support::app::{PASSWORD, account, state};
use crate::support::db::load_units;

on_both_backends! {
    async fn a_new_account_chooses_its_own_password_at_first_sign_in_before_anything_else(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let mut input = new_account("hanh", Role::SocialWorker, &["18073"], None);
        input.must_change_password = true;
        create(&db, &mut conn, &input).expect("created");
        let app = init_service(app(state(&db))).await;
        let given = crate::support::api::sign_in(&app, "hanh", false).await;

        let (status, me) = send(&app, get("/me", &given)).await;
        assert_eq!((status, me["stage"].as_str()), (200, Some("change_password")));
        for request in [get("/cases", &given), post("/me/second-factor", &given, json!({})), post("/auth/lock", &given, json!({}))] {
            let (status, problem) = send(&app, request).await;
            assert_eq!((status, problem["code"].as_str()), (403, Some("password_change_required")), "{problem}");
        }

        let same = json!({"current_password": PASSWORD, "new_password": PASSWORD});
        let (status, problem) = send(&app, post("/me/password", &given, same)).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "new_password");

        let own = "đồng lúa xanh mướt bên sông";
        let chosen = json!({"current_password": PASSWORD, "new_password": own});
        let res = actix_web::test::call_service(&app, post("/me/password", &given, chosen).to_request()).await;
        assert_eq!(res.status(), 204);
        let next = res.response().cookies().find(|c| c.name() == "__Host-binhan_session").expect("a new session").into_owned();
        assert_ne!(next.value(), given.value(), "a new token");

        assert_eq!(send(&app, get("/me", &given)).await.0, 401, "the session of the given password ended");
        let (status, me) = send(&app, get("/me", &next)).await;
        assert_eq!((status, me["stage"].as_str()), (200, Some("full")));
        assert_eq!(send(&app, get("/cases", &next)).await.0, 200);
        let user = binhan::store::users::by_username(&mut conn, "hanh").unwrap().unwrap();
        assert!(!user.must_change_password);

        let login = |password: &str| {
            actix_web::test::TestRequest::post()
                .uri("/api/v1/auth/login")
                .set_json(json!({"username": "hanh", "password": password}))
        };
        assert_eq!(send(&app, login(PASSWORD)).await.0, 401, "the given password is gone");
        let (status, me) = send(&app, login(own)).await;
        assert_eq!((status, me["stage"].as_str()), (200, Some("full")));
    }
}

/// The password shown once on the administrator's page.
fn shown_password(html: &str) -> String {
    let at = html.find(r#"<code class="secret">"#).expect("the password is shown")
        + r#"<code class="secret">"#.len();
    html[at..at + html[at..].find("</code>").expect("end")].to_string()
}

on_both_backends! {
    async fn a_password_reset_by_an_administrator_is_chosen_anew_first_then_the_second_factor_is_set_up(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        admin(&db, &mut conn);
        account(&db, &mut conn, "dung", Role::Supervisor);
        let app = init_service(app(state(&db))).await;
        let mut quantri = Browser::default();
        assert_eq!(sign_in(&app, &mut quantri, "quantri", PASSWORD, &two_factor_code()).await.status, 303);
        let confirm = quantri.send(&app, quantri.get("/admin/users/dung/reset-password")).await;
        let token = confirm.field("csrf_token");
        let reset = quantri.send(&app, quantri.post("/admin/users/dung/reset-password", &[("csrf_token", &token)])).await;
        assert_eq!(reset.status, 200);
        assert!(reset.html.contains("đặt mật khẩu của riêng mình"), "the administrator is told");
        let given = shown_password(&reset.html);

        let mut dung = Browser::default();
        let signed = sign_in(&app, &mut dung, "dung", &given, "").await;
        assert_eq!((signed.status, signed.location.as_str()), (303, "/account/new-password"));
        for path in ["/", "/account", "/account/second-factor", "/approvals", "/overview"] {
            let page = dung.send(&app, dung.get(path)).await;
            assert_eq!((page.status, page.location.as_str()), (303, "/account/new-password"), "{path}");
        }
        let form = dung.send(&app, dung.get("/account/new-password")).await;
        assert_eq!(form.status, 200);
        assert!(form.html.contains("Đặt mật khẩu của riêng bạn") && form.html.contains("do quản trị hệ thống cấp"));
        let token = form.field("csrf_token");

        let own = "mưa phùn gió bấc tháng giêng";
        let wrong = [("csrf_token", token.as_str()), ("current_password", "not it at all"), ("new_password", own), ("repeat_password", own)];
        let refused = dung.send(&app, dung.post("/account/new-password", &wrong)).await;
        assert_eq!(refused.status, 422);
        assert!(refused.html.contains("Mật khẩu được cấp không đúng"));

        let right = [("csrf_token", token.as_str()), ("current_password", given.as_str()), ("new_password", own), ("repeat_password", own)];
        let chosen = dung.send(&app, dung.post("/account/new-password", &right)).await;
        assert_eq!((chosen.status, chosen.location.as_str()), (303, "/account/second-factor"), "password first, then the second factor");
        let set_up = dung.send(&app, dung.get("/account/second-factor")).await;
        assert_eq!(set_up.status, 200, "{}", set_up.html);
        assert_eq!(dung.send(&app, dung.get("/")).await.location, "/account/second-factor");
        assert!(!binhan::store::users::by_username(&mut conn, "dung").unwrap().unwrap().must_change_password);
    }
}

on_both_backends! {
    async fn an_account_whose_owner_typed_its_password_is_not_asked_to_change_it(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        create(&db, &mut conn, &new_account("hanh", Role::SocialWorker, &["18073"], None)).expect("created");
        let app = init_service(app(state(&db))).await;
        let cookie = crate::support::api::sign_in(&app, "hanh", false).await;
        let (status, me) = send(&app, get("/me", &cookie)).await;
        assert_eq!((status, me["stage"].as_str()), (200, Some("full")));
        assert_eq!(send(&app, get("/cases", &cookie)).await.0, 200);
    }
}
