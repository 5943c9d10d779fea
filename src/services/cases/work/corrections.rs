//! Corrections to a case's details with the version the person saw, and erasure.

use crate::services::cases::access::Versioned;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::super::access::{Caller, CaseError, CaseInHand, change_case, change_case_because};
use super::as_recorded::recorded_draft;
use crate::authz::Action;
use crate::crypto::{KeyOwner, OwnerKind, SealedBlob};
use crate::domain::intake::{FieldProblem, IntakeDraft, ValidIntake, validate};
use crate::domain::reporting::CaseCategories;
use crate::domain::vocabulary::{Code, ErasureReason};
use crate::services::sealing::OwnerKey;
use crate::services::stats::tallies::Counted;
use crate::store::DbConn;
use crate::store::case_work::{self as store, CaseChanges, IncidentRow, PerpetratorRow, ProfileRow};

use super::*;

/// Corrections to a case: every field of the intake may be corrected, and only
/// the fields given change (`Some("")` clears an optional text). `version` is the
/// one the person saw; if someone saved since, nothing is written (409).
#[derive(Debug, Clone, Default)]
pub struct CaseEdit {
    pub version: i32,
    // The report.
    pub report_source: Option<String>,
    pub report_channel: Option<String>,
    pub reported_at: Option<DateTime<Utc>>,
    pub commune_code: Option<String>,
    pub immediate_danger: Option<bool>,
    // The survivor.
    pub full_name: Option<String>,
    pub sex: Option<String>,
    /// yyyy-mm-dd, or empty when not known (then the age group is needed).
    pub birth_date: Option<String>,
    pub age_group: Option<String>,
    pub phone: Option<String>,
    pub has_disability: Option<bool>,
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub guardian_name: Option<String>,
    pub guardian_phone: Option<String>,
    pub safe_contact: Option<String>,
    // The incident.
    /// yyyy-mm-dd, or empty.
    pub occurred_on: Option<String>,
    pub forms: Option<Vec<String>>,
    pub acts: Option<Vec<String>>,
    pub gbv_type: Option<String>,
    pub gbv_context: Option<String>,
    pub narrative: Option<String>,
    pub place: Option<String>,
    // The perpetrator.
    pub perpetrator_name: Option<String>,
    pub perpetrator_sex: Option<String>,
    pub relationship: Option<String>,
    pub perpetrator_commune: Option<String>,
}

pub fn edit_case(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    edit: &CaseEdit,
) -> Result<i32, CaseError> {
    change_case(conn, caller, case_id, Action::CaseUpdate, |conn, case| {
        expect_version(case, edit.version)?;
        let key = case_key(conn, caller, case)?;
        let recorded = recorded_draft(conn, case, &key)?;
        let draft = corrected(&recorded, edit)?;
        // Every intake rule again, on the whole case as it will be.
        let valid = validate(&draft, caller.now).map_err(CaseError::Invalid)?;
        let unknown = super::super::intake::commune_problems(conn, caller, &valid)?;
        if !unknown.is_empty() {
            return Err(CaseError::Invalid(unknown));
        }
        let profile = ProfileRow {
            sex: valid.survivor_sex.as_str().to_string(),
            age_group: valid.age_group.as_str().to_string(),
            is_child: valid.is_child,
            has_disability: draft.survivor.has_disability,
        };
        if valid.commune_code != case.row.commune_code {
            // Moving a case to another commune is recording it there: only for
            // someone who may take a report in that commune.
            let mut there = case.row.clone();
            there.commune_code.clone_from(&valid.commune_code);
            there.assigned_to = None;
            if !caller.may(Action::CaseCreate, &there, &profile) {
                return Err(CaseError::Forbidden);
            }
        }
        write_survivor(conn, caller, case, &key, &draft, &profile)?;
        let changes = CaseChanges {
            report_source: Some(valid.report_source.as_str()),
            report_channel: Some(valid.report_channel.as_str()),
            immediate_danger: Some(valid.immediate_danger),
            commune_code: Some(&valid.commune_code),
            reported_at: Some(valid.reported_at.naive_utc()),
            ..Default::default()
        };
        store::update_case(conn, &case.row.id, &changes)?;
        if valid.immediate_danger && !case.row.immediate_danger {
            super::risk::reassess_in_danger(conn, caller, &case.row.id, &key)?;
        }
        write_incident(conn, case, &key, &draft, &valid)?;
        let before = counted_as_recorded(case, &recorded);
        let categories = CaseCategories {
            age_group: &profile.age_group,
            sex: &profile.sex,
            forms: valid.forms.iter().map(|f| f.as_str()).collect(),
            gbv_type: valid.gbv_type.map(|t| t.as_str()),
            relationship: valid.relationship.as_str(),
            perpetrator_sex: valid.perpetrator_sex.as_str(),
        };
        let after = Counted::of(valid.reported_at.naive_utc(), &valid.commune_code, &categories);
        crate::services::stats::tallies::move_counted(conn, &before, &after)?;
        if !store::bump_version(conn, &case.row.id, edit.version, caller.now_naive())? {
            return Err(CaseError::Stale { record: Versioned::Case, current: case.row.version });
        }
        Ok(edit.version + 1)
    })
}

