//! Case management through the JSON API (issue 6): intake, the lifecycle, consent
//! and overrides, closure with a supervisor's approval, stale saves, bad input,
//! search by name, erasure — each as a worker or supervisor would meet it, on both
//! databases.

use actix_web::test::init_service;
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::auth::enrol_with_secret;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::api::{SECRET, get, patch, post, send, sign_in};
use crate::support::app::{account, provider, state};
use crate::support::db::{TestDb, load_units};

/// A worker of Thành Sen (18073) and a supervisor of the province.
fn people(db: &TestDb) {
    let mut conn = db.migrated();
    load_units(&mut conn);
    account(db, &mut conn, "hanh", Role::SocialWorker);
    let dung = account(db, &mut conn, "dung", Role::Supervisor);
    enrol_with_secret(&mut conn, &db.keys(), dung.id, SECRET, Utc::now().naive_utc()).unwrap();
    let thu = account(db, &mut conn, "thu", Role::CommitteeMember);
    enrol_with_secret(&mut conn, &db.keys(), thu.id, SECRET, Utc::now().naive_utc()).unwrap();
}

/// An intake as the form sends it.
fn intake(name: &str, phone: &str, commune: &str) -> Value {
    json!({
        "report_source": "village_head",
        "report_channel": "phone",
        "reported_at": (Utc::now() - Duration::hours(2)).to_rfc3339(),
        "commune_code": commune,
        "immediate_danger": true,
        "risk_factors": ["threats_to_kill"],
        "survivor": {
            "full_name": name, "sex": "female", "birth_date": "1991-04-12", "phone": phone,
            "safe_contact": "Không gọi số nhà; nhắn tin cho chị gái"
        },
        "incident": {
            "occurred_on": (Utc::now() - Duration::days(1)).date_naive().to_string(),
            "forms": ["physical", "mental"], "acts": ["harm_health_life"],
            "gbv_type": "physical_assault", "gbv_context": "intimate_partner",
            "narrative": "Chồng đánh và đe dọa giết nếu chị bỏ đi.", "place": "Tại nhà riêng"
        },
        "perpetrator": {"full_name": "Trần Văn Bạo", "sex": "male", "relationship": "spouse"}
    })
}

fn child_intake(name: &str, commune: &str) -> Value {
    let mut body = intake(name, "0912 000 111", commune);
    body["survivor"]["birth_date"] =
        json!((Utc::now() - Duration::days(365 * 12 + 40)).date_naive().to_string());
    body["survivor"]["guardian_name"] = json!("Lê Thị Giám Hộ");
    body["perpetrator"]["relationship"] = json!("step_parent");
    body
}

on_both_backends! {
    async fn a_worker_records_an_intake_and_reads_the_whole_case_back(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let (status, created) = send(&app, post("/cases", &hanh, intake("Nguyễn Thị Hoa", "0912 345 678", "18073"))).await;
        assert_eq!(status, 201, "{created}");
        let number = created["case_number"].as_str().unwrap();
        assert!(number.starts_with(&format!("42-{}-", Utc::now().format("%Y"))), "{number}");

        let (status, case) = send(&app, get(&format!("/cases/{}", created["id"].as_str().unwrap()), &hanh)).await;
        assert_eq!(status, 200);
        assert_eq!(case["status"], "intake");
        assert_eq!(case["survivor"]["full_name"], "Nguyễn Thị Hoa");
        assert_eq!(case["survivor"]["age_group"], "25-59");
        assert_eq!(case["safe_contact"], "Không gọi số nhà; nhắn tin cho chị gái");
        assert_eq!(case["incident"]["forms"], json!(["mental", "physical"]));
        assert_eq!(case["perpetrator"]["full_name"], "Trần Văn Bạo");
        assert_eq!(case["next_steps"], json!(["assessment", "closed"]));
        assert_eq!(case["risk_level"], "severe", "a threat to kill and a danger now, known at intake, are the first assessment");
        assert_eq!(case["risk_assessments"][0]["factors"], json!(["immediate_danger", "threats_to_kill"]));
        assert!(case["allowed_actions"].as_array().unwrap().contains(&json!("case.refer")));
        assert!(!case["allowed_actions"].as_array().unwrap().contains(&json!("case.erase")));
    }
}

