//! The raw workloads: the SQL that intake and opening a case do, statement for
//! statement, on a database of the same schema, without HTTP, policies or
//! encryption (random bytes of a sealed value's size stand for each ciphertext).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use binhan::audit::{Actor, Event, Outcome};
use binhan::crypto::{
    BLIND_INDEX_LEN, KekId, KeyOwner, MIN_BLOB_LEN, OwnerKind, SealedBlob, WRAPPED_KEY_LEN,
};
use binhan::domain::reporting::CaseCategories;
use binhan::domain::role::Role;
use binhan::store::case_work::{self, IncidentRow, PerpetratorRow};
use binhan::store::cases::{NewCase, SurvivorRow};
use binhan::store::{self, DbConn};
use chrono::{NaiveDateTime, Utc};
use diesel::connection::InstrumentationEvent;
use diesel::prelude::*;
use uuid::Uuid;

use super::measure::{Tally, run_users};
use super::users::INTAKE_NAME_LEN;
use crate::support::db::{TestDb, load_units};
use crate::support::intake::intake_texts;

/// The raw database's one social worker and her session.
pub struct RawUser {
    id: String,
    token_hash: Vec<u8>,
}

/// A database of Bình An's schema with Hà Tĩnh's units, one social worker and a
/// session of hers: what the raw workloads read and write.
pub fn prepare(db: &TestDb) -> RawUser {
    let mut conn = db.migrated();
    load_units(&mut conn);
    let id = Uuid::now_v7().to_string();
    let now = Utc::now().naive_utc();
    store::users::insert(
        &mut conn,
        &store::users::NewUser {
            id: &id,
            username: "raw",
            display_name: "raw",
            role: Role::SocialWorker.as_str(),
            safe_house_id: None,
            password_hash: "-",
            password_changed_at: now,
            created_at: now,
            updated_at: now,
        },
        &["18073".to_string()],
    )
    .expect("the raw user");
    let token_hash = random(32);
    store::sessions::insert(
        &mut conn,
        &store::sessions::SessionRow {
            token_hash: token_hash.clone(),
            user_id: id.clone(),
            csrf_token: "-".into(),
            stage: "full".into(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + chrono::Duration::hours(8),
            locked_at: None,
        },
    )
    .expect("the raw session");
    RawUser { id, token_hash }
}

fn random(len: usize) -> Vec<u8> {
    binhan::crypto::random::random_bytes(len).expect("random bytes").to_vec()
}

/// Random bytes as long as `text` sealed: what the database stores for it.
fn blob(text: &str) -> SealedBlob {
    SealedBlob::from_stored(random(MIN_BLOB_LEN + text.len()))
}

/// The SQL of recording one intake (`services::cases::intake::record_intake`):
/// the commune checks, the case counter, then in one transaction the case
/// number, data key, case and survivor rows, incident, its codes, perpetrator,
/// the statistics' tallies, the audit event and the lists' sort key. Returns the
/// case's id.
/// Every raw intake has the same phone, as every intake the service workload sends
/// does (`intake_texts`), so each one's duplicate check finds the earlier ones.
const SAME_PHONE_INDEX: [u8; BLIND_INDEX_LEN] = [7; BLIND_INDEX_LEN];

pub fn intake(conn: &mut DbConn, user: &RawUser, now: NaiveDateTime) -> QueryResult<String> {
    let texts = intake_texts();
    let reported_at = now - chrono::Duration::hours(1);
    store::admin_units::commune_on(conn, "18073", reported_at.date())?;
    store::admin_units::province_of(conn, "18073")?;
    let scope = format!("42-{}", reported_at.format("%Y"));
    store::cases::ensure_counter(conn, &scope)?;
    conn.transaction(|conn| {
        let number = store::cases::next_number(conn, &scope)?;
        let id = Uuid::now_v7();
        let id_text = id.to_string();
        let wrapped = binhan::crypto::WrappedDataKey { kek_id: KekId(1), bytes: random(WRAPPED_KEY_LEN) };
        store::keys::insert_data_key(conn, &KeyOwner::new(OwnerKind::Case, id), &wrapped, now)?;
        let case = NewCase {
            id: &id_text,
            case_number: &format!("{scope}-{number:05}"),
            commune_code: "18073",
            status: "intake",
            reported_at,
            created_at: now,
            updated_at: now,
            report_source: "police",
            report_channel: "phone",
            immediate_danger: false,
            assigned_to: Some(&user.id),
            created_by: Some(&user.id),
        };
        let survivor = SurvivorRow {
            case_id: id_text.clone(),
            full_name: SealedBlob::from_stored(random(MIN_BLOB_LEN + INTAKE_NAME_LEN)),
            other_names: None,
            birth_date: None,
            phone: Some(blob(texts.phone)),
            address: Some(blob(texts.address)),
            id_number: None,
            guardian_name: None,
            guardian_phone: None,
            name_index: Some(random(BLIND_INDEX_LEN)),
            phone_index: Some(SAME_PHONE_INDEX.to_vec()),
            id_number_index: None,
            sex: "female".into(),
            age_group: "25-59".into(),
            is_child: false,
            has_disability: false,
        };
        store::cases::insert(conn, &case, &survivor)?;
        case_work::set_name_year_index(conn, &id_text, None)?;
        let incident = IncidentRow {
            case_id: id_text.clone(),
            occurred_on: None,
            gbv_type: None,
            gbv_context: None,
            narrative: Some(blob(texts.narrative)),
            place: Some(blob(texts.place)),
        };
        let perpetrator = PerpetratorRow {
            case_id: id_text.clone(),
            full_name: Some(blob(texts.perpetrator)),
            sex: "male".into(),
            relationship: "spouse".into(),
            commune_code: None,
        };
        case_work::insert_incident(
            conn,
            &incident,
            &[("form", "mental"), ("form", "physical")],
            &perpetrator,
        )?;
        let categories = CaseCategories {
            age_group: "25-59",
            sex: "female",
            forms: vec!["mental", "physical"],
            gbv_type: None,
            relationship: "spouse",
            perpetrator_sex: "male",
        };
        let month = binhan::services::stats::tallies::month_of(reported_at);
        store::stats::count_case(conn, month, "18073", &categories.tally_keys())?;
        store::audit::append(
            conn,
            &Event::new(&actor(user), "case.create", Outcome::Success, now).on("case", id),
        )?;
        // The lists' sort key: the case with its profile, what its deadlines are
        // computed from, and the soonest (an adult's first action, a day on).
        case_work::case_with_profile(conn, &id_text)?.expect("the case");
        case_work::clock_rows(conn, std::slice::from_ref(&id_text))?;
        store::case_lists::set_next_due(conn, &id_text, Some(reported_at + chrono::Duration::hours(24)))?;
        // The possible-duplicate check of the intake (issue 17): the cases with the
        // same phone, and their facts for the policies.
        let mut same_phone =
            store::cases::find_by_index(conn, store::cases::IndexColumn::Phone, &SAME_PHONE_INDEX)?;
        same_phone.retain(|id| *id != id_text);
        case_work::cases_with_profiles(conn, &same_phone)?;
        Ok(id_text)
    })
}

fn actor(user: &RawUser) -> Actor {
    Actor::user(user.id.parse().expect("a uuid"), Role::SocialWorker, None)
}

/// The SQL of opening a case over the API: the session's lookup
/// (`services::auth::authenticate`), then in one transaction the audit event and
/// every row the case's page shows (`services::cases::detail::case_detail`).
pub fn open_case(conn: &mut DbConn, user: &RawUser, case_id: &str, now: NaiveDateTime) -> QueryResult<()> {
    store::sessions::find(conn, &user.token_hash)?.expect("the raw session");
    store::users::by_id(conn, &user.id)?.expect("the raw user");
    store::users::communes_of(conn, &user.id)?;
    conn.transaction(|conn| {
        store::audit::append(
            conn,
            &Event::new(&actor(user), "case.read", Outcome::Success, now).on("case", case_id),
        )?;
        case_work::case_with_profile(conn, case_id)?.expect("the case");
        store::keys::load_data_key(conn, &KeyOwner::new(OwnerKind::Case, case_id.parse().expect("a uuid")))?;
        store::cases::survivor(conn, case_id)?;
        case_work::safe_contact(conn, case_id)?;
        case_work::incident_codes(conn, case_id)?;
        case_work::incident(conn, case_id)?;
        case_work::perpetrator(conn, case_id)?;
        case_work::risks(conn, case_id)?;
        case_work::measures(conn, case_id)?;
        case_work::referrals_of(conn, case_id)?;
        case_work::notes(conn, case_id)?;
        case_work::approvals_of(conn, case_id)?;
        case_work::transitions(conn, case_id)?;
        case_work::consents_of(conn, case_id)?;
        Ok(())
    })
}

/// The raw connections are set as the server's are (on SQLite: the log written
/// back by a checkpointer thread, not by the commits), so the two lines differ by
/// what the service adds, not by storage settings.
fn serving_settings() -> binhan::store::SqliteSettings {
    binhan::store::SqliteSettings { background_checkpoints: true, ..Default::default() }
}

fn serving_conn(db: &TestDb) -> DbConn {
    store::connect(&db.url, serving_settings()).expect("a raw connection")
}

fn serving_checkpointer(db: &TestDb) -> Option<store::Checkpointer> {
    store::Checkpointer::start(&db.url, serving_settings()).expect("the raw database's checkpointer")
}

/// `connections` connections record intakes, one after another, for `length`.
pub fn run_intake(
    db: &TestDb,
    user: &Arc<RawUser>,
    connections: usize,
    length: Duration,
) -> (Tally, Duration) {
    let _checkpointer = serving_checkpointer(db);
    let workers = (0..connections).map(|_| (serving_conn(db), user.clone())).collect();
    let (_, tally, elapsed) = run_users(workers, length, |(conn, user), tally, _| {
        let started = Instant::now();
        let outcome = intake(conn, user, Utc::now().naive_utc()).map(drop).map_err(|e| e.to_string());
        tally.record("raw intake", started.elapsed(), outcome);
    });
    (tally, elapsed)
}

/// The cases of the raw database.
pub fn cases(db: &TestDb) -> Vec<String> {
    use binhan::store::schema::cases;
    cases::table.select(cases::id).load(&mut db.conn()).expect("the raw cases")
}

/// `connections` connections open random cases of `cases`, one after another,
/// for `length`.
pub fn run_open_case(
    db: &TestDb,
    user: &Arc<RawUser>,
    cases: &Arc<Vec<String>>,
    connections: usize,
    length: Duration,
) -> (Tally, Duration) {
    let _checkpointer = serving_checkpointer(db);
    let workers = (0..connections).map(|i| (serving_conn(db), user.clone(), cases.clone(), i)).collect();
    let (_, tally, elapsed) = run_users(workers, length, |(conn, user, cases, next), tally, _| {
        *next = (*next * 7919 + 13) % cases.len();
        let started = Instant::now();
        let outcome = open_case(conn, user, &cases[*next], Utc::now().naive_utc()).map_err(|e| e.to_string());
        tally.record("raw open case", started.elapsed(), outcome);
    });
    (tally, elapsed)
}

/// The data statements `work` sends (transaction control left out), as text.
pub fn statements<T>(conn: &mut DbConn, work: impl FnOnce(&mut DbConn) -> T) -> (T, Vec<String>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            sink.lock().expect("log").push(query.to_string());
        }
    });
    let out = work(conn);
    conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    let all = std::mem::take(&mut *log.lock().expect("log"));
    let data = all
        .into_iter()
        .filter(|s| {
            let head = s.trim_start().to_ascii_uppercase();
            !["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"].iter().any(|k| head.starts_with(k))
        })
        .collect();
    (out, data)
}

