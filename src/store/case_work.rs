//! The rows of the work on a case (design §8): incident, perpetrator, transitions,
//! risk assessments, consents, measures, referrals, notes and approvals, as
//! stored. Sealed columns hold `SealedBlob`s; sealing and opening are the
//! services' business.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{
    approvals, case_notes, case_transitions, cases, consents, incident_codes, incidents, perpetrators,
    protection_measures, referrals, risk_assessments, service_providers, survivors,
};
use crate::crypto::SealedBlob;

/// A case's plain columns with its survivor's plain profile: what the workflow,
/// the policies and the lists need, with no personal data.
#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = cases)]
pub struct CaseRow {
    pub id: String,
    pub case_number: String,
    pub commune_code: String,
    pub status: String,
    pub reported_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub assigned_to: Option<String>,
    pub report_source: String,
    pub report_channel: String,
    pub immediate_danger: bool,
    pub risk_level: Option<String>,
    pub closure_reason: Option<String>,
    pub first_action_at: Option<NaiveDateTime>,
    pub plan_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = survivors)]
pub struct ProfileRow {
    pub sex: String,
    pub age_group: String,
    pub is_child: bool,
    pub has_disability: bool,
}

pub fn case_with_profile(conn: &mut DbConn, id: &str) -> QueryResult<Option<(CaseRow, ProfileRow)>> {
    cases::table
        .inner_join(survivors::table)
        .filter(cases::id.eq(id))
        .select((CaseRow::as_select(), ProfileRow::as_select()))
        .first(conn)
        .optional()
}

/// Writes the case row first (design §3) so the transaction holds it: a later read
/// in it cannot meet a concurrent writer. Returns false when there is no such case.
pub fn touch(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    Ok(diesel::update(cases::table.find(id)).set(cases::updated_at.eq(now)).execute(conn)? == 1)
}

/// Moves the version on if it is still `expected`: false when someone saved first.
pub fn bump_version(conn: &mut DbConn, id: &str, expected: i32, now: NaiveDateTime) -> QueryResult<bool> {
    Ok(diesel::update(cases::table.filter(cases::id.eq(id)).filter(cases::version.eq(expected)))
        .set((cases::version.eq(cases::version + 1), cases::updated_at.eq(now)))
        .execute(conn)?
        == 1)
}

#[derive(AsChangeset, Debug, Default)]
#[diesel(table_name = cases)]
pub struct CaseChanges<'a> {
    pub status: Option<&'a str>,
    pub risk_level: Option<&'a str>,
    pub closure_reason: Option<Option<&'a str>>,
    pub closed_at: Option<Option<NaiveDateTime>>,
    pub first_action_at: Option<NaiveDateTime>,
    pub plan_at: Option<NaiveDateTime>,
    pub assigned_to: Option<Option<&'a str>>,
    pub report_source: Option<&'a str>,
    pub report_channel: Option<&'a str>,
    pub immediate_danger: Option<bool>,
    pub commune_code: Option<&'a str>,
    pub reported_at: Option<NaiveDateTime>,
}

pub fn update_case(conn: &mut DbConn, id: &str, changes: &CaseChanges<'_>) -> QueryResult<()> {
    diesel::update(cases::table.find(id)).set(changes).execute(conn).map(drop)
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = incidents)]
pub struct IncidentRow {
    pub case_id: String,
    pub occurred_on: Option<NaiveDate>,
    pub gbv_type: Option<String>,
    pub gbv_context: Option<String>,
    pub narrative: Option<SealedBlob>,
    pub place: Option<SealedBlob>,
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = perpetrators)]
pub struct PerpetratorRow {
    pub case_id: String,
    pub full_name: Option<SealedBlob>,
    pub sex: String,
    pub relationship: String,
    pub commune_code: Option<String>,
}