on_both_backends! {
    async fn every_step_the_lifecycle_refuses_answers_409_naming_the_allowed_ones(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let (_, created) = send(&app, post("/cases", &hanh, intake("Phạm Thị Lan", "0913 111 222", "18073"))).await;
        let path = format!("/cases/{}/transitions", created["id"].as_str().unwrap());
        for to in ["intake", "action_planning", "implementation", "follow_up"] {
            let (status, problem) = send(&app, post(&path, &hanh, json!({"to": to, "version": 1}))).await;
            assert_eq!(status, 409, "intake → {to}");
            assert_eq!(problem["code"], "transition_not_allowed");
            assert_eq!(problem["allowed"], json!(["assessment", "closed"]));
            assert!(problem["detail"].as_str().unwrap().contains("Đánh giá"), "{problem}");
        }
        let (status, moved) = send(&app, post(&path, &hanh, json!({"to": "assessment", "version": 1}))).await;
        assert_eq!((status, moved["status"].as_str(), moved["version"].as_i64()), (200, Some("assessment"), Some(2)));
        let (status, problem) = send(&app, post(&path, &hanh, json!({"to": "intake", "version": 2}))).await;
        assert_eq!((status, problem["allowed"].clone()), (409, json!(["action_planning", "closed"])));
    }
}

on_both_backends! {
    async fn a_referral_without_consent_is_refused_and_a_supervisors_override_lets_it_through(db: TestDb) {
        people(&db);
        let mut conn = db.conn();
        let provider = provider(&mut conn, "Trung tâm Công tác xã hội tỉnh", "social_protection_centre");
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let (_, created) = send(&app, post("/cases", &hanh, child_intake("Lê Thị Mai Anh", "18073"))).await;
        let case = format!("/cases/{}", created["id"].as_str().unwrap());
        let referral = json!({"provider_id": provider});

        let (status, problem) = send(&app, post(&format!("{case}/referrals"), &hanh, referral.clone())).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("consent_required")));
        assert_eq!(problem["allowed"], json!(["guardian", "child"]), "a girl of 12: her guardian and herself");

        let guardian = json!({"purpose": "share_social_protection", "given_by": "guardian"});
        assert_eq!(send(&app, post(&format!("{case}/consents"), &hanh, guardian)).await.0, 201);
        let (status, problem) = send(&app, post(&format!("{case}/referrals"), &hanh, referral.clone())).await;
        assert_eq!((status, problem["allowed"].clone()), (409, json!(["child"])));

        let dung = sign_in(&app, "dung", true).await;
        let reason = json!({"purpose": "share_social_protection", "reason": "Cần đưa em đến nơi an toàn ngay"});
        let (status, given) = send(&app, post(&format!("{case}/consent-overrides"), &dung, reason)).await;
        assert_eq!((status, given["status"].as_str()), (201, Some("approved")));

        let (status, _) = send(&app, post(&format!("{case}/referrals"), &hanh, referral)).await;
        assert_eq!(status, 201);
        let (_, read) = send(&app, get(&case, &hanh)).await;
        assert_eq!(read["referrals"][0]["by_override"], true);
        assert_eq!(read["approvals"][0]["reason"], "Cần đưa em đến nơi an toàn ngay");

        let overrides: i64 = {
            use binhan::store::schema::audit_events::dsl::*;
            use diesel::prelude::*;
            audit_events.filter(action.eq("case.override_consent")).filter(outcome.eq("success")).count().get_result(&mut conn).unwrap()
        };
        assert_eq!(overrides, 1, "the override is in the audit log");
    }
}

