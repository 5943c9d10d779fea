//! The forms of the case page: each posts here, the service does the work as the
//! signed-in caller, and the browser goes back to the case (303) — or, when the
//! work was refused, the case page comes back with what was typed and why.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use uuid::Uuid;

use super::form::FieldText;
use super::refusals::explain;
use super::show::{Outcome, erase_page, render_case};
use super::time::{parse_date, parse_time};
use super::{Posted, back_to_case, checked_form, field_text, placements, record_id, refusal_page, run};
use crate::domain::intake::FieldProblem;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::bridge::Member;
use crate::http::pages::render_error;
use crate::services::cases::access::{Caller, CaseError};
use crate::services::cases::approvals;
use crate::services::cases::referrals::{self, ReferralRequest, ReferralUpdate};
use crate::services::cases::work::{
    self as services, CaseEdit, ConsentRequest, MeasureRequest, NoteRequest, TransitionOutcome,
    TransitionRequest,
};
use crate::services::placements::handling;
use crate::services::placements::request as placement_request;
use crate::store::DbConn;

type Form = web::Form<Vec<(String, String)>>;

/// Where the work is done: the case, and the section of the page its form is in.
struct Target {
    id: Uuid,
    section: &'static str,
}

/// Does one piece of work from a form: checks the token, runs `work` (which names
/// what was done, for the notice), and goes back to the case; a refusal re-renders
/// the case with the form as typed.
async fn act(
    state: &AppState,
    member: Member,
    target: Target,
    fields: Form,
    work: impl FnOnce(&mut DbConn, &Caller, Uuid, &Posted) -> Result<&'static str, CaseError> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let posted = match checked_form(&member, fields) {
        Ok(posted) => posted,
        Err(refused) => return Ok(*refused),
    };
    let kept = Posted(posted.0.clone());
    let id = target.id;
    let done = run(state, &member, move |conn, who| work(conn, who, id, &posted)).await?;
    match done {
        Ok(done) => Ok(back_to_case(id, done, target.section)),
        Err(error) => refused(state, &member, target, kept, error).await,
    }
}

async fn refused(
    state: &AppState,
    member: &Member,
    target: Target,
    posted: Posted,
    error: CaseError,
) -> Result<HttpResponse, AppError> {
    let ctx = &member.ctx;
    let Some((status, message, problems)) = explain(ctx, &error) else { return refusal_page(member, error) };
    let errors = match &error {
        CaseError::Invalid(found) => found
            .iter()
            .map(|p| FieldText::new(placements::field_of(p.field), field_text(ctx, &p.message)))
            .collect(),
        _ => Vec::new(),
    };
    let consent_purpose = match &error {
        CaseError::ConsentMissing { purpose, .. } => Some(purpose.as_str().to_string()),
        _ => None,
    };
    // A missing consent is explained, with the override form, where it was asked.
    let outcome = Outcome {
        section: target.section,
        posted: Some(posted),
        errors,
        message,
        problems,
        status: Some(status),
        consent_purpose,
        notice: String::new(),
    };
    render_case(state, member, target.id, outcome).await
}

/// The case id of the path, or the 404 page.
fn case_id(member: &Member, text: &str) -> Result<Uuid, Box<HttpResponse>> {
    record_id(text).ok_or_else(|| Box::new(render_error(&member.ctx, StatusCode::NOT_FOUND)))
}

/// Runs `act` for the case in the path.
macro_rules! on_case {
    ($state:expr, $member:expr, $path:expr, $section:expr, $fields:expr, $work:expr) => {{
        let id = match case_id(&$member, &$path) {
            Ok(id) => id,
            Err(missing) => return Ok(*missing),
        };
        act(&$state, $member, Target { id, section: $section }, $fields, $work).await
    }};
}

/// A typed time, or the problem of `field` that it could not be read.
fn time_field(
    posted: &Posted,
    field: &'static str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, CaseError> {
    parse_time(&posted.one(field))
        .map_err(|()| CaseError::Invalid(vec![FieldProblem { field, message: "is not a date".into() }]))
}

fn version(posted: &Posted) -> i32 {
    posted.one("version").parse().unwrap_or(0)
}

/// POST /cases/{id}/edit — corrections to every field of the intake, with the
/// version the person read (someone who saved since makes it 409).
pub async fn edit(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    on_case!(state, member, path, "edit", fields, |conn, who, id, p: &Posted| {
        let edit = edit_of(p)?;
        services::edit_case(conn, who, id, &edit).map(|_| "saved")
    })
}

