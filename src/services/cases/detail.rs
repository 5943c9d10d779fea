//! A whole case as its worker reads it (design §8): the survivor, the incident,
//! the perpetrator, the safe-contact note, risk history, consents, measures,
//! referrals, notes, decisions, the timeline, the deadlines, and what the reader
//! may do next. Opening it is one audited read.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::super::sealing::{OwnerKey, Revealed};
use super::access::{Caller, CaseError, CaseInHand, read_case};
use super::work::IdentityEdit;
use super::{SurvivorIdentity, survivor_indexes};
use crate::authz::Action;
use crate::crypto::{FieldRef, KeyOwner, OwnerKind, SealedBlob};
use crate::domain::case_clock::{CaseFactsForClock, Deadline, deadlines};
use crate::domain::lifecycle::CaseStatus;
use crate::store::DbConn;
use crate::store::case_work::{self as store, CaseRow, ProfileRow};

#[derive(Debug, Clone)]
pub struct CaseDetail {
    pub case: CaseRow,
    pub profile: ProfileRow,
    /// `None` once the case was erased.
    pub survivor: Option<SurvivorIdentity<String>>,
    pub safe_contact: Option<String>,
    pub incident: Option<IncidentView>,
    pub perpetrator: Option<PerpetratorView>,
    pub risks: Vec<RiskView>,
    pub consents: Vec<store::ConsentRow>,
    pub measures: Vec<MeasureView>,
    pub referrals: Vec<ReferralView>,
    pub notes: Vec<NoteView>,
    pub approvals: Vec<ApprovalView>,
    pub transitions: Vec<TimelineView>,
    /// The display names of the staff who recorded the work above, by user id.
    pub authors: HashMap<String, String>,
    pub deadlines: Vec<Deadline>,
    /// The case's status, read failing closed (`CaseInHand::new`).
    pub status: CaseStatus,
    /// The steps the lifecycle allows from here.
    pub next_steps: Vec<CaseStatus>,
    /// The actions the reader's policies allow on this case.
    pub allowed: Vec<Action>,
    pub erased: bool,
}

