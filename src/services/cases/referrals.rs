//! Referrals to registered service providers, behind the consent they need
//! (design §8): without it a referral is refused, unless a supervisor approved a
//! best-interest override for that purpose.

use crate::services::cases::access::Versioned;
use chrono::NaiveDate;
use uuid::Uuid;

use super::super::sealing::{OwnerKey, Revealed};
use super::access::{Caller, CaseError, CaseInHand, change_case};
use super::work::{case_key, seal_text};
use crate::authz::Action;
use crate::crypto::{FieldRef, KeyOwner, OwnerKind};
use crate::domain::age::age_on;
use crate::domain::closure::{ApprovalKind, ApprovalStatus};
use crate::domain::consent::{self, Consent, Subject};
use crate::domain::deadlines::vietnam;
use crate::domain::intake::MAX_NOTE_CHARS;
use crate::domain::referral::{ReferralStatus, step};
use crate::domain::vocabulary::{ConsentGiver, ConsentPurpose, ServiceType};
use crate::store::DbConn;
use crate::store::case_work as store;

/// The survivor as the consent rules see her: her age today when the birth date
/// is known (opened for this check only), her age group otherwise.
pub(super) fn subject_of(
    conn: &mut DbConn,
    caller: &Caller,
    case: &CaseInHand,
) -> Result<Subject, CaseError> {
    let age_group = case.age_group();
    let mut age = None;
    if age_group.is_child()
        && let Some(row) = crate::store::cases::survivor(conn, &case.row.id)?
        && let Some(blob) = &row.birth_date
        && let Revealed::Value(key) =
            OwnerKey::open(conn, &caller.keys, KeyOwner::new(OwnerKind::Case, case.id))?
    {
        let text = key.open_text(FieldRef::new("survivors", "birth_date", case.id), blob)?;
        if let Ok(birth) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            age = Some(age_on(birth, caller.now.with_timezone(&vietnam()).date_naive()));
        }
    }
    Ok(Subject { age_group, age })
}

/// Whether `purpose` may go ahead: the consent is complete, or a supervisor's
/// approved override covers it (its id is returned to be linked).
pub(crate) fn consent_or_override(
    conn: &mut DbConn,
    caller: &Caller,
    case: &CaseInHand,
    purpose: ConsentPurpose,
) -> Result<Option<String>, CaseError> {
    // A consent whose purpose or giver is unknown is an error, not skipped: a
    // skipped row would ask again for a consent the survivor already gave.
    let mut consents: Vec<Consent> = Vec::new();
    for row in store::consents_of(conn, &case.row.id)? {
        use crate::store::closed::read;
        consents.push(Consent {
            purpose: read(ConsentPurpose::parse, "consents", "purpose", &row.id, &row.purpose)?,
            giver: read(ConsentGiver::parse, "consents", "given_by", &row.id, &row.given_by)?,
            withdrawn: row.withdrawn_at.is_some(),
        });
    }
    let missing = consent::missing(subject_of(conn, caller, case)?, purpose, &consents);
    if missing.is_empty() {
        return Ok(None);
    }
    // An override covers one referral or placement: one not used yet.
    let used = store::overrides_in_use(conn, &case.row.id)?;
    let override_id = store::approvals_of(conn, &case.row.id)?.into_iter().find(|a| {
        case.profile.is_child
            && a.kind == ApprovalKind::ConsentOverride.as_str()
            && a.status == ApprovalStatus::Approved.as_str()
            && a.purpose.as_deref() == Some(purpose.as_str())
            && !used.contains(&a.id)
    });
    match override_id {
        Some(approval) => Ok(Some(approval.id)),
        None => Err(CaseError::ConsentMissing { purpose, missing }),
    }
}

fn check_note(note: Option<&str>) -> Result<(), CaseError> {
    crate::domain::intake::check_text("note", note.unwrap_or(""), MAX_NOTE_CHARS, false, true)
        .map_err(|problem| CaseError::Invalid(vec![problem]))
}

#[derive(Debug, Clone)]
pub struct ReferralRequest {
    pub provider_id: String,
    pub note: Option<String>,
}