/// The correction form as sent: each field it carries is given (an empty one
/// clears). A date in dd/mm/yyyy (an old browser) is read as date fields send it.
fn edit_of(p: &Posted) -> Result<CaseEdit, CaseError> {
    let mut unreadable = Vec::new();
    let mut date = |field: &'static str| match parse_date(&p.given(field)?) {
        Ok(day) => Some(day.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()),
        Err(()) => {
            unreadable.push(FieldProblem { field, message: "is not a date".into() });
            None
        }
    };
    // Checkboxes send nothing when none is ticked: the form marks each list with
    // an empty field, so that an older form without them changes nothing.
    let ticked = |list: &str| p.given(list).map(|_| p.all(list));
    let birth_date = date("survivor.birth_date");
    let occurred_on = date("incident.occurred_on");
    let reported_at = match time_field(p, "reported_at") {
        Ok(at) => at,
        Err(CaseError::Invalid(problems)) => {
            unreadable.extend(problems);
            None
        }
        Err(other) => return Err(other),
    };
    if !unreadable.is_empty() {
        return Err(CaseError::Invalid(unreadable));
    }
    Ok(CaseEdit {
        version: version(p),
        report_source: p.given("report_source"),
        report_channel: p.given("report_channel"),
        reported_at,
        commune_code: p.given("commune_code"),
        immediate_danger: Some(p.has("immediate_danger", "1")),
        full_name: p.given("survivor.full_name"),
        sex: p.given("survivor.sex"),
        birth_date,
        age_group: p.given("survivor.age_group"),
        phone: p.given("survivor.phone"),
        has_disability: p.given("survivor.has_disability").map(|_| p.has("survivor.has_disability", "1")),
        id_number: p.given("survivor.id_number"),
        address: p.given("survivor.address"),
        guardian_name: p.given("survivor.guardian_name"),
        guardian_phone: p.given("survivor.guardian_phone"),
        safe_contact: p.given("survivor.safe_contact"),
        occurred_on,
        forms: ticked("incident.forms"),
        acts: ticked("incident.acts"),
        gbv_type: p.given("incident.gbv_type"),
        gbv_context: p.given("incident.gbv_context"),
        narrative: p.given("incident.narrative"),
        place: p.given("incident.place"),
        perpetrator_name: p.given("perpetrator.full_name"),
        perpetrator_sex: p.given("perpetrator.sex"),
        relationship: p.given("perpetrator.relationship"),
        perpetrator_commune: p.given("perpetrator.commune_code"),
    })
}

/// POST /cases/{id}/transition — a step of the lifecycle, or closing (which may
/// wait for a supervisor).
pub async fn transition(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    on_case!(state, member, path, "actions", fields, |conn, who, id, p: &Posted| {
        let request = TransitionRequest {
            to: p.one("to"),
            version: version(p),
            closure_reason: p.optional("closure_reason"),
            comment: p.optional("comment"),
            reason: p.optional("reason"),
        };
        Ok(match services::move_case(conn, who, id, &request)? {
            TransitionOutcome::Moved { status, .. } if !status.is_open() => "closed",
            TransitionOutcome::Moved { .. } if p.optional("reason").is_some() => "reopened",
            TransitionOutcome::Moved { .. } => "moved",
            TransitionOutcome::ApprovalRequested { .. } => "closure-requested",
        })
    })
}

/// POST /cases/{id}/approvals/{approval} — a supervisor decides a request from
/// the case page (`approve=1` or not), with a comment.
pub async fn decide(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    let (case, approval) = path.into_inner();
    let Some(approval) = record_id(&approval) else {
        return Ok(render_error(&member.ctx, StatusCode::NOT_FOUND));
    };
    on_case!(state, member, case, "approvals", fields, move |conn, who, id, p: &Posted| {
        let approve = p.one("approve") == "1";
        approvals::decide_for_case(conn, who, id, approval, approve, p.optional("comment").as_deref())
            .map(|_| if approve { "approved" } else { "rejected" })
    })
}

/// POST /cases/{id}/risk — the checklist gives the level; earlier ones are kept.
pub async fn risk(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    on_case!(state, member, path, "risk", fields, |conn, who, id, p: &Posted| {
        services::assess_risk(conn, who, id, &p.all("factors"), p.optional("note").as_deref()).map(|_| "risk")
    })
}

/// POST /cases/{id}/consents
pub async fn consent(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    on_case!(state, member, path, "consents", fields, |conn, who, id, p: &Posted| {
        let request = ConsentRequest {
            purpose: p.one("purpose"),
            given_by: p.one("given_by"),
            given_at: time_field(p, "given_at")?,
        };
        services::record_consent(conn, who, id, &request).map(|_| "consent")
    })
}

/// POST /cases/{id}/consents/{consent}/withdraw
pub async fn withdraw_consent(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    let (case, consent) = path.into_inner();
    let consent = record_id(&consent).unwrap_or_default();
    on_case!(state, member, case, "consents", fields, move |conn, who, id, _: &Posted| {
        services::withdraw_consent(conn, who, id, consent).map(|()| "withdrawn")
    })
}