on_both_backends! {
    async fn two_workers_saving_the_same_case_one_wins_and_the_other_gets_409_with_nothing_lost(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let (_, created) = send(&app, post("/cases", &hanh, intake("Võ Thị Hằng", "0914 222 333", "18073"))).await;
        let case = format!("/cases/{}", created["id"].as_str().unwrap());
        let first = json!({"version": 1, "phone": "0988 111 222"});
        let second = json!({"version": 1, "safe_contact": "Chỉ gọi sau 20 giờ"});
        let (status, saved) = send(&app, patch(&case, &hanh, first)).await;
        assert_eq!((status, saved["version"].as_i64()), (200, Some(2)));
        let (status, problem) = send(&app, patch(&case, &hanh, second)).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("stale_version")));
        assert_eq!(problem["current_version"], 2);
        let (_, read) = send(&app, get(&case, &hanh)).await;
        assert_eq!(read["survivor"]["phone"], "0988 111 222", "the first save is kept");
        assert_eq!(read["safe_contact"], "Không gọi số nhà; nhắn tin cho chị gái", "the stale one wrote nothing");
        let (status, _) = send(&app, patch(&case, &hanh, json!({"version": 2, "safe_contact": "Chỉ gọi sau 20 giờ"}))).await;
        assert_eq!(status, 200, "saved again with the version now stored");
    }
}

/// The field names a problem lists.
fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map_or_else(Vec::new, |e| e.iter().map(|f| f["field"].as_str().unwrap().to_string()).collect())
}

on_both_backends! {
    async fn bad_intakes_get_problem_details_naming_each_field_and_nothing_is_written(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;

        let (status, problem) = send(&app, post("/cases", &hanh, json!({}))).await;
        assert_eq!(status, 422, "{problem}");
        let missing = fields(&problem);
        for field in ["report_source", "report_channel", "reported_at", "commune_code", "survivor.full_name",
                      "survivor.sex", "survivor.age_group", "incident.forms", "perpetrator.relationship"] {
            assert!(missing.contains(&field.to_string()), "{field} in {missing:?}");
        }

        let mut future = intake("Hồ Thị Sen", "0915 333 444", "18073");
        future["reported_at"] = json!((Utc::now() + Duration::days(2)).to_rfc3339());
        future["survivor"]["birth_date"] = json!("2099-01-01");
        let (status, problem) = send(&app, post("/cases", &hanh, future)).await;
        assert_eq!((status, fields(&problem)), (422, vec!["reported_at".to_string(), "survivor.birth_date".to_string()]));

        let mut unknown = intake("Hồ Thị Sen", "0915 333 444", "18073");
        unknown["commune_code"] = json!("99999");
        let (status, problem) = send(&app, post("/cases", &hanh, unknown)).await;
        assert_eq!((status, fields(&problem)), (422, vec!["commune_code".to_string()]));

        let mut long = intake("Hồ Thị Sen", "0915 333 444", "18073");
        long["incident"]["narrative"] = json!("a".repeat(1024 * 1024));
        let (status, problem) = send(&app, post("/cases", &hanh, long)).await;
        assert_eq!((status, fields(&problem)), (422, vec!["incident.narrative".to_string()]));
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("at most 20000"));

        let mut types = intake("Hồ Thị Sen", "0915 333 444", "18073");
        types["survivor"]["full_name"] = json!(5);
        types["immediate_danger"] = json!("có");
        types["incident"]["forms"] = json!("physical");
        let (status, problem) = send(&app, post("/cases", &hanh, types)).await;
        assert_eq!(status, 400, "{problem}");
        assert_eq!(fields(&problem), vec!["immediate_danger", "survivor.full_name", "incident.forms"]);
        assert!(!problem.to_string().contains("có"), "the value sent is never echoed");

        let invalid_utf8 = actix_web::test::TestRequest::post()
            .uri("/api/v1/cases")
            .cookie(hanh.clone())
            .insert_header(("content-type", "application/json"))
            .set_payload(b"{\"commune_code\": \"18\xff\xfe73\"}".to_vec());
        let (status, problem) = send(&app, invalid_utf8).await;
        assert_eq!((status, problem["code"].as_str(), fields(&problem)), (400, Some("bad_request"), vec!["body".to_string()]));

        let not_json = actix_web::test::TestRequest::post()
            .uri("/api/v1/cases")
            .cookie(hanh.clone())
            .insert_header(("content-type", "application/json"))
            .set_payload("survivor=Hồ Thị Sen");
        assert_eq!(send(&app, not_json).await.0, 400);

        let mut conn = db.conn();
        assert_eq!(binhan::store::cases::count(&mut conn).unwrap(), 0, "nothing was written");
        let (_, list) = send(&app, get("/cases", &hanh)).await;
        assert_eq!(list["items"], json!([]));
    }
}

