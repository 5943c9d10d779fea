//! Corrections to a recorded case (issue 15, item 9): every intake field can be
//! corrected, with the version check and an audit event; the birth date decides
//! the age group and whether she is a child; and the statistics tallies move
//! with a counted category so that `binhan stats rebuild` finds the same figures.

use actix_web::test::init_service;
use binhan::domain::intake::{IncidentDraft, IntakeDraft, PerpetratorDraft, SurvivorDraft};
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::cases::access::Caller;
use binhan::services::cases::detail::case_detail;
use binhan::services::cases::intake::record_intake;
use binhan::services::cases::work::{CaseEdit, edit_case};
use binhan::services::stats::tallies;
use binhan::store::DbConn;
use binhan::store::schema::audit_events;
use binhan::store::stats::Tally;
use chrono::{TimeZone, Utc};
use diesel::prelude::*;
use serde_json::json;
use uuid::Uuid;

use crate::case_pages::{new_case, people, signed_in};
use crate::on_both_backends;
use crate::support::api::{get, patch, post, send, sign_in};
use crate::support::app::{account, caller, state};
use crate::support::db::load_units;

const THANH_SEN: &str = "18073";
const TRAN_PHU: &str = "18100";

fn draft(commune: &str, birth: (i32, u32, u32), forms: &[&str]) -> IntakeDraft {
    IntakeDraft {
        report_source: "hotline".into(),
        report_channel: "phone".into(),
        reported_at: Some(Utc.with_ymd_and_hms(2026, 3, 10, 3, 0, 0).unwrap()),
        commune_code: commune.into(),
        survivor: SurvivorDraft {
            full_name: "Trần Thị Mơ".into(),
            sex: "female".into(),
            birth_date: chrono::NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2),
            ..Default::default()
        },
        incident: IncidentDraft {
            forms: forms.iter().map(|f| f.to_string()).collect(),
            gbv_type: "physical_assault".into(),
            ..Default::default()
        },
        perpetrator: PerpetratorDraft {
            relationship: "spouse".into(),
            sex: "male".into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// A supervisor of the province: corrections may move a case between communes.
fn supervisor(db: &crate::support::db::TestDb, conn: &mut DbConn) -> Caller {
    let minh = account(db, conn, "minh", Role::Supervisor);
    caller(db, &minh)
}

fn every_tally(conn: &mut DbConn) -> Vec<Tally> {
    let dims = ["commune", "age_sex", "form", "gbv_type", "perpetrator"];
    let mut rows = binhan::store::stats::tallies(conn, 190_001, 299_912, &dims, None).unwrap();
    rows.sort_by(|a, b| {
        (&a.dimension, a.month, &a.commune_code, &a.row, &a.column).cmp(&(
            &b.dimension,
            b.month,
            &b.commune_code,
            &b.row,
            &b.column,
        ))
    });
    rows
}

fn cases_in(rows: &[Tally], dimension: &str, row: &str, column: &str) -> i64 {
    rows.iter()
        .filter(|t| t.dimension == dimension && t.row == row && t.column == column)
        .map(|t| t.cases)
        .sum()
}

fn correct(conn: &mut DbConn, who: &Caller, case: Uuid, change: impl FnOnce(&mut CaseEdit)) -> i32 {
    let version = case_detail(conn, who, case).expect("read").case.version;
    let mut edit = CaseEdit { version, ..Default::default() };
    change(&mut edit);
    edit_case(conn, who, case, &edit).expect("corrected")
}

on_both_backends! {
    fn a_corrected_birth_date_makes_her_a_child_and_moves_her_in_the_age_tallies(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let who = supervisor(&db, &mut conn);
        let case = record_intake(&mut conn, &who, &draft(THANH_SEN, (1990, 5, 1), &["physical"])).unwrap().id;
        let before = every_tally(&mut conn);
        assert_eq!(cases_in(&before, "age_sex", "25-59", "female"), 1);

        // Reported on 10 March 2026: born in June 2011, she was 14 that day.
        correct(&mut conn, &who, case, |e| e.birth_date = Some("2011-06-02".into()));
        let read = case_detail(&mut conn, &who, case).unwrap();
        assert_eq!((read.profile.age_group.as_str(), read.profile.is_child), ("12-15", true));
        assert_eq!(read.survivor.and_then(|s| s.birth_date).as_deref(), Some("2011-06-02"));
        let after = every_tally(&mut conn);
        assert_eq!(
            (cases_in(&after, "age_sex", "25-59", "female"), cases_in(&after, "age_sex", "12-15", "female")),
            (0, 1)
        );
        assert!(!after.iter().any(|t| t.cases == 0), "no tally left at nought");
    }
}

on_both_backends! {
    fn after_a_series_of_corrections_the_tallies_equal_what_stats_rebuild_recounts(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let who = supervisor(&db, &mut conn);
        let first = record_intake(&mut conn, &who, &draft(THANH_SEN, (1990, 5, 1), &["physical", "mental"])).unwrap().id;
        let second = record_intake(&mut conn, &who, &draft(THANH_SEN, (1985, 1, 9), &["economic"])).unwrap().id;
        record_intake(&mut conn, &who, &draft(TRAN_PHU, (1970, 2, 3), &["mental"])).unwrap();

        correct(&mut conn, &who, first, |e| e.forms = Some(vec!["sexual".into()]));
        correct(&mut conn, &who, first, |e| e.commune_code = Some(TRAN_PHU.into()));
        correct(&mut conn, &who, second, |e| {
            e.reported_at = Some(Utc.with_ymd_and_hms(2026, 2, 20, 3, 0, 0).unwrap());
            e.gbv_type = Some(String::new());
            e.relationship = Some("former_spouse".into());
            e.perpetrator_sex = Some("female".into());
        });
        correct(&mut conn, &who, second, |e| e.sex = Some("male".into()));
        correct(&mut conn, &who, first, |e| e.birth_date = Some("2012-01-01".into()));

        let kept = every_tally(&mut conn);
        assert_eq!(cases_in(&kept, "form", "physical", ""), 0, "the corrected form left its tally");
        assert_eq!(cases_in(&kept, "form", "sexual", ""), 1);
        assert_eq!(cases_in(&kept, "perpetrator", "former_spouse", "female"), 1);
        let february: i64 = kept.iter().filter(|t| t.dimension == "commune" && t.month == 202_602).map(|t| t.cases).sum();
        assert_eq!(february, 1, "the corrected report month");
        let tran_phu: i64 = kept.iter().filter(|t| t.dimension == "commune" && t.commune_code == TRAN_PHU).map(|t| t.cases).sum();
        assert_eq!(tran_phu, 2, "the corrected commune");

        tallies::rebuild(&mut conn, &binhan::audit::Actor::command("test"), Utc::now().naive_utc()).unwrap();
        assert_eq!(every_tally(&mut conn), kept, "a recount finds what the corrections kept");
    }
}

on_both_backends! {
    async fn every_intake_field_is_corrected_through_the_api_with_the_version_check_and_an_audit_event(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let (_, created) = send(&app, post("/cases", &hanh, crate::support::intake::intake_json("Lê Thị Hằng", THANH_SEN))).await;
        let case = format!("/cases/{}", created["id"].as_str().unwrap());
        let birth = (Utc::now() - chrono::Duration::days(365 * 13)).date_naive().to_string();
        let body = json!({
            "version": 1,
            "report_channel": "in_person",
            "survivor": {"birth_date": birth, "id_number": "042190000123", "has_disability": true},
            "incident": {"forms": ["sexual", "physical"], "acts": [], "gbv_type": "rape", "gbv_context": "", "place": "Nhà hàng xóm"},
            "perpetrator": {"full_name": "Phạm Văn Tùng", "sex": "male", "relationship": "non_family", "commune_code": TRAN_PHU}
        });
        let (status, saved) = send(&app, patch(&case, &hanh, body.clone())).await;
        assert_eq!((status, saved["version"].as_i64()), (200, Some(2)), "{saved}");
        let (_, read) = send(&app, get(&case, &hanh)).await;
        assert_eq!(read["survivor"]["birth_date"], json!(birth));
        assert_eq!((read["survivor"]["age_group"].as_str(), read["survivor"]["is_child"].as_bool()), (Some("12-15"), Some(true)));
        assert_eq!(read["survivor"]["id_number"], "042190000123");
        assert_eq!(read["incident"]["forms"], json!(["physical", "sexual"]));
        assert_eq!(read["incident"]["acts"], json!([]));
        assert_eq!((read["incident"]["gbv_type"].as_str(), read["incident"]["gbv_context"].as_str()), (Some("rape"), None));
        assert_eq!(read["perpetrator"]["full_name"], "Phạm Văn Tùng");
        assert_eq!(read["perpetrator"]["commune_code"], TRAN_PHU);
        assert_eq!(read["report_channel"], "in_person");

        let (status, stale) = send(&app, patch(&case, &hanh, body)).await;
        assert_eq!((status, stale["current_version"].as_i64()), (409, Some(2)), "{stale}");
        let (status, problem) = send(&app, patch(&case, &hanh, json!({"version": 2, "incident": {"forms": []}, "survivor": {"birth_date": "31/02/2020"}}))).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "survivor.birth_date", "{problem}");
        let (status, problem) = send(&app, patch(&case, &hanh, json!({"version": 2, "incident": {"forms": []}}))).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("incident.forms")), "{problem}");
        let (status, _) = send(&app, patch(&case, &hanh, json!({"version": 2, "commune_code": TRAN_PHU}))).await;
        assert_eq!(status, 403, "a worker does not move a case out of her communes");

        let mut conn = db.conn();
        let updates: i64 = audit_events::table
            .filter(audit_events::action.eq("case.update"))
            .filter(audit_events::outcome.eq("success"))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(updates, 1, "the one correction that was saved is audited");
    }
}