/// The intake of `support::intake::intake_json`, as the API reads it.
pub fn intake_draft(name: &str, commune: &str) -> binhan::domain::intake::IntakeDraft {
    use binhan::domain::intake::{IncidentDraft, IntakeDraft, PerpetratorDraft, SurvivorDraft};
    let t = intake_texts();
    IntakeDraft {
        report_source: "police".into(),
        report_channel: "phone".into(),
        reported_at: Some(Utc::now() - chrono::Duration::hours(1)),
        commune_code: commune.into(),
        survivor: SurvivorDraft {
            full_name: name.into(),
            sex: "female".into(),
            age_group: "25-59".into(),
            phone: t.phone.into(),
            address: t.address.into(),
            ..SurvivorDraft::default()
        },
        incident: IncidentDraft {
            forms: vec!["physical".into(), "mental".into()],
            narrative: t.narrative.into(),
            place: t.place.into(),
            ..IncidentDraft::default()
        },
        perpetrator: PerpetratorDraft {
            full_name: t.perpetrator.into(),
            sex: "male".into(),
            relationship: "spouse".into(),
            ..PerpetratorDraft::default()
        },
        ..IntakeDraft::default()
    }
}

/// A statement's SQL without its bound values.
fn sql_only(statements: Vec<String>) -> Vec<String> {
    statements.into_iter().map(|s| s.split(" -- binds:").next().unwrap_or_default().to_string()).collect()
}