on_both_backends! {
    async fn a_name_typed_without_accents_finds_the_case_in_scope_and_nothing_outside(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let dung = sign_in(&app, "dung", true).await;
        let (_, mine) = send(&app, post("/cases", &hanh, intake("Nguyễn Thị Hoa", "0912 345 678", "18073"))).await;
        let (status, theirs) = send(&app, post("/cases", &dung, intake("Nguyễn Thị Hoa", "0977 000 999", "18100"))).await;
        assert_eq!(status, 201, "{theirs}");

        let (status, found) = send(&app, post("/cases/search", &hanh, json!({"name": "nguyen thi hoa"}))).await;
        assert_eq!(status, 200);
        let ids: Vec<&str> = found["cases"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids, vec![mine["id"].as_str().unwrap()], "only the case in her commune");
        let (_, found) = send(&app, post("/cases/search", &dung, json!({"name": "NGUYỄN  THỊ HOA"}))).await;
        assert_eq!(found["cases"].as_array().unwrap().len(), 2, "the supervisor sees the province");

        let (status, _) = send(&app, get(&format!("/cases/{}", theirs["id"].as_str().unwrap()), &hanh)).await;
        assert_eq!(status, 404, "a case outside her scope does not exist for her");

        let probe = json!({"commune_code": "18073", "full_name": "Nguyễn Thị Hoa", "birth_date": "1991-01-01", "phone": "0977 000 999"});
        let (status, check) = send(&app, post("/cases/duplicates", &hanh, probe)).await;
        assert_eq!(status, 200);
        assert_eq!(check["may_already_have_case"], true);
        let shown: Vec<&str> = check["cases"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(shown, vec![mine["id"].as_str().unwrap()], "only the case she may see: the other one is neither named nor hinted at");
        let stranger = json!({"commune_code": "18073", "full_name": "Đinh Thị Xuân", "birth_date": "1980-05-05"});
        assert_eq!(send(&app, post("/cases/duplicates", &hanh, stranger)).await.1["may_already_have_case"], false);
    }
}

on_both_backends! {
    async fn a_high_risk_case_closes_only_with_a_supervisors_approval(db: TestDb) {
        people(&db);
        let mut conn = db.conn();
        let provider = provider(&mut conn, "Trạm Y tế phường Thành Sen", "health");
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        // Not in danger tonight: a later assessment may then read lower.
        let mut body = intake("Đặng Thị Thu", "0916 444 555", "18073");
        body["immediate_danger"] = json!(false);
        let (_, created) = send(&app, post("/cases", &hanh, body)).await;
        let case = format!("/cases/{}", created["id"].as_str().unwrap());
        let risk = json!({"factors": ["threats_to_kill", "children_at_risk"]});
        assert_eq!(send(&app, post(&format!("{case}/risk-assessments"), &hanh, risk)).await.1["level"], "high");
        let consent = json!({"purpose": "share_health", "given_by": "survivor"});
        assert_eq!(send(&app, post(&format!("{case}/consents"), &hanh, consent)).await.0, 201);
        let (_, referral) = send(&app, post(&format!("{case}/referrals"), &hanh, json!({"provider_id": provider}))).await;

        // A later, lower assessment does not take the closure away from the supervisor.
        assert_eq!(send(&app, post(&format!("{case}/risk-assessments"), &hanh, json!({"factors": []}))).await.1["level"], "low");
        let close = |version: i64| json!({"version": version, "closure_reason": "safe_and_stable", "comment": "Chị đã về nhà mẹ đẻ"});
        let (status, problem) = send(&app, post(&format!("{case}/closure-requests"), &hanh, close(1))).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("closure_blocked")), "an open referral keeps it open");

        let referral_path = format!("/referrals/{}", referral["id"].as_str().unwrap());
        assert_eq!(send(&app, patch(&referral_path, &hanh, json!({"status": "accepted", "version": 1}))).await.0, 200);
        let (status, problem) = send(&app, patch(&referral_path, &hanh, json!({"status": "pending", "version": 2}))).await;
        assert_eq!((status, problem["allowed"].clone()), (409, json!(["completed", "cancelled"])));
        assert_eq!(send(&app, patch(&referral_path, &hanh, json!({"status": "completed", "version": 2}))).await.0, 200);

        let (status, asked) = send(&app, post(&format!("{case}/closure-requests"), &hanh, close(1))).await;
        assert_eq!(status, 202, "high risk: the closure waits for a supervisor");
        let approval = asked["approval_id"].as_str().unwrap().to_string();
        assert_eq!(send(&app, get(&case, &hanh)).await.1["status"], "intake");
        let (status, problem) = send(&app, post(&format!("/approvals/{approval}/decision"), &hanh, json!({"approve": true}))).await;
        assert_eq!(status, 403, "{problem}");

        let dung = sign_in(&app, "dung", true).await;
        let (_, queue) = send(&app, get("/approvals", &dung)).await;
        assert_eq!(queue["approvals"][0]["id"], approval.as_str());
        let (status, decided) =
            send(&app, post(&format!("/approvals/{approval}/decision"), &dung, json!({"approve": true, "comment": "Đồng ý"}))).await;
        assert_eq!((status, decided["case_status"].as_str()), (200, Some("closed")));
        let (_, read) = send(&app, get(&case, &hanh)).await;
        assert_eq!((read["status"].as_str(), read["closure_reason"].as_str()), (Some("closed"), Some("safe_and_stable")));
        let (status, problem) = send(&app, post(&format!("/approvals/{approval}/decision"), &dung, json!({"approve": false}))).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("already_decided")));
        assert_eq!(send(&app, get("/approvals", &dung)).await.1["approvals"], json!([]));
    }
}

