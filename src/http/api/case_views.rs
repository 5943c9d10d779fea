//! The JSON shapes of cases, as the API returns them (documented in OpenAPI).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::case_clock::{Deadline, DeadlineState, state_of};
use crate::services::cases::detail::CaseDetail;
use crate::services::cases::listing::CaseSummary;

#[derive(Serialize, ToSchema)]
pub struct DeadlineJson {
    /// urgent_intervention, support_plan, decision, no_contact_order_ends, follow_up
    pub kind: &'static str,
    pub due: DateTime<Utc>,
    /// overdue, due_soon, open, met
    pub state: &'static str,
}

impl DeadlineJson {
    pub fn of(deadline: &Deadline, state: DeadlineState) -> Self {
        DeadlineJson { kind: deadline.kind.as_str(), due: deadline.due, state: state.as_str() }
    }
}

/// A case in a list: no personal data.
#[derive(Serialize, ToSchema)]
pub struct CaseSummaryJson {
    pub id: String,
    pub case_number: String,
    pub commune_code: String,
    pub status: String,
    pub risk_level: Option<String>,
    pub age_group: String,
    pub sex: String,
    pub is_child: bool,
    pub immediate_danger: bool,
    pub reported_at: DateTime<Utc>,
    pub version: i32,
    pub overdue: usize,
    pub next_deadline: Option<DeadlineJson>,
}