/// POST /cases/{id}/overrides — a worker asks a supervisor for a best-interest
/// override of a missing consent; a supervisor gives it.
pub async fn override_consent(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    on_case!(state, member, path, "override", fields, |conn, who, id, p: &Posted| {
        let (_, status) = referrals::override_consent(conn, who, id, &p.one("purpose"), &p.one("reason"))?;
        Ok(if status == crate::domain::closure::ApprovalStatus::Approved {
            "override-given"
        } else {
            "override-requested"
        })
    })
}

/// POST /cases/{id}/measures — a protection measure with its dates.
pub async fn measure(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    on_case!(state, member, path, "measures", fields, |conn, who, id, p: &Posted| {
        let request = MeasureRequest {
            measure_type: p.one("measure_type"),
            ordered_by: p.optional("ordered_by"),
            starts_at: time_field(p, "starts_at")?,
            ends_at: time_field(p, "ends_at")?,
            details: p.optional("details"),
        };
        services::record_measure(conn, who, id, &request).map(|_| "measure")
    })
}

/// POST /cases/{id}/notes — a note, or a follow-up with its date.
pub async fn note(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    on_case!(state, member, path, "notes", fields, |conn, who, id, p: &Posted| {
        let request =
            NoteRequest { kind: p.one("kind"), body: p.one("body"), due_at: time_field(p, "due_at")? };
        services::add_note(conn, who, id, &request).map(|_| "note")
    })
}

/// POST /cases/{id}/follow-ups/{note}/done
pub async fn follow_up_done(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    let (case, note) = path.into_inner();
    let note = record_id(&note).unwrap_or_default();
    on_case!(state, member, case, "notes", fields, move |conn, who, id, _: &Posted| {
        services::complete_follow_up(conn, who, id, note).map(|()| "follow-up-done")
    })
}

/// POST /cases/{id}/referrals — refused without the consent it needs (then the
/// page offers the override).
pub async fn refer(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    on_case!(state, member, path, "referrals", fields, |conn, who, id, p: &Posted| {
        let request = ReferralRequest { provider_id: p.one("provider_id"), note: p.optional("note") };
        referrals::refer(conn, who, id, &request).map(|_| "referred")
    })
}

/// POST /cases/{id}/referrals/{referral} — the provider's answer or the outcome.
pub async fn update_referral(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    let (case, referral) = path.into_inner();
    let referral = record_id(&referral).unwrap_or_default();
    on_case!(state, member, case, "referrals", fields, move |conn, who, id, p: &Posted| {
        let update =
            ReferralUpdate { status: p.one("status"), version: version(p), note: p.optional("note") };
        let owner = crate::store::case_work::referral(conn, &referral.to_string())?.map(|r| r.case_id);
        if owner.as_deref() != Some(id.to_string().as_str()) {
            return Err(CaseError::NotFound);
        }
        referrals::update_referral(conn, who, referral, &update).map(|_| "referral")
    })
}

/// POST /cases/{id}/placements — asks a safe house for beds for her and the
/// children with her; refused without consent (then the page offers the
/// override), for a closed case, an inactive house or more people than beds.
pub async fn request_placement(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    on_case!(state, member, path, "placements", fields, |conn, who, id, p: &Posted| {
        let request = placements::request_of(p)?;
        placement_request::request_placement(conn, who, id, &request).map(|_| "placement-requested")
    })
}

/// POST /cases/{id}/placements/{placement}/cancel — the worker withdraws a request
/// or a hold, with the version she saw.
pub async fn cancel_placement(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    let (case, placement) = path.into_inner();
    let placement = record_id(&placement).unwrap_or_default();
    on_case!(state, member, case, "placements", fields, move |conn, who, id, p: &Posted| {
        let owner = crate::store::placements::placement(conn, &placement.to_string())?.map(|r| r.case_id);
        if owner.as_deref() != Some(id.to_string().as_str()) {
            return Err(CaseError::NotFound);
        }
        handling::cancel(conn, who, placement, version(p)).map(|_| "placement-cancelled")
    })
}

/// POST /cases/{id}/erase — crypto-shredding, with the reason code (supervisors).
pub async fn erase(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    fields: Form,
) -> Result<HttpResponse, AppError> {
    let id = match case_id(&member, &path) {
        Ok(id) => id,
        Err(missing) => return Ok(*missing),
    };
    let posted = match checked_form(&member, fields) {
        Ok(posted) => posted,
        Err(refused) => return Ok(*refused),
    };
    let reason = posted.one("reason");
    match run(&state, &member, move |conn, who| services::erase(conn, who, id, &reason)).await? {
        Ok(()) => Ok(back_to_case(id, "erased", "summary")),
        Err(CaseError::Invalid(found)) => {
            let errors =
                found.iter().map(|p| FieldText::new(p.field, field_text(&member.ctx, &p.message))).collect();
            erase_page(&state, &member, id, &posted, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => match explain(&member.ctx, &e) {
            Some(_) => Ok(back_to_case(id, "erased", "summary")),
            None => refusal_page(&member, e),
        },
    }
}
