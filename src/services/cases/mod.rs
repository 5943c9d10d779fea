//! Cases (design §8): recording one with its survivor, reading the survivor back,
//! finding cases by blind index; and, in the modules below, the work on a case
//! as people do it, each behind the policies and in the audit log.

pub mod access;
pub mod access_log;
pub mod approvals;
pub mod clock;
pub mod detail;
pub mod duplicates;
pub mod intake;
pub mod listing;
pub mod lookups;
pub mod referrals;
pub mod work;

use chrono::{Datelike, NaiveDateTime};
use diesel::Connection;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::keys::{Keys, KeysError};
use super::sealing::{OwnerKey, Revealed};
use crate::audit::{Actor, Event, Outcome};
use crate::crypto::{BlindIndexer, FieldRef, KeyOwner, OwnerKind, SealedBlob};
use crate::store::DbConn;
use crate::store::cases::{self as store, IndexColumn, NewCase, SurvivorRow};

const TABLE: &str = "survivors";

/// Who the survivor is: every field here is personal data and is sealed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurvivorIdentity<S> {
    pub full_name: S,
    pub other_names: Option<S>,
    pub birth_date: Option<S>,
    pub phone: Option<S>,
    pub address: Option<S>,
    pub id_number: Option<S>,
    pub guardian_name: Option<S>,
    pub guardian_phone: Option<S>,
}

/// The plain categories kept for workflow and statistics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurvivorProfile {
    pub sex: String,
    pub age_group: String,
    pub is_child: bool,
    pub has_disability: bool,
}

#[derive(Debug, Clone)]
pub struct NewCaseInput {
    pub commune_code: String,
    pub reported_at: NaiveDateTime,
    pub identity: SurvivorIdentity<String>,
    pub profile: SurvivorProfile,
    pub report: ReportDetails,
}

/// How the report came in and who holds the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDetails {
    pub source: String,
    pub channel: String,
    pub immediate_danger: bool,
    pub assigned_to: Option<String>,
    pub created_by: Option<String>,
}

