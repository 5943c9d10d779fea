//! Issue 15 item 2: a closed list read from the database fails closed. The
//! database refuses a value outside each list (CHECK on PostgreSQL, triggers on
//! SQLite); and when one is there anyway (a hand-edited or older database, made
//! here by removing the database's own check), the service refuses to act on the
//! case rather than guess, naming the table, column and row, never the value.

use actix_web::test::init_service;
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::cases::access::{Caller, CaseError};
use binhan::services::cases::{intake, work};
use binhan::services::placements::boards;
use binhan::services::placements::request::{PlacementRequest, request_placement};
use binhan::store::{Backend, DbConn};
use chrono::{Duration, Utc};
use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use uuid::Uuid;

use crate::on_both_backends;
use crate::support::api::{get, send, sign_in};
use crate::support::app::{account, caller, safe_house, staff_of, state};
use crate::support::db::load_units;

/// A value no closed list holds.
const BAD: &str = "adult-ish";

/// A 13-year-old girl's case (her age group known, her birth date not), with a
/// risk assessment, a step of the lifecycle behind it and consent to a placement.
fn girls_case(conn: &mut DbConn, worker: &Caller) -> Uuid {
    use binhan::domain::intake::*;
    let draft = IntakeDraft {
        report_source: "school".into(),
        report_channel: "in_person".into(),
        reported_at: Some(Utc::now() - Duration::hours(1)),
        commune_code: "18073".into(),
        risk_factors: vec!["children_at_risk".into()],
        survivor: SurvivorDraft {
            full_name: "Lê Thị Mai Anh".into(),
            sex: "female".into(),
            age_group: "12-15".into(),
            guardian_name: "Lê Thị Giám Hộ".into(),
            ..Default::default()
        },
        incident: IncidentDraft { forms: vec!["physical".into()], ..Default::default() },
        perpetrator: PerpetratorDraft {
            sex: "male".into(),
            relationship: "step_parent".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let case = intake::record_intake(conn, worker, &draft).expect("intake").id;
    let step = work::TransitionRequest {
        to: "assessment".into(),
        version: 1,
        closure_reason: None,
        comment: None,
        reason: None,
    };
    work::move_case(conn, worker, case, &step).expect("a step");
    for given_by in ["guardian", "child"] {
        let consent =
            work::ConsentRequest { purpose: "placement".into(), given_by: given_by.into(), given_at: None };
        work::record_consent(conn, worker, case, &consent).expect("consent");
    }
    case
}

fn raw(conn: &mut DbConn, sql: &str) -> Result<usize, diesel::result::Error> {
    diesel::sql_query(sql).execute(conn)
}

/// Takes the database's own check off `table.column`, as a database edited by
/// hand or written by another program might be.
fn loosen(conn: &mut DbConn, table: &str, column: &str) {
    let sql = match conn.backend() {
        Backend::Sqlite => format!("DROP TRIGGER {table}_{column}_closed_update"),
        Backend::Postgres => format!("ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_closed"),
    };
    conn.batch_execute(&sql).expect("loosen");
}

fn assert_refused_naming_the_row(
    result: Result<impl std::fmt::Debug, CaseError>,
    table_column: &str,
    row: Uuid,
) {
    match result {
        Err(CaseError::Keys(e)) => {
            let text = e.to_string();
            assert!(text.contains(&format!("{table_column} of row {row}")), "{text}");
            assert!(!text.contains(BAD), "the value is never named: {text}");
        }
        other => panic!("the service acted on a value it does not know: {other:?}"),
    }
}

on_both_backends! {
    fn the_database_refuses_a_value_outside_each_closed_list(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let hanh = account(&db, &mut conn, "hanh", Role::SocialWorker);
        let case = girls_case(&mut conn, &caller(&db, &hanh));
        for (table, column, key) in [
            ("cases", "status", "id"),
            ("cases", "risk_level", "id"),
            ("survivors", "age_group", "case_id"),
            ("survivors", "sex", "case_id"),
            ("perpetrators", "sex", "case_id"),
            ("risk_assessments", "level", "case_id"),
            ("case_transitions", "from_status", "case_id"),
            ("case_transitions", "to_status", "case_id"),
        ] {
            let sql = format!("UPDATE {table} SET {column} = '{BAD}' WHERE {key} = '{case}'");
            let refused = raw(&mut conn, &sql);
            assert!(refused.as_ref().is_err_and(|e| e.to_string().to_lowercase().contains("check constraint")), "{table}.{column}: {refused:?}");
        }
        let insert = format!(
            "INSERT INTO case_transitions (id, case_id, from_status, to_status, at) VALUES ('{}', '{case}', 'intake', '{BAD}', CURRENT_TIMESTAMP)",
            Uuid::now_v7()
        );
        assert!(raw(&mut conn, &insert).is_err(), "a new row is checked too");
        let role = format!("UPDATE audit_events SET actor_role = '{BAD}' WHERE actor_role = 'social_worker'");
        assert!(raw(&mut conn, &role).is_err(), "audit_events.actor_role");
        assert_eq!(raw(&mut conn, &format!("UPDATE cases SET status = 'action_planning' WHERE id = '{case}'")).unwrap(), 1, "a known value passes");
    }
}

on_both_backends! {
    async fn a_stored_age_group_the_code_does_not_know_is_refused_not_read_as_an_adult(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let hanh = account(&db, &mut conn, "hanh", Role::SocialWorker);
        let worker = caller(&db, &hanh);
        let case = girls_case(&mut conn, &worker);
        loosen(&mut conn, "survivors", "age_group");
        raw(&mut conn, &format!("UPDATE survivors SET age_group = '{BAD}' WHERE case_id = '{case}'")).unwrap();

        // Read as an adult, her own consent would have been enough to share her file.
        let consent = work::ConsentRequest { purpose: "share_health".into(), given_by: "survivor".into(), given_at: None };
        assert_refused_naming_the_row(work::record_consent(&mut conn, &worker, case, &consent), "survivors.age_group", case);
        let consents: i64 = diesel::QueryDsl::count(binhan::store::schema::consents::table).get_result(&mut conn).unwrap();
        assert_eq!(consents, 2, "nothing was written");

        let app = init_service(app(state(&db))).await;
        let cookie = sign_in(&app, "hanh", false).await;
        let (status, problem) = send(&app, get(&format!("/cases/{case}"), &cookie)).await;
        assert_eq!((status, problem["code"].as_str()), (500, Some("internal_error")), "{problem}");
        assert!(!problem.to_string().contains(BAD) && !problem.to_string().contains("Mai Anh"), "{problem}");
    }
}

on_both_backends! {
    fn a_stored_status_the_code_does_not_know_is_refused_not_read_as_intake_or_cancelled(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        let house = safe_house(&db, &mut conn, "Địa chỉ tin cậy Thạch Hạ", 4);
        let hanh = account(&db, &mut conn, "hanh", Role::SocialWorker);
        let mai = staff_of(&db, &mut conn, "mai", &house);
        let (worker, staff) = (caller(&db, &hanh), caller(&db, &mai));
        let case = girls_case(&mut conn, &worker);
        let asked = PlacementRequest { safe_house_id: house.clone(), alias: "Bé A.".into(), ..Default::default() };
        let placement = request_placement(&mut conn, &worker, case, &asked).expect("a request");

        loosen(&mut conn, "cases", "status");
        raw(&mut conn, &format!("UPDATE cases SET status = '{BAD}' WHERE id = '{case}'")).unwrap();
        // Read as intake, the step back to assessment would have been allowed.
        let step = work::TransitionRequest { to: "assessment".into(), version: 2, closure_reason: None, comment: None, reason: None };
        assert_refused_naming_the_row(work::move_case(&mut conn, &worker, case, &step), "cases.status", case);

        // A placement whose status is unknown is not read as cancelled (its beds freed).
        match conn.backend() {
            Backend::Sqlite => conn.batch_execute("PRAGMA ignore_check_constraints = ON").unwrap(),
            Backend::Postgres => conn.batch_execute("ALTER TABLE placements DROP CONSTRAINT placements_status_check").unwrap(),
        }
        raw(&mut conn, &format!("UPDATE placements SET status = '{BAD}' WHERE id = '{placement}'")).unwrap();
        let board = boards::house_board(&mut conn, &staff, &house);
        let placement_id: Uuid = placement;
        assert_refused_naming_the_row(board.map(|_| ()), "placements.status", placement_id);
    }
}