on_both_backends! {
    async fn the_edit_form_corrects_the_birth_date_and_the_forms_of_violence(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let mut hanh = signed_in(&app, "hanh").await;
        let case = new_case(&app, &mut hanh, "Nguyễn Thị Hoa", THANH_SEN).await;
        let page = hanh.send(&app, hanh.get(&case)).await;
        let edit = page.html.split(r#"id="edit""#).nth(1).expect("the edit form");
        for field in ["survivor.birth_date", "incident.forms", "perpetrator.relationship", "perpetrator.full_name", "reported_at", "incident.gbv_type"] {
            assert!(edit.contains(&format!(r#"name="{field}""#)), "the form corrects {field}");
        }
        let birth = (Utc::now() - chrono::Duration::days(365 * 15 + 100)).date_naive().to_string();
        let (token, version) = (page.field("csrf_token"), page.field("version"));
        let form = [
            ("csrf_token", token.as_str()),
            ("version", version.as_str()),
            ("survivor.birth_date", birth.as_str()),
            ("incident.forms", ""),
            ("incident.forms", "sexual"),
            ("incident.forms", "economic"),
        ];
        let saved = hanh.send(&app, hanh.post(&format!("{case}/edit"), &form)).await;
        assert_eq!(saved.status, 303, "{}", saved.html);
        let page = hanh.send(&app, hanh.get(&saved.location)).await;
        let summary = page.html.split(r#"id="summary""#).nth(1).expect("summary");
        assert!(summary.contains("12–15 tuổi"), "the age group follows the birth date");
        let incident = page.html.split(r#"id="incident""#).nth(1).expect("incident");
        let incident = incident.split("<section").next().unwrap_or_default();
        assert!(incident.contains("Bạo lực tình dục") && incident.contains("Bạo lực kinh tế"), "{incident}");
        assert!(!incident.contains("Bạo lực thể chất"), "{incident}");
    }
}

on_both_backends! {
    fn correcting_a_case_to_immediate_danger_makes_it_at_least_high(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let minh = supervisor(&db, &mut conn);
        let case = record_intake(&mut conn, &minh, &draft(THANH_SEN, (1990, 4, 2), &["physical"])).unwrap().id;
        let before = case_detail(&mut conn, &minh, case).unwrap();
        assert_eq!(before.case.risk_level, None, "nobody assessed her at intake");

        let edit = CaseEdit { version: before.case.version, immediate_danger: Some(true), ..Default::default() };
        edit_case(&mut conn, &minh, case, &edit).expect("corrected");
        let after = case_detail(&mut conn, &minh, case).unwrap();
        assert!(after.case.immediate_danger, "the banner");
        let level = after.case.risk_level.as_deref();
        assert!(matches!(level, Some("high" | "severe")), "in danger but {level:?}");
    }
}