/// The recorded draft with the corrections laid over it; dates that cannot be
/// read are refused here, the other rules by the intake's validation.
fn corrected(recorded: &IntakeDraft, edit: &CaseEdit) -> Result<IntakeDraft, CaseError> {
    let mut d = recorded.clone();
    let mut unreadable = Vec::new();
    let mut date = |field: &'static str, text: &Option<String>, to: &mut Option<NaiveDate>| match text
        .as_deref()
        .map(str::trim)
    {
        None => {}
        Some("") => *to = None,
        Some(t) => match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            Ok(day) => *to = Some(day),
            Err(_) => unreadable.push(FieldProblem { field, message: "is not a date".into() }),
        },
    };
    date("survivor.birth_date", &edit.birth_date, &mut d.survivor.birth_date);
    date("incident.occurred_on", &edit.occurred_on, &mut d.incident.occurred_on);
    if !unreadable.is_empty() {
        return Err(CaseError::Invalid(unreadable));
    }
    let set = |to: &mut String, from: &Option<String>| {
        if let Some(v) = from {
            v.trim().clone_into(to);
        }
    };
    set(&mut d.report_source, &edit.report_source);
    set(&mut d.report_channel, &edit.report_channel);
    set(&mut d.commune_code, &edit.commune_code);
    if let Some(at) = edit.reported_at {
        d.reported_at = Some(at);
    }
    if let Some(danger) = edit.immediate_danger {
        d.immediate_danger = danger;
    }
    let s = &mut d.survivor;
    set(&mut s.full_name, &edit.full_name);
    set(&mut s.sex, &edit.sex);
    set(&mut s.age_group, &edit.age_group);
    set(&mut s.phone, &edit.phone);
    set(&mut s.id_number, &edit.id_number);
    set(&mut s.address, &edit.address);
    set(&mut s.guardian_name, &edit.guardian_name);
    set(&mut s.guardian_phone, &edit.guardian_phone);
    if let Some(text) = &edit.safe_contact {
        // A note keeps its line breaks; only its ends are trimmed.
        text.trim().clone_into(&mut s.safe_contact);
    }
    if let Some(disability) = edit.has_disability {
        s.has_disability = disability;
    }
    let i = &mut d.incident;
    if let Some(forms) = &edit.forms {
        i.forms.clone_from(forms);
    }
    if let Some(acts) = &edit.acts {
        i.acts.clone_from(acts);
    }
    set(&mut i.gbv_type, &edit.gbv_type);
    set(&mut i.gbv_context, &edit.gbv_context);
    set(&mut i.narrative, &edit.narrative);
    set(&mut i.place, &edit.place);
    let p = &mut d.perpetrator;
    set(&mut p.full_name, &edit.perpetrator_name);
    set(&mut p.sex, &edit.perpetrator_sex);
    set(&mut p.relationship, &edit.relationship);
    set(&mut p.commune_code, &edit.perpetrator_commune);
    Ok(d)
}

/// What the case was counted as when it was recorded (or last corrected).
fn counted_as_recorded(case: &CaseInHand, recorded: &IntakeDraft) -> Counted {
    let categories = CaseCategories {
        age_group: &case.profile.age_group,
        sex: &case.profile.sex,
        forms: recorded.incident.forms.iter().map(String::as_str).collect(),
        gbv_type: Some(recorded.incident.gbv_type.as_str()).filter(|t| !t.is_empty()),
        relationship: &recorded.perpetrator.relationship,
        perpetrator_sex: &recorded.perpetrator.sex,
    };
    Counted::of(case.row.reported_at, &case.row.commune_code, &categories)
}