#[derive(Debug, Clone)]
pub struct IncidentView {
    pub occurred_on: Option<NaiveDate>,
    pub forms: Vec<String>,
    pub acts: Vec<String>,
    pub gbv_type: Option<String>,
    pub gbv_context: Option<String>,
    pub narrative: Option<String>,
    pub place: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PerpetratorView {
    pub full_name: Option<String>,
    pub sex: String,
    pub relationship: String,
    pub commune_code: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RiskView {
    pub id: String,
    pub assessed_by: Option<String>,
    pub level: String,
    pub factors: Vec<String>,
    pub assessed_at: DateTime<Utc>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MeasureView {
    pub id: String,
    pub recorded_by: Option<String>,
    pub measure_type: String,
    pub ordered_by: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub details: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ReferralView {
    pub id: String,
    pub provider_name: String,
    pub service_type: String,
    pub status: String,
    pub by_override: bool,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Clone)]
pub struct NoteView {
    pub id: String,
    pub author_id: Option<String>,
    pub kind: String,
    pub body: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ApprovalView {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub purpose: Option<String>,
    pub closure_reason: Option<String>,
    pub reason: Option<String>,
    pub comment: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub requested_by: Option<String>,
    pub decided_by: Option<String>,
}

/// A step of the lifecycle as the timeline shows it.
#[derive(Debug, Clone)]
pub struct TimelineView {
    pub from_status: String,
    pub to_status: String,
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    /// The closure reason's code.
    pub reason: Option<String>,
    /// Why the case was reopened, as typed.
    pub comment: Option<String>,
}

impl CaseDetail {
    /// The display name of the account that recorded something, when known.
    pub fn author(&self, user_id: Option<&str>) -> Option<&str> {
        user_id.and_then(|id| self.authors.get(id)).map(String::as_str)
    }
}

/// Opens sealed fields of one case, or gives `None` for all once it was erased.
struct Opener {
    key: Option<OwnerKey>,
}

impl Opener {
    fn open(
        &self,
        table: &'static str,
        column: &'static str,
        row: &str,
        blob: Option<&SealedBlob>,
    ) -> Result<Option<String>, CaseError> {
        let (Some(key), Some(blob)) = (&self.key, blob) else { return Ok(None) };
        let row: Uuid = row.parse().map_err(|_| CaseError::NotFound)?;
        Ok(Some(key.open_text(FieldRef::new(table, column, row), blob)?.to_string()))
    }
}

pub fn case_detail(conn: &mut DbConn, caller: &Caller, case_id: Uuid) -> Result<CaseDetail, CaseError> {
    let mut detail =
        read_case(conn, caller, case_id, Action::CaseRead, |conn, case| build(conn, caller, case))?;
    // The buttons the reader may use: a dozen policy decisions, asked after the
    // commit so that they do not hold the database's write lock (SQLite).
    let case_actions: Vec<Action> =
        Action::ALL.into_iter().filter(|a| a.as_str().starts_with("case.")).collect();
    detail.allowed = caller.policies.allowed_among(
        &caller.principal,
        &case_actions,
        &super::access::resource(&caller.principal.province, &detail.case, &detail.profile),
    );
    Ok(detail)
}

fn build(conn: &mut DbConn, caller: &Caller, case: &CaseInHand) -> Result<CaseDetail, CaseError> {
    let id = case.row.id.as_str();
    let key = match OwnerKey::open(conn, &caller.keys, KeyOwner::new(OwnerKind::Case, case.id))? {
        Revealed::Value(key) => Some(key),
        Revealed::Erased => None,
    };
    let erased = key.is_none();
    let o = Opener { key };
    let survivor_row = crate::store::cases::survivor(conn, id)?;
    let survivor = match (&survivor_row, erased) {
        (Some(row), false) => Some(SurvivorIdentity {
            full_name: o.open("survivors", "full_name", id, Some(&row.full_name))?.unwrap_or_default(),
            other_names: o.open("survivors", "other_names", id, row.other_names.as_ref())?,
            birth_date: o.open("survivors", "birth_date", id, row.birth_date.as_ref())?,
            phone: o.open("survivors", "phone", id, row.phone.as_ref())?,
            address: o.open("survivors", "address", id, row.address.as_ref())?,
            id_number: o.open("survivors", "id_number", id, row.id_number.as_ref())?,
            guardian_name: o.open("survivors", "guardian_name", id, row.guardian_name.as_ref())?,
            guardian_phone: o.open("survivors", "guardian_phone", id, row.guardian_phone.as_ref())?,
        }),
        _ => None,
    };
    let safe_contact = o.open("survivors", "safe_contact", id, store::safe_contact(conn, id)?.as_ref())?;
    let codes = store::incident_codes(conn, id)?;
    let incident = match store::incident(conn, id)? {
        Some(row) => Some(IncidentView {
            occurred_on: row.occurred_on,
            forms: codes.iter().filter(|(l, _)| l == "form").map(|(_, c)| c.clone()).collect(),
            acts: codes.iter().filter(|(l, _)| l == "act").map(|(_, c)| c.clone()).collect(),
            gbv_type: row.gbv_type,
            gbv_context: row.gbv_context,
            narrative: o.open("incidents", "narrative", id, row.narrative.as_ref())?,
            place: o.open("incidents", "place", id, row.place.as_ref())?,
        }),
        None => None,
    };
    let perpetrator = match store::perpetrator(conn, id)? {
        Some(row) => Some(PerpetratorView {
            full_name: o.open("perpetrators", "full_name", id, row.full_name.as_ref())?,
            sex: row.sex,
            relationship: row.relationship,
            commune_code: row.commune_code,
        }),
        None => None,
    };
    let mut risks = Vec::new();
    for r in store::risks(conn, id)? {
        risks.push(RiskView {
            note: o.open("risk_assessments", "note", &r.id, r.note.as_ref())?,
            factors: o
                .open("risk_assessments", "factors", &r.id, r.factors.as_ref())?
                .map(|codes| codes.split(',').filter(|f| !f.is_empty()).map(str::to_string).collect())
                .unwrap_or_default(),
            id: r.id,
            assessed_by: r.assessed_by,
            level: r.level,
            assessed_at: r.assessed_at.and_utc(),
        });
    }
    let mut measures = Vec::new();
    for m in store::measures(conn, id)? {
        measures.push(MeasureView {
            details: o.open("protection_measures", "details", &m.id, m.details.as_ref())?,
            id: m.id,
            recorded_by: m.recorded_by,
            measure_type: m.measure_type,
            ordered_by: m.ordered_by,
            starts_at: m.starts_at.and_utc(),
            ends_at: m.ends_at.map(|e| e.and_utc()),
        });
    }
    let mut referrals = Vec::new();
    for (r, provider) in store::referrals_of(conn, id)? {
        // The page offers the next steps of this status: an unknown one is an error.
        crate::store::closed::read(
            crate::domain::referral::ReferralStatus::parse,
            "referrals",
            "status",
            &r.id,
            &r.status,
        )?;
        referrals.push(ReferralView {
            note: o.open("referrals", "note", &r.id, r.note.as_ref())?,
            id: r.id,
            provider_name: provider.name,
            service_type: r.service_type,
            status: r.status,
            by_override: r.override_id.is_some(),
            created_at: r.created_at.and_utc(),
            version: r.version,
        });
    }
    let mut notes = Vec::new();
    for n in store::notes(conn, id)? {
        notes.push(NoteView {
            body: o.open("case_notes", "body", &n.id, Some(&n.body))?,
            id: n.id,
            author_id: n.author_id,
            kind: n.kind,
            due_at: n.due_at.map(|d| d.and_utc()),
            done_at: n.done_at.map(|d| d.and_utc()),
            created_at: n.created_at.and_utc(),
        });
    }
    let mut approvals = Vec::new();
    for a in store::approvals_of(conn, id)? {
        approvals.push(ApprovalView {
            reason: o.open("approvals", "reason", &a.id, a.reason.as_ref())?,
            comment: o.open("approvals", "comment", &a.id, a.comment.as_ref())?,
            id: a.id,
            kind: a.kind,
            status: a.status,
            purpose: a.purpose,
            closure_reason: a.closure_reason,
            requested_at: a.requested_at.and_utc(),
            decided_at: a.decided_at.map(|d| d.and_utc()),
            requested_by: a.requested_by,
            decided_by: a.decided_by,
        });
    }
    let mut transitions = Vec::new();
    for t in store::transitions(conn, id)? {
        transitions.push(TimelineView {
            comment: o.open("case_transitions", "comment", &t.id, t.comment.as_ref())?,
            from_status: t.from_status,
            to_status: t.to_status,
            at: t.at.and_utc(),
            actor_id: t.actor_id,
            reason: t.reason,
        });
    }
    let consents = store::consents_of(conn, id)?;
    let author_ids: Vec<String> = risks
        .iter()
        .map(|r| &r.assessed_by)
        .chain(consents.iter().map(|c| &c.recorded_by))
        .chain(measures.iter().map(|m| &m.recorded_by))
        .chain(notes.iter().map(|n| &n.author_id))
        .chain(approvals.iter().flat_map(|a| [&a.requested_by, &a.decided_by]))
        .chain(transitions.iter().map(|t| &t.actor_id))
        .flatten()
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let authors = store::authors(conn, &author_ids)?;
    let clock = clock_facts(&case.row, &case.profile, &approvals_pending(&approvals), &measures, &notes);
    Ok(CaseDetail {
        case: case.row.clone(),
        profile: case.profile.clone(),
        survivor,
        safe_contact,
        incident,
        perpetrator,
        risks,
        consents,
        measures,
        referrals,
        notes,
        approvals,
        transitions,
        authors,
        deadlines: deadlines(&clock, &caller.holidays),
        status: case.status(),
        next_steps: case.status().next().to_vec(),
        allowed: Vec::new(),
        erased,
    })
}

fn approvals_pending(approvals: &[ApprovalView]) -> Vec<DateTime<Utc>> {
    approvals.iter().filter(|a| a.status == "requested").map(|a| a.requested_at).collect()
}

fn clock_facts(
    case: &CaseRow,
    profile: &ProfileRow,
    pending: &[DateTime<Utc>],
    measures: &[MeasureView],
    notes: &[NoteView],
) -> CaseFactsForClock {
    CaseFactsForClock {
        reported_at: case.reported_at.and_utc(),
        is_child: profile.is_child,
        is_open: case.status != CaseStatus::Closed.as_str(),
        first_action_at: case.first_action_at.map(|t| t.and_utc()),
        plan_at: case.plan_at.map(|t| t.and_utc()),
        pending_requests: pending.to_vec(),
        no_contact_ends: measures
            .iter()
            .filter(|m| m.measure_type == "no_contact_order")
            .filter_map(|m| m.ends_at)
            .collect(),
        follow_ups: notes.iter().filter_map(|n| n.due_at.map(|due| (due, n.done_at))).collect(),
    }
}

/// Re-seals the survivor's fields an edit changes, and their blind indexes.
pub(super) fn apply_identity_edit(
    conn: &mut DbConn,
    caller: &Caller,
    case: &CaseInHand,
    key: &OwnerKey,
    edit: &IdentityEdit,
) -> Result<(), CaseError> {
    use crate::store::schema::survivors;
    use diesel::prelude::*;
    let id = case.id;
    let seal = |column, text: &Option<String>| -> Result<Option<Option<SealedBlob>>, CaseError> {
        match text.as_deref().map(str::trim) {
            None => Ok(None),
            Some("") => Ok(Some(None)),
            Some(t) => Ok(Some(Some(key.seal(FieldRef::new("survivors", column, id), t)?))),
        }
    };
    let target = survivors::table.find(case.row.id.as_str());
    if let Some(name) = edit.full_name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        let blob = key.seal(FieldRef::new("survivors", "full_name", id), name)?;
        diesel::update(target).set(survivors::full_name.eq(blob)).execute(conn)?;
    }
    if let Some(v) = seal("phone", &edit.phone)? {
        diesel::update(target).set(survivors::phone.eq(v)).execute(conn)?;
    }
    if let Some(v) = seal("birth_date", &edit.birth_date)? {
        diesel::update(target).set(survivors::birth_date.eq(v)).execute(conn)?;
    }
    if let Some(v) = seal("id_number", &edit.id_number)? {
        diesel::update(target).set(survivors::id_number.eq(v)).execute(conn)?;
    }
    if let Some(v) = seal("address", &edit.address)? {
        diesel::update(target).set(survivors::address.eq(v)).execute(conn)?;
    }
    if let Some(v) = seal("guardian_name", &edit.guardian_name)? {
        diesel::update(target).set(survivors::guardian_name.eq(v)).execute(conn)?;
    }
    if let Some(v) = seal("guardian_phone", &edit.guardian_phone)? {
        diesel::update(target).set(survivors::guardian_phone.eq(v)).execute(conn)?;
    }
    if let Some(v) = seal("safe_contact", &edit.safe_contact)? {
        store::set_safe_contact(conn, &case.row.id, v.as_ref())?;
    }
    if edit.full_name.is_some()
        || edit.phone.is_some()
        || edit.id_number.is_some()
        || edit.birth_date.is_some()
    {
        // The indexes follow the stored values, whichever of them changed.
        let row = crate::store::cases::survivor(conn, &case.row.id)?.ok_or(CaseError::NotFound)?;
        let open = |column, blob: &Option<SealedBlob>| -> Result<Option<String>, CaseError> {
            Ok(match blob {
                Some(b) => Some(key.open_text(FieldRef::new("survivors", column, id), b)?.to_string()),
                None => None,
            })
        };
        let name = key.open_text(FieldRef::new("survivors", "full_name", id), &row.full_name)?;
        let phone = open("phone", &row.phone)?;
        let id_number = open("id_number", &row.id_number)?;
        let birth = open("birth_date", &row.birth_date)?;
        let [n, p, i] =
            survivor_indexes(&caller.keys.indexer(), &name, phone.as_deref(), id_number.as_deref());
        crate::store::cases::set_indexes(conn, &case.row.id, n.as_deref(), p.as_deref(), i.as_deref())?;
        let name_year = birth.and_then(|b| super::name_year_index(&caller.keys, &name, &b));
        store::set_name_year_index(conn, &case.row.id, name_year.as_deref())?;
    }
    Ok(())
}