on_both_backends! {
    async fn a_supervisor_erases_a_case_and_its_personal_data_is_gone_for_good(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let (_, created) = send(&app, post("/cases", &hanh, intake("Bùi Thị Nga", "0917 555 666", "18073"))).await;
        let case = format!("/cases/{}", created["id"].as_str().unwrap());
        let reason = json!({"reason": "survivor_request"});
        assert_eq!(send(&app, post(&format!("{case}/erasure"), &hanh, reason.clone())).await.0, 403);
        let dung = sign_in(&app, "dung", true).await;
        let mut conn = db.conn();
        let before = binhan::store::cases::count_by_commune(&mut conn).unwrap();
        assert_eq!(send(&app, post(&format!("{case}/erasure"), &dung, reason.clone())).await.0, 204);
        let (status, read) = send(&app, get(&case, &hanh)).await;
        assert_eq!((status, read["erased"].as_bool(), read["survivor"].clone()), (200, Some(true), Value::Null));
        assert_eq!(read["incident"]["narrative"], Value::Null);
        assert_eq!(read["incident"]["forms"], json!(["mental", "physical"]), "the categories stay");
        assert_eq!(send(&app, post("/cases/search", &hanh, json!({"name": "Bùi Thị Nga"}))).await.1["cases"], json!([]));
        assert_eq!(binhan::store::cases::count_by_commune(&mut conn).unwrap(), before, "statistics do not change");
        assert_eq!(send(&app, post(&format!("{case}/erasure"), &dung, reason)).await.1["code"], "already_done");
        let reason_logged: Option<String> = {
            use binhan::store::schema::audit_events::dsl::*;
            use diesel::prelude::*;
            audit_events.filter(action.eq("case.erase")).filter(outcome.eq("success")).select(reason).first(&mut conn).unwrap()
        };
        assert_eq!(reason_logged.as_deref(), Some("survivor_request"));
    }
}