/// The survivor's sealed fields, their blind indexes and her plain profile.
fn write_survivor(
    conn: &mut DbConn,
    caller: &Caller,
    case: &CaseInHand,
    key: &OwnerKey,
    draft: &IntakeDraft,
    profile: &ProfileRow,
) -> Result<(), CaseError> {
    let s = &draft.survivor;
    let identity = IdentityEdit {
        full_name: Some(s.full_name.clone()),
        birth_date: Some(s.birth_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()),
        phone: Some(s.phone.clone()),
        id_number: Some(s.id_number.clone()),
        address: Some(s.address.clone()),
        guardian_name: Some(s.guardian_name.clone()),
        guardian_phone: Some(s.guardian_phone.clone()),
        safe_contact: Some(s.safe_contact.clone()),
    };
    super::super::detail::apply_identity_edit(conn, caller, case, key, &identity)?;
    store::set_profile(conn, &case.row.id, profile)?;
    Ok(())
}

/// The incident, its codes and the perpetrator, as corrected.
fn write_incident(
    conn: &mut DbConn,
    case: &CaseInHand,
    key: &OwnerKey,
    draft: &IntakeDraft,
    valid: &ValidIntake,
) -> Result<(), CaseError> {
    let sealed = |table, column, text: &str| -> Result<Option<SealedBlob>, CaseError> {
        seal_text(key, table, column, case.id, Some(text))
    };
    let incident = IncidentRow {
        case_id: case.row.id.clone(),
        occurred_on: valid.occurred_on,
        gbv_type: valid.gbv_type.map(|t| t.as_str().to_string()),
        gbv_context: valid.gbv_context.map(|c| c.as_str().to_string()),
        narrative: sealed("incidents", "narrative", &draft.incident.narrative)?,
        place: sealed("incidents", "place", &draft.incident.place)?,
    };
    let codes: Vec<(&str, &str)> = valid
        .forms
        .iter()
        .map(|f| ("form", f.as_str()))
        .chain(valid.acts.iter().map(|a| ("act", a.as_str())))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let perpetrator = PerpetratorRow {
        case_id: case.row.id.clone(),
        full_name: sealed("perpetrators", "full_name", &draft.perpetrator.full_name)?,
        sex: valid.perpetrator_sex.as_str().to_string(),
        relationship: valid.relationship.as_str().to_string(),
        commune_code: valid.perpetrator_commune.clone(),
    };
    store::replace_incident(conn, &incident, &codes, &perpetrator)?;
    Ok(())
}

/// The survivor's sealed fields a correction writes: `Some("")` clears one.
#[derive(Debug, Clone, Default)]
pub(in crate::services::cases) struct IdentityEdit {
    pub full_name: Option<String>,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub guardian_name: Option<String>,
    pub guardian_phone: Option<String>,
    pub safe_contact: Option<String>,
}

/// Crypto-shredding by a supervisor (design §4): the case's data key and its
/// blind indexes go; the plain categories, and so the statistics, stay.
pub fn erase(conn: &mut DbConn, caller: &Caller, case_id: Uuid, reason: &str) -> Result<(), CaseError> {
    // Read before the work so the audit event can carry the code; an unknown code
    // is refused inside it, after the policies answered.
    let parsed = ErasureReason::parse(reason.trim());
    let code = parsed.map(ErasureReason::as_str);
    change_case_because(conn, caller, case_id, Action::CaseErase, code, |conn, case| {
        if parsed.is_none() {
            return Err(CaseError::invalid("reason", format!("choose one of: {}", ErasureReason::listed())));
        }
        let owner = KeyOwner::new(OwnerKind::Case, case.id);
        if !crate::store::keys::shred(conn, &owner, caller.now_naive())? {
            return Err(CaseError::AlreadyDone);
        }
        crate::store::cases::set_indexes(conn, &case.row.id, None, None, None)?;
        store::set_name_year_index(conn, &case.row.id, None)?;
        Ok(())
    })?;
    crate::services::erasure::forget_old_pages(conn);
    Ok(())
}