pub fn refer(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    request: &ReferralRequest,
) -> Result<Uuid, CaseError> {
    change_case(conn, caller, case_id, Action::CaseRefer, |conn, case| {
        check_note(request.note.as_deref())?;
        if !case.status().is_open() {
            return Err(CaseError::invalid("case", "a closed case is not referred; reopen it first"));
        }
        let provider =
            store::provider(conn, request.provider_id.trim())?.filter(|p| p.active).ok_or_else(|| {
                CaseError::invalid("provider_id", "is not an active registered service provider")
            })?;
        let service = ServiceType::parse(&provider.service_type)
            .ok_or_else(|| CaseError::invalid("provider_id", "has an unknown service type"))?;
        let override_id = consent_or_override(conn, caller, case, ConsentPurpose::for_referral(service))?;
        let key = case_key(conn, caller, case)?;
        let id = Uuid::now_v7();
        let now = caller.now_naive();
        store::insert_referral(
            conn,
            &store::ReferralRow {
                id: id.to_string(),
                case_id: case.row.id.clone(),
                provider_id: provider.id,
                service_type: service.as_str().into(),
                status: ReferralStatus::Pending.as_str().into(),
                override_id,
                note: seal_text(&key, "referrals", "note", id, request.note.as_deref())?,
                created_by: caller.user_id(),
                created_at: now,
                updated_at: now,
                version: 1,
            },
        )?;
        Ok(id)
    })
}

#[derive(Debug, Clone)]
pub struct ReferralUpdate {
    pub status: String,
    pub version: i32,
    /// The outcome in words (sealed), replacing the note when given.
    pub note: Option<String>,
}

/// Moves a referral on (accepted, declined, completed, cancelled), with the
/// version the person saw.
pub fn update_referral(
    conn: &mut DbConn,
    caller: &Caller,
    referral_id: Uuid,
    update: &ReferralUpdate,
) -> Result<(ReferralStatus, i32), CaseError> {
    // Which case: a referral nobody may see is "not found" like any other.
    let Some(row) = store::referral(conn, &referral_id.to_string())? else {
        return Err(super::access::not_found(conn, caller, Action::CaseRefer, "referral", referral_id));
    };
    let case_id: Uuid = row.case_id.parse().map_err(|_| CaseError::NotFound)?;
    change_case(conn, caller, case_id, Action::CaseRefer, |conn, case| {
        let to = ReferralStatus::parse(update.status.trim()).ok_or_else(|| {
            let all = ReferralStatus::ALL.map(|s| s.as_str()).join(", ");
            CaseError::invalid("status", format!("choose one of: {all}"))
        })?;
        check_note(update.note.as_deref())?;
        let current = store::referral(conn, &referral_id.to_string())?.ok_or(CaseError::NotFound)?;
        let from = crate::store::closed::read(
            ReferralStatus::parse,
            "referrals",
            "status",
            &current.id,
            &current.status,
        )?;
        step(from, to)?;
        if current.version != update.version {
            return Err(CaseError::Stale { record: Versioned::Referral, current: current.version });
        }
        let key = case_key(conn, caller, case)?;
        let note = seal_text(&key, "referrals", "note", referral_id, update.note.as_deref())?;
        if !store::set_referral_status(
            conn,
            &current.id,
            update.version,
            to.as_str(),
            note.as_ref(),
            caller.now_naive(),
        )? {
            return Err(CaseError::Stale { record: Versioned::Referral, current: current.version });
        }
        Ok((to, update.version + 1))
    })
}

/// Asks for (a worker) or gives (a supervisor) a best-interest override of a
/// missing consent for `purpose`, with the reason (sealed).
pub fn override_consent(
    conn: &mut DbConn,
    caller: &Caller,
    case_id: Uuid,
    purpose: &str,
    reason: &str,
) -> Result<(Uuid, ApprovalStatus), CaseError> {
    let supervisor = caller.principal.role == crate::domain::role::Role::Supervisor;
    let action = if supervisor { Action::CaseOverrideConsent } else { Action::CaseRefer };
    change_case(conn, caller, case_id, action, |conn, case| {
        let purpose = ConsentPurpose::parse(purpose.trim()).ok_or_else(|| {
            let all = <ConsentPurpose as crate::domain::vocabulary::Code>::listed();
            CaseError::invalid("purpose", format!("choose one of: {all}"))
        })?;
        if let Err(problem) = crate::domain::intake::check_text("reason", reason, MAX_NOTE_CHARS, true, true)
        {
            return Err(CaseError::Invalid(vec![problem]));
        }
        // An adult's refusal or withdrawal of consent stands (design §8); the
        // policies refuse a supervisor the override on an adult's case too.
        if !case.profile.is_child {
            return Err(CaseError::OverrideOnlyForChildren);
        }
        let id = super::approvals::request(
            conn,
            caller,
            case,
            ApprovalKind::ConsentOverride,
            Some(purpose.as_str()),
            Some(reason),
        )?;
        if supervisor {
            store::decide_approval(
                conn,
                &id.to_string(),
                ApprovalStatus::Approved.as_str(),
                &caller.user_id().unwrap_or_default(),
                caller.now_naive(),
                None,
            )?;
            return Ok((id, ApprovalStatus::Approved));
        }
        Ok((id, ApprovalStatus::Requested))
    })
}