impl Default for ReportDetails {
    fn default() -> Self {
        ReportDetails {
            source: "other".into(),
            channel: "other".into(),
            immediate_danger: false,
            assigned_to: None,
            created_by: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCase {
    pub id: Uuid,
    pub case_number: String,
}

/// The blind indexes of a survivor: equality search on name, phone and ID
/// number without decrypting anything.
pub fn survivor_indexes(
    indexer: &BlindIndexer,
    name: &str,
    phone: Option<&str>,
    id_number: Option<&str>,
) -> [Option<Vec<u8>>; 3] {
    [
        indexer.index_name(TABLE, "name_index", name),
        phone.and_then(|p| indexer.index_phone(TABLE, "phone_index", p)),
        id_number.and_then(|i| indexer.index_id_number(TABLE, "id_number_index", i)),
    ]
    .map(|index| index.map(|i| i.as_bytes().to_vec()))
}

/// Records a case: a new data key, the case row and the sealed survivor, in one
/// transaction.
pub fn record_case(
    conn: &mut DbConn,
    keys: &Keys,
    actor: &Actor,
    province: &str,
    input: &NewCaseInput,
    now: NaiveDateTime,
) -> Result<RecordedCase, KeysError> {
    let scope = counter_scope(province, input);
    store::ensure_counter(conn, &scope)?;
    conn.transaction(|conn| {
        let (recorded, _key) = record_case_in(conn, keys, &scope, input, now)?;
        crate::store::audit::append(
            conn,
            &Event::new(actor, "case.create", Outcome::Success, now).on("case", recorded.id),
        )?;
        Ok(recorded)
    })
}

/// Case numbers run per province and year: `42-2026-00017`.
pub(crate) fn counter_scope(province: &str, input: &NewCaseInput) -> String {
    format!("{province}-{}", input.reported_at.year())
}

/// The case row and its sealed survivor, inside the caller's transaction (whose
/// counter row `scope` must exist); returns the new case's data key for the rest
/// of the intake.
pub(crate) fn record_case_in(
    conn: &mut DbConn,
    keys: &Keys,
    scope: &str,
    input: &NewCaseInput,
    now: NaiveDateTime,
) -> Result<(RecordedCase, OwnerKey), KeysError> {
    let number = store::next_number(conn, scope)?;
    let id = Uuid::now_v7();
    let case_number = format!("{scope}-{number:05}");
    let key = OwnerKey::create(conn, keys, KeyOwner::new(OwnerKind::Case, id), now)?;
    let field = |column| FieldRef::new(TABLE, column, id);
    let who = &input.identity;
    let [name_index, phone_index, id_number_index] =
        survivor_indexes(&keys.indexer(), &who.full_name, who.phone.as_deref(), who.id_number.as_deref());
    let id_text = id.to_string();
    let survivor = SurvivorRow {
        case_id: id_text.clone(),
        full_name: key.seal(field("full_name"), &who.full_name)?,
        other_names: key.seal_opt(field("other_names"), who.other_names.as_deref())?,
        birth_date: key.seal_opt(field("birth_date"), who.birth_date.as_deref())?,
        phone: key.seal_opt(field("phone"), who.phone.as_deref())?,
        address: key.seal_opt(field("address"), who.address.as_deref())?,
        id_number: key.seal_opt(field("id_number"), who.id_number.as_deref())?,
        guardian_name: key.seal_opt(field("guardian_name"), who.guardian_name.as_deref())?,
        guardian_phone: key.seal_opt(field("guardian_phone"), who.guardian_phone.as_deref())?,
        name_index,
        phone_index,
        id_number_index,
        sex: input.profile.sex.clone(),
        age_group: input.profile.age_group.clone(),
        is_child: input.profile.is_child,
        has_disability: input.profile.has_disability,
    };
    let report = &input.report;
    let case = NewCase {
        id: &id_text,
        case_number: &case_number,
        commune_code: &input.commune_code,
        status: "intake",
        reported_at: input.reported_at,
        created_at: now,
        updated_at: now,
        report_source: &report.source,
        report_channel: &report.channel,
        immediate_danger: report.immediate_danger,
        assigned_to: report.assigned_to.as_deref(),
        created_by: report.created_by.as_deref(),
    };
    store::insert(conn, &case, &survivor)?;
    let name_year = who.birth_date.as_deref().and_then(|birth| name_year_index(keys, &who.full_name, birth));
    crate::store::case_work::set_name_year_index(conn, &id_text, name_year.as_deref())?;
    Ok((RecordedCase { id, case_number }, key))
}

/// The duplicate check's key: the name with the birth year (the first four
/// characters of an ISO birth date).
pub fn name_year_index(keys: &Keys, name: &str, birth_date: &str) -> Option<Vec<u8>> {
    let year = birth_date.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit()))?;
    let normalized = crate::crypto::normalize_name(name);
    if normalized.is_empty() {
        return None;
    }
    keys.indexer()
        .index(TABLE, "name_year_index", &format!("{normalized}|{year}"))
        .map(|i| i.as_bytes().to_vec())
}

/// A survivor as read back: the identity, or `Erased` after crypto-shredding;
/// the plain profile either way.
#[derive(Debug)]
pub struct SurvivorView {
    pub identity: Revealed<SurvivorIdentity<Zeroizing<String>>>,
    pub profile: SurvivorProfile,
}

/// Reads a survivor's identity: a read of personal data, recorded in the audit log
/// in the same transaction.
pub fn read_survivor(
    conn: &mut DbConn,
    keys: &Keys,
    actor: &Actor,
    case_id: Uuid,
    now: chrono::NaiveDateTime,
) -> Result<Option<SurvivorView>, KeysError> {
    conn.transaction(|conn| {
        // The audit event goes first: it is the transaction's first write (design §3),
        // so the read cannot meet a writer that committed since it began.
        crate::store::audit::append(
            conn,
            &Event::new(actor, "case.read", Outcome::Success, now).on("case", case_id),
        )?;
        let Some(row) = store::survivor(conn, &case_id.to_string())? else { return Ok(None) };
        let profile = SurvivorProfile {
            sex: row.sex.clone(),
            age_group: row.age_group.clone(),
            is_child: row.is_child,
            has_disability: row.has_disability,
        };
        let identity = match OwnerKey::open(conn, keys, KeyOwner::new(OwnerKind::Case, case_id))? {
            Revealed::Erased => Revealed::Erased,
            Revealed::Value(key) => Revealed::Value(open_identity(&key, case_id, &row)?),
        };
        Ok(Some(SurvivorView { identity, profile }))
    })
}

fn open_identity(
    key: &OwnerKey,
    case_id: Uuid,
    row: &SurvivorRow,
) -> Result<SurvivorIdentity<Zeroizing<String>>, KeysError> {
    let open = |column, blob: &SealedBlob| key.open_text(FieldRef::new(TABLE, column, case_id), blob);
    let open_opt = |column, blob: &Option<SealedBlob>| blob.as_ref().map(|b| open(column, b)).transpose();
    Ok(SurvivorIdentity {
        full_name: open("full_name", &row.full_name)?,
        other_names: open_opt("other_names", &row.other_names)?,
        birth_date: open_opt("birth_date", &row.birth_date)?,
        phone: open_opt("phone", &row.phone)?,
        address: open_opt("address", &row.address)?,
        id_number: open_opt("id_number", &row.id_number)?,
        guardian_name: open_opt("guardian_name", &row.guardian_name)?,
        guardian_phone: open_opt("guardian_phone", &row.guardian_phone)?,
    })
}

/// Cases whose survivor has this name, however it is written (accents, case,
/// spacing): an exact match on the blind index.
pub fn find_by_name(conn: &mut DbConn, keys: &Keys, name: &str) -> Result<Vec<Uuid>, KeysError> {
    find(conn, IndexColumn::Name, keys.indexer().index_name(TABLE, "name_index", name))
}

pub fn find_by_phone(conn: &mut DbConn, keys: &Keys, phone: &str) -> Result<Vec<Uuid>, KeysError> {
    find(conn, IndexColumn::Phone, keys.indexer().index_phone(TABLE, "phone_index", phone))
}

fn find(
    conn: &mut DbConn,
    column: IndexColumn,
    index: Option<crate::crypto::BlindIndex>,
) -> Result<Vec<Uuid>, KeysError> {
    let Some(index) = index else { return Ok(Vec::new()) };
    Ok(store::find_by_index(conn, column, index.as_bytes())?
        .into_iter()
        .filter_map(|id| id.parse().ok())
        .collect())
}