crate::on_both_backends! {
    /// The raw workloads send the very statements the service sends for intake and
    /// for opening a case (the second intake: the first also creates the month's
    /// tallies), so that the load test's ratio compares the same SQL work.
    fn raw_workloads_send_the_statements_of_the_service(db: TestDb) {
        use crate::support::app::{PASSWORD, account, caller};
        let mut conn = db.migrated();
        load_units(&mut conn);
        let worker = account(&db, &mut conn, "hanh", Role::SocialWorker);
        let settings =
            binhan::services::auth::AuthSettings::from_config(&crate::support::app::config(&db));
        let now = Utc::now().naive_utc();
        let session = binhan::services::auth::login(
            &mut conn, &db.keys(), &settings, &Actor::command("test"), "hanh", PASSWORD, None, now,
        )
        .expect("sign in");
        let who = caller(&db, &worker);
        let record = |conn: &mut DbConn| {
            binhan::services::cases::intake::record_intake(conn, &who, &intake_draft("Chị Hoa", "18073")).expect("intake")
        };
        record(&mut conn);
        let (recorded, service_intake) = statements(&mut conn, record);
        let (_, mut service_open) =
            statements(&mut conn, |c| binhan::services::auth::authenticate(c, &settings, &session.token, now));
        let (_, detail) = statements(&mut conn, |c| {
            binhan::services::cases::detail::case_detail(c, &who, recorded.id).expect("the case")
        });
        service_open.extend(detail);

        let raw_db = if db.schema().is_some() { TestDb::postgres().expect("PostgreSQL") } else { TestDb::sqlite() };
        let user = prepare(&raw_db);
        let mut raw_conn = raw_db.conn();
        intake(&mut raw_conn, &user, now).expect("raw intake");
        let (case, raw_intake) = statements(&mut raw_conn, |c| intake(c, &user, now).expect("raw intake"));
        let (_, raw_open) = statements(&mut raw_conn, |c| open_case(c, &user, &case, now).expect("raw open"));

        assert!(service_intake.len() > 20 && service_open.len() > 15, "every statement was seen");
        assert_eq!(sql_only(raw_intake), sql_only(service_intake), "intake");
        assert_eq!(sql_only(raw_open), sql_only(service_open), "opening a case");
    }
}