impl From<&CaseSummary> for CaseSummaryJson {
    fn from(c: &CaseSummary) -> Self {
        CaseSummaryJson {
            id: c.id.clone(),
            case_number: c.case_number.clone(),
            commune_code: c.commune_code.clone(),
            status: c.status.clone(),
            risk_level: c.risk_level.clone(),
            age_group: c.age_group.clone(),
            sex: c.sex.clone(),
            is_child: c.is_child,
            immediate_danger: c.immediate_danger,
            reported_at: c.reported_at,
            version: c.version,
            overdue: c.overdue,
            next_deadline: c.next_deadline.map(|(d, s)| DeadlineJson::of(&d, s)),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SurvivorJson {
    pub full_name: String,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub id_number: Option<String>,
    pub guardian_name: Option<String>,
    pub guardian_phone: Option<String>,
    pub sex: String,
    pub age_group: String,
    pub is_child: bool,
    pub has_disability: bool,
}

#[derive(Serialize, ToSchema)]
pub struct IncidentJson {
    pub occurred_on: Option<NaiveDate>,
    pub forms: Vec<String>,
    pub acts: Vec<String>,
    pub gbv_type: Option<String>,
    pub gbv_context: Option<String>,
    pub narrative: Option<String>,
    pub place: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PerpetratorJson {
    pub full_name: Option<String>,
    pub sex: String,
    pub relationship: String,
    pub commune_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RiskJson {
    pub id: String,
    pub level: String,
    pub factors: Vec<String>,
    pub assessed_at: DateTime<Utc>,
    pub note: Option<String>,
    /// The display name of the account that recorded it.
    pub recorded_by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ConsentJson {
    pub id: String,
    pub purpose: String,
    pub given_by: String,
    pub given_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// The display name of the account that recorded it.
    pub recorded_by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MeasureJson {
    pub id: String,
    pub measure_type: String,
    pub ordered_by: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub details: Option<String>,
    /// The display name of the account that recorded it.
    pub recorded_by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReferralJson {
    pub id: String,
    pub provider_name: String,
    pub service_type: String,
    pub status: String,
    pub by_override: bool,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Serialize, ToSchema)]
pub struct NoteJson {
    pub id: String,
    pub kind: String,
    pub body: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The display name of the account that recorded it.
    pub recorded_by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApprovalJson {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub purpose: Option<String>,
    pub closure_reason: Option<String>,
    pub reason: Option<String>,
    pub comment: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct TransitionJson {
    pub from: String,
    pub to: String,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
    /// Why a closed case was reopened, as the worker wrote it.
    pub comment: Option<String>,
    /// The display name of the account that recorded it.
    pub recorded_by: Option<String>,
}

/// A whole case. Reading it is an audited read of personal data.
#[derive(Serialize, ToSchema)]
pub struct CaseJson {
    pub id: String,
    pub case_number: String,
    pub commune_code: String,
    pub status: String,
    pub version: i32,
    pub reported_at: DateTime<Utc>,
    pub report_source: String,
    pub report_channel: String,
    pub immediate_danger: bool,
    pub risk_level: Option<String>,
    pub closure_reason: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    /// True once the case was erased: its personal data is gone for good.
    pub erased: bool,
    pub survivor: Option<SurvivorJson>,
    pub safe_contact: Option<String>,
    pub incident: Option<IncidentJson>,
    pub perpetrator: Option<PerpetratorJson>,
    pub risk_assessments: Vec<RiskJson>,
    pub consents: Vec<ConsentJson>,
    pub measures: Vec<MeasureJson>,
    pub referrals: Vec<ReferralJson>,
    pub notes: Vec<NoteJson>,
    pub approvals: Vec<ApprovalJson>,
    pub timeline: Vec<TransitionJson>,
    pub deadlines: Vec<DeadlineJson>,
    /// The steps the lifecycle allows now.
    pub next_steps: Vec<&'static str>,
    /// The actions the reader may take on this case.
    pub allowed_actions: Vec<&'static str>,
    /// Cases a supervisor linked to this one as the same survivor's (issue 17),
    /// those the reader may open.
    pub related_cases: Vec<CaseSummaryJson>,
}

impl CaseJson {
    pub fn of(d: CaseDetail, now: DateTime<Utc>) -> Self {
        let c = &d.case;
        let p = &d.profile;
        let authors = d.authors.clone();
        let by = |id: Option<String>| id.and_then(|id| authors.get(&id).cloned());
        CaseJson {
            id: c.id.clone(),
            case_number: c.case_number.clone(),
            commune_code: c.commune_code.clone(),
            status: c.status.clone(),
            version: c.version,
            reported_at: c.reported_at.and_utc(),
            report_source: c.report_source.clone(),
            report_channel: c.report_channel.clone(),
            immediate_danger: c.immediate_danger,
            risk_level: c.risk_level.clone(),
            closure_reason: c.closure_reason.clone(),
            closed_at: c.closed_at.map(|t| t.and_utc()),
            erased: d.erased,
            survivor: d.survivor.map(|s| SurvivorJson {
                full_name: s.full_name,
                birth_date: s.birth_date,
                phone: s.phone,
                address: s.address,
                id_number: s.id_number,
                guardian_name: s.guardian_name,
                guardian_phone: s.guardian_phone,
                sex: p.sex.clone(),
                age_group: p.age_group.clone(),
                is_child: p.is_child,
                has_disability: p.has_disability,
            }),
            safe_contact: d.safe_contact,
            incident: d.incident.map(|i| IncidentJson {
                occurred_on: i.occurred_on,
                forms: i.forms,
                acts: i.acts,
                gbv_type: i.gbv_type,
                gbv_context: i.gbv_context,
                narrative: i.narrative,
                place: i.place,
            }),
            perpetrator: d.perpetrator.map(|q| PerpetratorJson {
                full_name: q.full_name,
                sex: q.sex,
                relationship: q.relationship,
                commune_code: q.commune_code,
            }),
            risk_assessments: d
                .risks
                .into_iter()
                .map(|r| RiskJson {
                    id: r.id,
                    level: r.level,
                    factors: r.factors,
                    assessed_at: r.assessed_at,
                    note: r.note,
                    recorded_by: by(r.assessed_by),
                })
                .collect(),
            consents: d
                .consents
                .into_iter()
                .map(|c| ConsentJson {
                    id: c.id,
                    purpose: c.purpose,
                    given_by: c.given_by,
                    given_at: c.given_at.and_utc(),
                    withdrawn_at: c.withdrawn_at.map(|t| t.and_utc()),
                    recorded_by: by(c.recorded_by),
                })
                .collect(),
            measures: d
                .measures
                .into_iter()
                .map(|m| MeasureJson {
                    id: m.id,
                    measure_type: m.measure_type,
                    ordered_by: m.ordered_by,
                    starts_at: m.starts_at,
                    ends_at: m.ends_at,
                    details: m.details,
                    recorded_by: by(m.recorded_by),
                })
                .collect(),
            referrals: d
                .referrals
                .into_iter()
                .map(|r| ReferralJson {
                    id: r.id,
                    provider_name: r.provider_name,
                    service_type: r.service_type,
                    status: r.status,
                    by_override: r.by_override,
                    note: r.note,
                    created_at: r.created_at,
                    version: r.version,
                })
                .collect(),
            notes: d
                .notes
                .into_iter()
                .map(|n| NoteJson {
                    id: n.id,
                    kind: n.kind,
                    body: n.body,
                    due_at: n.due_at,
                    done_at: n.done_at,
                    created_at: n.created_at,
                    recorded_by: by(n.author_id),
                })
                .collect(),
            approvals: d
                .approvals
                .into_iter()
                .map(|a| ApprovalJson {
                    id: a.id,
                    kind: a.kind,
                    status: a.status,
                    purpose: a.purpose,
                    closure_reason: a.closure_reason,
                    reason: a.reason,
                    comment: a.comment,
                    requested_at: a.requested_at,
                    decided_at: a.decided_at,
                })
                .collect(),
            timeline: d
                .transitions
                .into_iter()
                .map(|t| TransitionJson {
                    from: t.from_status,
                    to: t.to_status,
                    at: t.at,
                    reason: t.reason,
                    comment: t.comment,
                    recorded_by: by(t.actor_id),
                })
                .collect(),
            deadlines: d.deadlines.iter().map(|dl| DeadlineJson::of(dl, state_of(dl, now))).collect(),
            next_steps: d.next_steps.iter().map(|s| s.as_str()).collect(),
            allowed_actions: d.allowed.iter().map(|a| a.as_str()).collect(),
            related_cases: Vec::new(),
        }
    }
}
