//! Intake (design §8): a report becomes a case with its survivor, incident and
//! perpetrator, in one transaction with its audit event, after every rule of
//! `domain::intake` held and the commune was found in force on the report's day.

use diesel::Connection;

use super::access::{Caller, CaseError};
use super::{NewCaseInput, RecordedCase, ReportDetails, SurvivorIdentity, SurvivorProfile};
use crate::audit::{Event, Outcome};
use crate::authz::{Action, CaseFacts, Resource};
use crate::crypto::FieldRef;
use crate::domain::deadlines::vietnam;
use crate::domain::intake::{FieldProblem, IntakeDraft, ValidIntake, validate};
use crate::domain::role::Role;
use crate::store::DbConn;
use crate::store::case_work::{self as store, IncidentRow, PerpetratorRow};

/// Checks and records an intake. Problems come back all at once, named by field;
/// nothing is written unless every rule holds.
pub fn record_intake(
    conn: &mut DbConn,
    caller: &Caller,
    draft: &IntakeDraft,
) -> Result<RecordedCase, CaseError> {
    let valid = validate(draft, caller.now).map_err(CaseError::Invalid)?;
    let unknown = commune_problems(conn, caller, &valid)?;
    if !unknown.is_empty() {
        return Err(CaseError::Invalid(unknown));
    }
    authorize_create(conn, caller, &valid)?;

    let input = new_case_input(caller, draft, &valid);
    let scope = super::counter_scope(&caller.principal.province, &input);
    crate::store::cases::ensure_counter(conn, &scope)?;
    let now = caller.now_naive();
    conn.transaction(|conn| {
        let (recorded, key) = super::record_case_in(conn, &caller.keys, &scope, &input, now)?;
        let id = recorded.id;
        let case_id = id.to_string();
        let sealed = |table, column, text: &str| {
            let text = text.trim();
            if text.is_empty() {
                Ok(None)
            } else {
                key.seal(FieldRef::new(table, column, id), text).map(Some)
            }
        };
        let incident = IncidentRow {
            case_id: case_id.clone(),
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
            case_id: case_id.clone(),
            full_name: sealed("perpetrators", "full_name", &draft.perpetrator.full_name)?,
            sex: valid.perpetrator_sex.as_str().to_string(),
            relationship: valid.relationship.as_str().to_string(),
            commune_code: valid.perpetrator_commune.clone(),
        };
        store::insert_incident(conn, &incident, &codes, &perpetrator)?;
        crate::services::stats::tallies::count_intake(conn, &input, &valid)?;
        if let Some(safe_contact) = sealed("survivors", "safe_contact", &draft.survivor.safe_contact)? {
            store::set_safe_contact(conn, &case_id, Some(&safe_contact))?;
        }
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, "case.create", Outcome::Success, now).on("case", id),
        )?;
        // What is known at intake is the first assessment, and the consents given
        // now are recorded: in the same transaction, audited as the case page's
        // forms audit them.
        let mut work = Vec::new();
        if !valid.risk_factors.is_empty() {
            super::work::write_assessment(conn, caller, &case_id, &key, &valid.risk_factors, None)?;
            work.push(Action::CaseUpdate);
        }
        for (purpose, giver) in &valid.consents {
            super::work::write_consent(conn, caller, &case_id, *purpose, *giver, caller.now)?;
            work.push(Action::CaseRecordConsent);
        }
        for action in work {
            crate::store::audit::append(
                conn,
                &Event::new(&caller.actor, action.as_str(), Outcome::Success, now).on("case", id),
            )?;
        }
        super::clock::refresh(conn, &case_id, &caller.holidays)?;
        // A match the recorder may not see becomes a possible duplicate for a
        // supervisor, in this transaction; nothing of it shows in her answer.
        super::duplicates::flag_at_intake(conn, caller, &case_id, &input.identity)?;
        Ok(recorded)
    })
}

/// The communes of an intake (or a corrected one) checked against the units in
/// force on the day of the report.
pub(super) fn commune_problems(
    conn: &mut DbConn,
    caller: &Caller,
    valid: &ValidIntake,
) -> Result<Vec<FieldProblem>, CaseError> {
    let reported_day = valid.reported_at.with_timezone(&vietnam()).date_naive();
    let mut unknown = Vec::new();
    if crate::store::admin_units::commune_on(conn, &valid.commune_code, reported_day)?.is_none() {
        unknown.push(FieldProblem {
            field: "commune_code",
            message: "is not a commune in force on the day of the report".into(),
        });
    } else if crate::store::admin_units::province_of(conn, &valid.commune_code)?.as_deref()
        != Some(caller.principal.province.as_str())
    {
        unknown.push(FieldProblem { field: "commune_code", message: "is not in this province".into() });
    }
    if let Some(code) = &valid.perpetrator_commune
        && crate::store::admin_units::commune_on(conn, code, reported_day)?.is_none()
    {
        unknown.push(FieldProblem {
            field: "perpetrator.commune_code",
            message: "is not a known commune".into(),
        });
    }
    Ok(unknown)
}

/// May this user open a case in this commune? Asked of the policies with the case
/// as it would be; a refusal is an audit event.
fn authorize_create(conn: &mut DbConn, caller: &Caller, valid: &ValidIntake) -> Result<(), CaseError> {
    let resource = Resource::Case(CaseFacts {
        id: String::new(),
        commune: valid.commune_code.clone(),
        province: caller.principal.province.clone(),
        assigned_to: None,
        child: valid.is_child,
        status: "intake".into(),
    });
    // Consents given at intake are recorded by the one who may record them on
    // the case.
    let mut actions = vec![Action::CaseCreate];
    if !valid.consents.is_empty() {
        actions.push(Action::CaseRecordConsent);
    }
    let Some(refused) =
        actions.into_iter().find(|a| !caller.policies.is_allowed(&caller.principal, *a, &resource))
    else {
        return Ok(());
    };
    crate::store::audit::append(
        conn,
        &Event::new(&caller.actor, refused.as_str(), Outcome::Denied, caller.now_naive())
            .because("forbidden"),
    )?;
    Err(CaseError::Forbidden)
}

fn new_case_input(caller: &Caller, draft: &IntakeDraft, valid: &ValidIntake) -> NewCaseInput {
    let s = &draft.survivor;
    let given = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
    // A social worker who takes the report holds the case.
    let holder = (caller.principal.role == Role::SocialWorker).then(|| caller.principal.id.clone());
    NewCaseInput {
        commune_code: valid.commune_code.clone(),
        reported_at: valid.reported_at.naive_utc(),
        identity: SurvivorIdentity {
            full_name: s.full_name.trim().to_string(),
            other_names: None,
            birth_date: s.birth_date.map(|d| d.format("%Y-%m-%d").to_string()),
            phone: given(&s.phone),
            address: given(&s.address),
            id_number: given(&s.id_number),
            guardian_name: given(&s.guardian_name),
            guardian_phone: given(&s.guardian_phone),
        },
        profile: SurvivorProfile {
            sex: valid.survivor_sex.as_str().to_string(),
            age_group: valid.age_group.as_str().to_string(),
            is_child: valid.is_child,
            has_disability: s.has_disability,
        },
        report: ReportDetails {
            source: valid.report_source.as_str().to_string(),
            channel: valid.report_channel.as_str().to_string(),
            immediate_danger: valid.immediate_danger,
            assigned_to: holder,
            created_by: caller.user_id(),
        },
    }
}
