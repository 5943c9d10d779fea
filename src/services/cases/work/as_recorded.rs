//! A recorded case read back as the intake draft it would be typed as today:
//! what a correction starts from, so that every intake rule can be checked again
//! on the whole case, not only on the fields that changed.

use chrono::NaiveDate;

use super::super::access::{CaseError, CaseInHand};
use crate::crypto::{FieldRef, SealedBlob};
use crate::domain::intake::{IncidentDraft, IntakeDraft, PerpetratorDraft, SurvivorDraft};
use crate::services::sealing::OwnerKey;
use crate::store::DbConn;
use crate::store::case_work as store;

/// The stored case as a draft, and the safe-contact note (kept with the survivor).
pub(super) fn recorded_draft(
    conn: &mut DbConn,
    case: &CaseInHand,
    key: &OwnerKey,
) -> Result<IntakeDraft, CaseError> {
    let id = case.row.id.as_str();
    let open = |table, column, blob: Option<&SealedBlob>| -> Result<String, CaseError> {
        Ok(match blob {
            Some(b) => key.open_text(FieldRef::new(table, column, case.id), b)?.to_string(),
            None => String::new(),
        })
    };
    let survivor = crate::store::cases::survivor(conn, id)?.ok_or(CaseError::NotFound)?;
    let incident = store::incident(conn, id)?;
    let codes = store::incident_codes(conn, id)?;
    let perpetrator = store::perpetrator(conn, id)?;
    let of_list = |list: &str| codes.iter().filter(|(l, _)| l == list).map(|(_, c)| c.clone()).collect();
    // A birth date that does not read is an error naming its place, never "no
    // birth date" (the age group would then be taken as typed, not as born).
    let birth = match survivor.birth_date.as_ref() {
        Some(blob) => {
            let text = open("survivors", "birth_date", Some(blob))?;
            let parse = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
            Some(crate::store::closed::read(parse, "survivors", "birth_date", id, &text)?)
        }
        None => None,
    };
    Ok(IntakeDraft {
        report_source: case.row.report_source.clone(),
        report_channel: case.row.report_channel.clone(),
        reported_at: Some(case.row.reported_at.and_utc()),
        commune_code: case.row.commune_code.clone(),
        immediate_danger: case.row.immediate_danger,
        risk_factors: Vec::new(),
        consents: Vec::new(),
        survivor: SurvivorDraft {
            full_name: open("survivors", "full_name", Some(&survivor.full_name))?,
            sex: case.profile.sex.clone(),
            birth_date: birth,
            age_group: case.profile.age_group.clone(),
            phone: open("survivors", "phone", survivor.phone.as_ref())?,
            has_disability: case.profile.has_disability,
            id_number: open("survivors", "id_number", survivor.id_number.as_ref())?,
            address: open("survivors", "address", survivor.address.as_ref())?,
            guardian_name: open("survivors", "guardian_name", survivor.guardian_name.as_ref())?,
            guardian_phone: open("survivors", "guardian_phone", survivor.guardian_phone.as_ref())?,
            safe_contact: open("survivors", "safe_contact", store::safe_contact(conn, id)?.as_ref())?,
        },
        incident: match incident {
            Some(i) => IncidentDraft {
                occurred_on: i.occurred_on,
                forms: of_list("form"),
                acts: of_list("act"),
                gbv_type: i.gbv_type.unwrap_or_default(),
                gbv_context: i.gbv_context.unwrap_or_default(),
                narrative: open("incidents", "narrative", i.narrative.as_ref())?,
                place: open("incidents", "place", i.place.as_ref())?,
            },
            None => IncidentDraft::default(),
        },
        perpetrator: match perpetrator {
            Some(p) => PerpetratorDraft {
                full_name: open("perpetrators", "full_name", p.full_name.as_ref())?,
                sex: p.sex,
                relationship: p.relationship,
                commune_code: p.commune_code.unwrap_or_default(),
            },
            None => PerpetratorDraft::default(),
        },
    })
}