pub fn insert_incident(
    conn: &mut DbConn,
    incident: &IncidentRow,
    codes: &[(&str, &str)],
    perpetrator: &PerpetratorRow,
) -> QueryResult<()> {
    diesel::insert_into(incidents::table).values(incident).execute(conn)?;
    for (list, code) in codes {
        diesel::insert_into(incident_codes::table)
            .values((
                incident_codes::case_id.eq(&incident.case_id),
                incident_codes::list.eq(list),
                incident_codes::code.eq(code),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(perpetrators::table).values(perpetrator).execute(conn)?;
    Ok(())
}

pub fn incident(conn: &mut DbConn, case_id: &str) -> QueryResult<Option<IncidentRow>> {
    incidents::table.find(case_id).select(IncidentRow::as_select()).first(conn).optional()
}

/// The (list, code) pairs of an incident: forms of violence and Article 3 acts.
pub fn incident_codes(conn: &mut DbConn, case_id: &str) -> QueryResult<Vec<(String, String)>> {
    incident_codes::table
        .filter(incident_codes::case_id.eq(case_id))
        .select((incident_codes::list, incident_codes::code))
        .order_by((incident_codes::list, incident_codes::code))
        .load(conn)
}

pub fn perpetrator(conn: &mut DbConn, case_id: &str) -> QueryResult<Option<PerpetratorRow>> {
    perpetrators::table.find(case_id).select(PerpetratorRow::as_select()).first(conn).optional()
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = case_transitions)]
pub struct TransitionRow {
    pub id: String,
    pub case_id: String,
    pub from_status: String,
    pub to_status: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub reason: Option<String>,
    /// Why a closed case was reopened (sealed).
    pub comment: Option<SealedBlob>,
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = risk_assessments)]
pub struct RiskRow {
    pub id: String,
    pub case_id: String,
    pub level: String,
    pub factors: Option<SealedBlob>,
    pub assessed_by: Option<String>,
    pub assessed_at: NaiveDateTime,
    pub note: Option<SealedBlob>,
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = consents)]
pub struct ConsentRow {
    pub id: String,
    pub case_id: String,
    pub purpose: String,
    pub given_by: String,
    pub given_at: NaiveDateTime,
    pub recorded_by: Option<String>,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdrawn_by: Option<String>,
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = protection_measures)]
pub struct MeasureRow {
    pub id: String,
    pub case_id: String,
    pub measure_type: String,
    pub ordered_by: Option<String>,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub details: Option<SealedBlob>,
    pub recorded_by: Option<String>,
    pub recorded_at: NaiveDateTime,
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = referrals)]
pub struct ReferralRow {
    pub id: String,
    pub case_id: String,
    pub provider_id: String,
    pub service_type: String,
    pub status: String,
    pub override_id: Option<String>,
    pub note: Option<SealedBlob>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = case_notes)]
pub struct NoteRow {
    pub id: String,
    pub case_id: String,
    pub kind: String,
    pub body: SealedBlob,
    pub due_at: Option<NaiveDateTime>,
    pub done_at: Option<NaiveDateTime>,
    pub author_id: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = approvals)]
pub struct ApprovalRow {
    pub id: String,
    pub case_id: String,
    pub kind: String,
    pub status: String,
    pub purpose: Option<String>,
    pub closure_reason: Option<String>,
    pub reason: Option<SealedBlob>,
    pub requested_by: Option<String>,
    pub requested_at: NaiveDateTime,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub comment: Option<SealedBlob>,
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = service_providers)]
pub struct ProviderRow {
    pub id: String,
    pub name: String,
    pub service_type: String,
    pub commune_code: Option<String>,
    pub active: bool,
}

pub fn insert_transition(conn: &mut DbConn, row: &TransitionRow) -> QueryResult<()> {
    diesel::insert_into(case_transitions::table).values(row).execute(conn).map(drop)
}

pub fn insert_risk(conn: &mut DbConn, row: &RiskRow) -> QueryResult<()> {
    diesel::insert_into(risk_assessments::table).values(row).execute(conn).map(drop)
}

pub fn insert_consent(conn: &mut DbConn, row: &ConsentRow) -> QueryResult<()> {
    diesel::insert_into(consents::table).values(row).execute(conn).map(drop)
}

pub fn insert_measure(conn: &mut DbConn, row: &MeasureRow) -> QueryResult<()> {
    diesel::insert_into(protection_measures::table).values(row).execute(conn).map(drop)
}

pub fn insert_referral(conn: &mut DbConn, row: &ReferralRow) -> QueryResult<()> {
    diesel::insert_into(referrals::table).values(row).execute(conn).map(drop)
}

pub fn insert_note(conn: &mut DbConn, row: &NoteRow) -> QueryResult<()> {
    diesel::insert_into(case_notes::table).values(row).execute(conn).map(drop)
}