on_both_backends! {
    async fn a_committee_member_never_reads_a_case(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let (_, created) = send(&app, post("/cases", &hanh, intake("Cao Thị Yến", "0918 666 777", "18073"))).await;
        let thu = sign_in(&app, "thu", true).await;
        assert_eq!(send(&app, get(&format!("/cases/{}", created["id"].as_str().unwrap()), &thu)).await.0, 404);
        assert_eq!(send(&app, get("/cases", &thu)).await.0, 403);
        assert_eq!(send(&app, post("/cases/search", &thu, json!({"name": "Cao Thị Yến"}))).await.0, 403);
        assert_eq!(send(&app, get("/approvals", &thu)).await.0, 403);
        assert_eq!(send(&app, post("/cases", &thu, intake("Cao Thị Yến", "0918 666 777", "18073"))).await.0, 403);
    }
}

on_both_backends! {
    async fn fields_that_do_not_exist_and_dates_out_of_any_range_are_refused_by_name(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let (_, created) = send(&app, post("/cases", &hanh, intake("Lâm Thị Thu", "0919 123 456", "18073"))).await;
        let case = format!("/cases/{}", created["id"].as_str().unwrap());

        let (status, problem) = send(&app, patch(&case, &hanh, json!({"version": 1, "status": "closed"}))).await;
        assert_eq!((status, fields(&problem)), (400, vec!["status".to_string()]), "{problem}");

        let far = json!({"measure_type": "no_contact_order", "ordered_by": "commune_chair",
                         "starts_at": "+262142-12-30T00:00:00Z", "ends_at": "+262142-12-31T12:00:00Z"});
        let (status, problem) = send(&app, post(&format!("{case}/measures"), &hanh, far)).await;
        assert_eq!((status, fields(&problem)), (422, vec!["starts_at".to_string(), "ends_at".to_string()]), "{problem}");
        let ancient = json!({"purpose": "services", "given_by": "survivor", "given_at": "-5000-01-01T00:00:00Z"});
        let (status, problem) = send(&app, post(&format!("{case}/consents"), &hanh, ancient)).await;
        assert_eq!((status, fields(&problem)), (422, vec!["given_at".to_string()]), "{problem}");
        let mut old = intake("Lâm Thị Thu", "0919 123 456", "18073");
        old["reported_at"] = json!("1850-01-01T00:00:00Z");
        old["incident"]["occurred_on"] = json!("1066-10-14");
        let (status, problem) = send(&app, post("/cases", &hanh, old)).await;
        assert_eq!(
            (status, fields(&problem)),
            (422, vec!["reported_at".to_string(), "incident.occurred_on".to_string()]),
            "{problem}"
        );
    }
}

on_both_backends! {
    async fn a_referral_or_request_that_is_not_there_is_not_found_and_the_attempt_is_audited(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let nobody = uuid::Uuid::now_v7();
        let step = json!({"status": "accepted", "version": 1});
        assert_eq!(send(&app, patch(&format!("/referrals/{nobody}"), &hanh, step)).await.0, 404);
        let decision = json!({"approve": true});
        assert_eq!(send(&app, post(&format!("/approvals/{nobody}/decision"), &hanh, decision)).await.0, 404);
        assert_eq!(send(&app, get("/placements", &hanh)).await.0, 403);
        use binhan::store::schema::audit_events as events;
        use diesel::prelude::*;
        let mut conn = db.conn();
        let denied: Vec<(String, Option<String>)> = events::table
            .filter(events::outcome.eq("denied"))
            .order_by(events::seq)
            .select((events::action, events::resource_type))
            .load(&mut conn)
            .unwrap();
        assert_eq!(
            denied,
            vec![
                ("case.refer".to_string(), Some("referral".to_string())),
                ("case.approve".to_string(), Some("approval".to_string())),
                ("safe_house.board".to_string(), None),
            ]
        );
    }
}
