//! The administrator's safe-house pages (issue 7): registering a house through the
//! form, a refused form keeping what was typed, and nobody else reaching the pages.

use actix_web::test::init_service;
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::auth::{current_code, enrol_with_secret};
use chrono::Utc;

use crate::on_both_backends;
use crate::sign_in_pages::{Browser, sign_in};
use crate::support::api::SECRET;
use crate::support::app::{PASSWORD, account, state};
use crate::support::db::load_units;

on_both_backends! {
    async fn an_administrator_registers_a_safe_house_and_only_administrators_can(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let admin = account(&db, &mut conn, "quantri", Role::Admin);
        enrol_with_secret(&mut conn, &db.keys(), admin.id, SECRET, Utc::now().naive_utc()).unwrap();
        account(&db, &mut conn, "hanh", Role::SocialWorker);
        let app = init_service(app(state(&db))).await;

        let mut hanh = Browser::default();
        assert_eq!(sign_in(&app, &mut hanh, "hanh", PASSWORD, "").await.status, 303);
        assert_eq!(hanh.send(&app, hanh.get("/admin/safe-houses")).await.status, 403);

        let mut quantri = Browser::default();
        let code = current_code(SECRET, Utc::now().naive_utc()).unwrap();
        assert_eq!(sign_in(&app, &mut quantri, "quantri", PASSWORD, &code).await.status, 303);
        let form = quantri.send(&app, quantri.get("/admin/safe-houses/new")).await;
        assert_eq!(form.status, 200, "{}", form.html);
        let token = form.field("csrf_token");
        let mut fields = vec![
            ("csrf_token", token.as_str()),
            ("name", "Địa chỉ tin cậy Thạch Trung"),
            ("commune_code", "18073"),
            ("kind", "trusted_address"),
            ("capacity", "0"),
            ("accepts_children", "yes"),
            ("address", "Số 3 ngõ 5"),
        ];
        let refused = quantri.send(&app, quantri.post("/admin/safe-houses", &fields)).await;
        assert_eq!(refused.status, 422);
        assert!(refused.html.contains("Số chỗ là một số từ 1 đến 500."), "{}", refused.html);
        assert!(refused.html.contains(r#"value="Địa chỉ tin cậy Thạch Trung""#), "the name typed is kept");

        fields[4] = ("capacity", "3");
        let saved = quantri.send(&app, quantri.post("/admin/safe-houses", &fields)).await;
        assert_eq!((saved.status, saved.location.as_str()), (303, "/admin/safe-houses?done=created"));
        let list = quantri.send(&app, quantri.get("/admin/safe-houses?done=created")).await;
        assert!(list.html.contains("Địa chỉ tin cậy Thạch Trung") && list.html.contains("Phường Thành Sen"), "{}", list.html);
        assert!(!list.html.contains("Số 3 ngõ 5"), "the address is never read back on the list");
        let houses = binhan::store::placements::houses(&mut conn).unwrap();
        assert_eq!((houses.len(), houses[0].capacity, houses[0].accepts_children), (1, 3, true));
    }
}