pub fn insert_approval(conn: &mut DbConn, row: &ApprovalRow) -> QueryResult<()> {
    diesel::insert_into(approvals::table).values(row).execute(conn).map(drop)
}

pub fn insert_provider(conn: &mut DbConn, row: &ProviderRow) -> QueryResult<()> {
    diesel::insert_into(service_providers::table).values(row).execute(conn).map(drop)
}

pub fn transitions(conn: &mut DbConn, case_id: &str) -> QueryResult<Vec<TransitionRow>> {
    case_transitions::table
        .filter(case_transitions::case_id.eq(case_id))
        .order_by((case_transitions::at, case_transitions::id))
        .select(TransitionRow::as_select())
        .load(conn)
}

pub fn risks(conn: &mut DbConn, case_id: &str) -> QueryResult<Vec<RiskRow>> {
    risk_assessments::table
        .filter(risk_assessments::case_id.eq(case_id))
        .order_by((risk_assessments::assessed_at, risk_assessments::id))
        .select(RiskRow::as_select())
        .load(conn)
}

pub fn consents_of(conn: &mut DbConn, case_id: &str) -> QueryResult<Vec<ConsentRow>> {
    consents::table
        .filter(consents::case_id.eq(case_id))
        .order_by((consents::given_at, consents::id))
        .select(ConsentRow::as_select())
        .load(conn)
}

pub fn withdraw_consent(
    conn: &mut DbConn,
    case_id: &str,
    id: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    Ok(diesel::update(
        consents::table
            .filter(consents::id.eq(id))
            .filter(consents::case_id.eq(case_id))
            .filter(consents::withdrawn_at.is_null()),
    )
    .set((consents::withdrawn_at.eq(at), consents::withdrawn_by.eq(by)))
    .execute(conn)?
        == 1)
}

pub fn measures(conn: &mut DbConn, case_id: &str) -> QueryResult<Vec<MeasureRow>> {
    protection_measures::table
        .filter(protection_measures::case_id.eq(case_id))
        .order_by((protection_measures::starts_at, protection_measures::id))
        .select(MeasureRow::as_select())
        .load(conn)
}

pub fn referrals_of(conn: &mut DbConn, case_id: &str) -> QueryResult<Vec<(ReferralRow, ProviderRow)>> {
    referrals::table
        .inner_join(service_providers::table)
        .filter(referrals::case_id.eq(case_id))
        .order_by((referrals::created_at, referrals::id))
        .select((ReferralRow::as_select(), ProviderRow::as_select()))
        .load(conn)
}

pub fn referral(conn: &mut DbConn, id: &str) -> QueryResult<Option<ReferralRow>> {
    referrals::table.find(id).select(ReferralRow::as_select()).first(conn).optional()
}

/// Moves a referral to `status` if its version is still `expected`.
pub fn set_referral_status(
    conn: &mut DbConn,
    id: &str,
    expected: i32,
    status: &str,
    note: Option<&SealedBlob>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = referrals::table.filter(referrals::id.eq(id)).filter(referrals::version.eq(expected));
    let changed = match note {
        Some(note) => diesel::update(target)
            .set((
                referrals::status.eq(status),
                referrals::note.eq(note),
                referrals::version.eq(referrals::version + 1),
                referrals::updated_at.eq(now),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((
                referrals::status.eq(status),
                referrals::version.eq(referrals::version + 1),
                referrals::updated_at.eq(now),
            ))
            .execute(conn)?,
    };
    Ok(changed == 1)
}

pub fn open_referral_count(conn: &mut DbConn, case_id: &str) -> QueryResult<i64> {
    referrals::table
        .filter(referrals::case_id.eq(case_id))
        .filter(referrals::status.eq_any(["pending", "accepted"]))
        .count()
        .get_result(conn)
}

pub fn notes(conn: &mut DbConn, case_id: &str) -> QueryResult<Vec<NoteRow>> {
    case_notes::table
        .filter(case_notes::case_id.eq(case_id))
        .order_by((case_notes::created_at, case_notes::id))
        .select(NoteRow::as_select())
        .load(conn)
}

pub fn mark_follow_up_done(
    conn: &mut DbConn,
    case_id: &str,
    id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    Ok(diesel::update(
        case_notes::table
            .filter(case_notes::id.eq(id))
            .filter(case_notes::case_id.eq(case_id))
            .filter(case_notes::kind.eq("follow_up"))
            .filter(case_notes::done_at.is_null()),
    )
    .set(case_notes::done_at.eq(at))
    .execute(conn)?
        == 1)
}

pub fn approvals_of(conn: &mut DbConn, case_id: &str) -> QueryResult<Vec<ApprovalRow>> {
    approvals::table
        .filter(approvals::case_id.eq(case_id))
        .order_by((approvals::requested_at, approvals::id))
        .select(ApprovalRow::as_select())
        .load(conn)
}

pub fn approval(conn: &mut DbConn, id: &str) -> QueryResult<Option<ApprovalRow>> {
    approvals::table.find(id).select(ApprovalRow::as_select()).first(conn).optional()
}

/// Decides a request that is still a request: false when it was decided already.
pub fn decide_approval(
    conn: &mut DbConn,
    id: &str,
    status: &str,
    by: &str,
    at: NaiveDateTime,
    comment: Option<&SealedBlob>,
) -> QueryResult<bool> {
    Ok(diesel::update(
        approvals::table.filter(approvals::id.eq(id)).filter(approvals::status.eq("requested")),
    )
    .set((
        approvals::status.eq(status),
        approvals::decided_by.eq(by),
        approvals::decided_at.eq(at),
        approvals::comment.eq(comment),
    ))
    .execute(conn)?
        == 1)
}

/// Requests waiting for a supervisor, oldest first, with their case's commune.
pub fn pending_approvals(conn: &mut DbConn) -> QueryResult<Vec<(ApprovalRow, CaseRow)>> {
    approvals::table
        .inner_join(cases::table)
        .filter(approvals::status.eq("requested"))
        .order_by((approvals::requested_at, approvals::id))
        .select((ApprovalRow::as_select(), CaseRow::as_select()))
        .load(conn)
}

pub fn providers(conn: &mut DbConn) -> QueryResult<Vec<ProviderRow>> {
    service_providers::table
        .filter(service_providers::active.eq(true))
        .order_by((service_providers::service_type, service_providers::name))
        .select(ProviderRow::as_select())
        .load(conn)
}

pub fn provider(conn: &mut DbConn, id: &str) -> QueryResult<Option<ProviderRow>> {
    service_providers::table.find(id).select(ProviderRow::as_select()).first(conn).optional()
}

/// What a list of cases needs: plain columns only.
pub fn cases_with_profiles(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<(CaseRow, ProfileRow)>> {
    let mut all = Vec::with_capacity(ids.len());
    // Bounded IN lists: SQLite's default limit on bound parameters is 32,766.
    for chunk in ids.chunks(5_000) {
        all.extend(
            cases::table
                .inner_join(survivors::table)
                .filter(cases::id.eq_any(chunk))
                .select((CaseRow::as_select(), ProfileRow::as_select()))
                .load::<(CaseRow, ProfileRow)>(conn)?,
        );
    }
    Ok(all)
}

/// The facts the deadlines of open cases are computed from, for many cases at once.
pub struct ClockRows {
    pub pending_requests: Vec<(String, NaiveDateTime)>,
    pub no_contact_ends: Vec<(String, NaiveDateTime)>,
    pub follow_ups: Vec<(String, NaiveDateTime, Option<NaiveDateTime>)>,
}

pub fn clock_rows(conn: &mut DbConn, ids: &[String]) -> QueryResult<ClockRows> {
    let mut rows =
        ClockRows { pending_requests: Vec::new(), no_contact_ends: Vec::new(), follow_ups: Vec::new() };
    for chunk in ids.chunks(5_000) {
        rows.pending_requests.extend(
            approvals::table
                .filter(approvals::case_id.eq_any(chunk))
                .filter(approvals::status.eq("requested"))
                .select((approvals::case_id, approvals::requested_at))
                .load::<(String, NaiveDateTime)>(conn)?,
        );
        rows.no_contact_ends.extend(
            protection_measures::table
                .filter(protection_measures::case_id.eq_any(chunk))
                .filter(protection_measures::measure_type.eq("no_contact_order"))
                .filter(protection_measures::ends_at.is_not_null())
                .select((protection_measures::case_id, protection_measures::ends_at.assume_not_null()))
                .load::<(String, NaiveDateTime)>(conn)?,
        );
        rows.follow_ups.extend(
            case_notes::table
                .filter(case_notes::case_id.eq_any(chunk))
                .filter(case_notes::kind.eq("follow_up"))
                .filter(case_notes::due_at.is_not_null())
                .select((case_notes::case_id, case_notes::due_at.assume_not_null(), case_notes::done_at))
                .load::<(String, NaiveDateTime, Option<NaiveDateTime>)>(conn)?,
        );
    }
    Ok(rows)
}

/// The survivor's sealed safe-contact note, replaced whole.
pub fn set_safe_contact(conn: &mut DbConn, case_id: &str, blob: Option<&SealedBlob>) -> QueryResult<()> {
    diesel::update(survivors::table.find(case_id))
        .set(survivors::safe_contact.eq(blob))
        .execute(conn)
        .map(drop)
}

pub fn safe_contact(conn: &mut DbConn, case_id: &str) -> QueryResult<Option<SealedBlob>> {
    survivors::table.find(case_id).select(survivors::safe_contact).first(conn)
}

pub fn set_name_year_index(conn: &mut DbConn, case_id: &str, index: Option<&[u8]>) -> QueryResult<()> {
    diesel::update(survivors::table.find(case_id))
        .set(survivors::name_year_index.eq(index))
        .execute(conn)
        .map(drop)
}

pub fn find_by_name_year(conn: &mut DbConn, index: &[u8]) -> QueryResult<Vec<String>> {
    survivors::table
        .filter(survivors::name_year_index.eq(index))
        .select(survivors::case_id)
        .order_by(survivors::case_id)
        .load(conn)
}

/// The overrides of a case already used by a referral or a placement.
pub fn overrides_in_use(conn: &mut DbConn, case_id: &str) -> QueryResult<Vec<String>> {
    use super::schema::placements;
    let mut used: Vec<String> = referrals::table
        .filter(referrals::case_id.eq(case_id))
        .filter(referrals::override_id.is_not_null())
        .select(referrals::override_id.assume_not_null())
        .load(conn)?;
    used.extend(
        placements::table
            .filter(placements::case_id.eq(case_id))
            .filter(placements::override_id.is_not_null())
            .select(placements::override_id.assume_not_null())
            .load::<String>(conn)?,
    );
    Ok(used)
}

/// Closure requests of a case still waiting become `withdrawn`.
pub fn withdraw_closure_requests(
    conn: &mut DbConn,
    case_id: &str,
    by: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        approvals::table
            .filter(approvals::case_id.eq(case_id))
            .filter(approvals::kind.eq("closure"))
            .filter(approvals::status.eq("requested")),
    )
    .set((approvals::status.eq("withdrawn"), approvals::decided_by.eq(by), approvals::decided_at.eq(at)))
    .execute(conn)
}

/// The display names of the staff who recorded a case's work, by user id, in one
/// query (staff names are account data, not the survivor's).
pub fn authors(conn: &mut DbConn, ids: &[String]) -> QueryResult<std::collections::HashMap<String, String>> {
    use super::schema::users;
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows: Vec<(String, String)> =
        users::table.filter(users::id.eq_any(ids)).select((users::id, users::display_name)).load(conn)?;
    Ok(rows.into_iter().collect())
}

/// A survivor's plain profile, corrected.
pub fn set_profile(conn: &mut DbConn, case_id: &str, profile: &ProfileRow) -> QueryResult<()> {
    diesel::update(survivors::table.find(case_id))
        .set((
            survivors::sex.eq(&profile.sex),
            survivors::age_group.eq(&profile.age_group),
            survivors::is_child.eq(profile.is_child),
            survivors::has_disability.eq(profile.has_disability),
        ))
        .execute(conn)
        .map(drop)
}

/// Replaces an incident and its perpetrator with corrected rows, and the
/// incident's codes (forms of violence, acts) with `codes`.
pub fn replace_incident(
    conn: &mut DbConn,
    incident: &IncidentRow,
    codes: &[(&str, &str)],
    perpetrator: &PerpetratorRow,
) -> QueryResult<()> {
    diesel::delete(incident_codes::table.filter(incident_codes::case_id.eq(&incident.case_id)))
        .execute(conn)?;
    diesel::delete(incidents::table.find(&incident.case_id)).execute(conn)?;
    diesel::delete(perpetrators::table.find(&perpetrator.case_id)).execute(conn)?;
    insert_incident(conn, incident, codes, perpetrator)
}
