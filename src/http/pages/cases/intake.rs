//! The intake form (design §8, journey 1): what matters now first (danger tonight,
//! a child), then the report, the survivor (with the duplicate check), the
//! incident, the perpetrator and the safe-contact note. All steps are fieldsets of
//! one page, so it works without scripts on an old PC and on a phone.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::Utc;

use super::form::{FieldText, Fields, focus_first_error};
use super::list::case_line;
use super::time::{field_time, parse_date, parse_time};
use super::views::{DuplicateView, IntakePage, Section};
use super::{
    Posted, case_commune_names, checked_form, commune_name, commune_names, field_text, refusal_page, run,
};
use crate::domain::age::AgeGroup;
use crate::domain::intake::{
    FieldProblem, IncidentDraft, IntakeDraft, MAX_NARRATIVE_CHARS, MAX_NOTE_CHARS, PerpetratorDraft,
    SurvivorDraft, validate,
};
use crate::domain::role::Role;
use crate::domain::vocabulary::{
    Article3Act, FormOfViolence, GbvContext, GbvType, Relationship, ReportChannel, ReportSource, Sex,
};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::bridge::Member;
use crate::http::pages::{PageContext, render, render_error, see_other};
use crate::services::cases::access::CaseError;
use crate::services::cases::intake;
use crate::services::cases::listing::{self, DuplicateProbe};

/// Who takes reports: social workers in their communes, supervisors anywhere.
fn takes_reports(member: &Member) -> bool {
    matches!(member.session.user.role, Role::SocialWorker | Role::Supervisor)
}

/// The form, in steps, with what was typed and each field's problem.
async fn intake_page(
    state: &AppState,
    member: &Member,
    posted: &Posted,
    errors: Vec<FieldText>,
    duplicate: Option<DuplicateView>,
) -> Result<HttpResponse, AppError> {
    let ctx = &member.ctx;
    let names = commune_names(state).await?;
    let mut communes: Vec<(String, String)> = if member.session.user.communes.is_empty() {
        names.iter().map(|(code, name)| (code.clone(), name.clone())).collect()
    } else {
        member.session.user.communes.iter().map(|code| (code.clone(), commune_name(&names, code))).collect()
    };
    communes.sort_by_cached_key(|(_, name)| crate::http::pages::admin::vietnamese_sort_key(name));
    let mut all_communes: Vec<(String, String)> = names.into_iter().collect();
    all_communes.sort_by_cached_key(|(_, name)| crate::http::pages::admin::vietnamese_sort_key(name));
    let f = Fields { ctx, posted, errors: &errors, prefix: "" };
    let ages =
        AgeGroup::ALL.iter().map(|g| (g.as_str().to_string(), ctx.label("age-group", g.as_str()))).collect();
    let mut sections = vec![
        section(
            ctx,
            "now",
            vec![
                f.check("immediate_danger", ctx.t("intake-danger")),
                f.check("child_at_risk", ctx.t("intake-child")),
            ],
        ),
        section(
            ctx,
            "report",
            vec![
                f.code::<ReportSource>("report_source", ctx.t("intake-report-source"), "report-source", true)
                    .required(),
                f.code::<ReportChannel>(
                    "report_channel",
                    ctx.t("intake-report-channel"),
                    "report-channel",
                    true,
                )
                .required(),
                f.time("reported_at", ctx.t("intake-reported-at")).required(),
                f.select("commune_code", ctx.t("intake-commune"), communes, true).required(),
            ],
        ),
        section(
            ctx,
            "survivor",
            vec![
                f.text("survivor.full_name", ctx.t("intake-full-name")).required().max(200),
                f.code::<Sex>("survivor.sex", ctx.t("intake-sex"), "sex", false),
                f.date("survivor.birth_date", ctx.t("intake-birth-date")),
                f.select("survivor.age_group", ctx.t("intake-age-group"), ages, true)
                    .with_hint(ctx.t("intake-age-group-hint")),
                f.tel("survivor.phone", ctx.t("intake-phone")),
                f.check("survivor.has_disability", ctx.t("intake-disability")),
                f.text("survivor.id_number", ctx.t("intake-id-number")).max(20),
                f.text("survivor.address", ctx.t("intake-address")).max(500),
                f.text("survivor.guardian_name", ctx.t("intake-guardian-name")).max(200),
                f.tel("survivor.guardian_phone", ctx.t("intake-guardian-phone")),
            ],
        ),
        section(
            ctx,
            "incident",
            vec![
                f.date("incident.occurred_on", ctx.t("intake-occurred-on")),
                f.checks::<FormOfViolence>("incident.forms", ctx.t("intake-forms"), "form"),
                f.checks::<Article3Act>("incident.acts", ctx.t("intake-acts"), "act"),
                f.code::<GbvType>("incident.gbv_type", ctx.t("intake-gbv-type"), "gbv-type", true),
                f.code::<GbvContext>(
                    "incident.gbv_context",
                    ctx.t("intake-gbv-context"),
                    "gbv-context",
                    true,
                ),
                f.text("incident.place", ctx.t("intake-place")).max(500),
                f.area("incident.narrative", ctx.t("intake-narrative")).max(MAX_NARRATIVE_CHARS),
            ],
        ),
        section(
            ctx,
            "perpetrator",
            vec![
                f.text("perpetrator.full_name", ctx.t("intake-perpetrator-name")).max(200),
                f.code::<Sex>("perpetrator.sex", ctx.t("intake-sex"), "sex", true),
                f.code::<Relationship>(
                    "perpetrator.relationship",
                    ctx.t("intake-relationship"),
                    "relationship",
                    true,
                )
                .required(),
                f.select("perpetrator.commune_code", ctx.t("intake-perpetrator-commune"), all_communes, true),
            ],
        ),
        section(
            ctx,
            "safe-contact",
            vec![
                f.area("survivor.safe_contact", ctx.t("intake-safe-contact"))
                    .max(MAX_NOTE_CHARS)
                    .with_hint(ctx.t("intake-safe-contact-hint")),
            ],
        ),
    ];
    focus_first_error(sections.iter_mut().flat_map(|s| s.fields.iter_mut()));
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = IntakePage { ctx, title: ctx.t("page-intake"), sections, errors, duplicate };
    Ok(render(status, &page))
}

fn section(ctx: &PageContext, id: &'static str, fields: Vec<super::form::Field>) -> Section {
    Section {
        id,
        legend: ctx.t(&format!("intake-step-{id}")),
        hint: ctx.t(&format!("intake-step-{id}-hint")),
        fields,
    }
}

/// The message keys of the steps (chosen at run time).
pub const STEP_KEYS: [&str; 12] = [
    "intake-step-now",
    "intake-step-now-hint",
    "intake-step-report",
    "intake-step-report-hint",
    "intake-step-survivor",
    "intake-step-survivor-hint",
    "intake-step-incident",
    "intake-step-incident-hint",
    "intake-step-perpetrator",
    "intake-step-perpetrator-hint",
    "intake-step-safe-contact",
    "intake-step-safe-contact-hint",
];

/// GET /cases/new
pub async fn form(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, AppError> {
    if !takes_reports(&member) {
        return Ok(render_error(&member.ctx, StatusCode::FORBIDDEN));
    }
    let mut defaults = vec![
        ("reported_at".to_string(), field_time(Utc::now())),
        ("survivor.sex".to_string(), "female".to_string()),
    ];
    if let [only] = member.session.user.communes.as_slice() {
        defaults.push(("commune_code".into(), only.clone()));
    }
    intake_page(&state, &member, &Posted(defaults), Vec::new(), None).await
}

/// The draft as typed, and the problems of what could not even be read (dates).
fn draft_of(posted: &Posted) -> (IntakeDraft, Vec<FieldProblem>) {
    let mut unreadable = Vec::new();
    let mut date = |name: &'static str| {
        parse_date(&posted.one(name)).unwrap_or_else(|()| {
            unreadable.push(FieldProblem { field: name, message: "is not a date".into() });
            None
        })
    };
    let birth_date = date("survivor.birth_date");
    let occurred_on = date("incident.occurred_on");
    let reported_at = parse_time(&posted.one("reported_at")).unwrap_or_else(|()| {
        unreadable.push(FieldProblem { field: "reported_at", message: "is not a date".into() });
        None
    });
    let draft = IntakeDraft {
        report_source: posted.one("report_source"),
        report_channel: posted.one("report_channel"),
        reported_at,
        commune_code: posted.one("commune_code"),
        immediate_danger: posted.has("immediate_danger", "1"),
        // A child in danger tonight is the first item of the risk checklist.
        risk_factors: if posted.has("child_at_risk", "1") {
            vec!["children_at_risk".into()]
        } else {
            Vec::new()
        },
        survivor: SurvivorDraft {
            full_name: posted.one("survivor.full_name"),
            sex: posted.one("survivor.sex"),
            birth_date,
            age_group: posted.one("survivor.age_group"),
            phone: posted.one("survivor.phone"),
            has_disability: posted.has("survivor.has_disability", "1"),
            id_number: posted.one("survivor.id_number"),
            address: posted.one("survivor.address"),
            guardian_name: posted.one("survivor.guardian_name"),
            guardian_phone: posted.one("survivor.guardian_phone"),
            safe_contact: posted.one("survivor.safe_contact"),
        },
        incident: IncidentDraft {
            occurred_on,
            forms: posted.all("incident.forms"),
            acts: posted.all("incident.acts"),
            gbv_type: posted.one("incident.gbv_type"),
            gbv_context: posted.one("incident.gbv_context"),
            narrative: posted.one("incident.narrative"),
            place: posted.one("incident.place"),
        },
        perpetrator: PerpetratorDraft {
            full_name: posted.one("perpetrator.full_name"),
            sex: posted.one("perpetrator.sex"),
            relationship: posted.one("perpetrator.relationship"),
            commune_code: posted.one("perpetrator.commune_code"),
        },
    };
    (draft, unreadable)
}

fn texts(ctx: &PageContext, problems: &[FieldProblem]) -> Vec<FieldText> {
    let mut texts: Vec<FieldText> = Vec::new();
    for problem in problems {
        // One message a field: the first found.
        if !texts.iter().any(|t| t.field == problem.field) {
            texts.push(FieldText::new(problem.field, field_text(ctx, &problem.message)));
        }
    }
    texts
}

/// POST /cases/new — saves the intake, or (`intent=check`) runs the duplicate check.
pub async fn submit(
    state: web::Data<AppState>,
    member: Member,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    if !takes_reports(&member) {
        return Ok(render_error(&member.ctx, StatusCode::FORBIDDEN));
    }
    let posted = match checked_form(&member, fields) {
        Ok(posted) => posted,
        Err(refused) => return Ok(*refused),
    };
    let (draft, unreadable) = draft_of(&posted);
    if posted.one("intent") == "check" {
        let duplicate = check_duplicates(&state, &member, &draft).await?;
        return intake_page(&state, &member, &posted, Vec::new(), Some(duplicate)).await;
    }
    if !unreadable.is_empty() {
        // Nothing is saved; every other problem is named too.
        let mut problems = unreadable;
        problems.extend(validate(&draft, Utc::now()).err().unwrap_or_default());
        return intake_page(&state, &member, &posted, texts(&member.ctx, &problems), None).await;
    }
    let saved = run(&state, &member, move |conn, who| intake::record_intake(conn, who, &draft)).await?;
    match saved {
        Ok(recorded) => Ok(see_other(&format!("/cases/{}?done=created", recorded.id))),
        Err(CaseError::Invalid(problems)) => {
            intake_page(&state, &member, &posted, texts(&member.ctx, &problems), None).await
        }
        Err(CaseError::Forbidden) => {
            let not_yours = FieldText::new("commune_code", member.ctx.t("intake-commune-not-yours"));
            intake_page(&state, &member, &posted, vec![not_yours], None).await
        }
        Err(e) => refusal_page(&member, e),
    }
}

/// "Người này có thể đã có hồ sơ": by name and birth year, phone or ID number; only
/// cases the person may open are named.
async fn check_duplicates(
    state: &AppState,
    member: &Member,
    draft: &IntakeDraft,
) -> Result<DuplicateView, AppError> {
    let ctx = &member.ctx;
    if draft.commune_code.is_empty() || draft.survivor.full_name.is_empty() {
        return Ok(DuplicateView {
            found: false,
            cases: Vec::new(),
            missing: ctx.t("intake-duplicate-missing"),
        });
    }
    let given = |text: &str| Some(text.to_string()).filter(|t| !t.is_empty());
    let probe = DuplicateProbe {
        commune_code: draft.commune_code.clone(),
        full_name: draft.survivor.full_name.clone(),
        birth_date: draft.survivor.birth_date,
        phone: given(&draft.survivor.phone),
        id_number: given(&draft.survivor.id_number),
    };
    let check = match run(state, member, move |conn, who| listing::duplicates(conn, who, &probe)).await? {
        Ok(check) => check,
        Err(CaseError::Forbidden) => {
            return Ok(DuplicateView {
                found: false,
                cases: Vec::new(),
                missing: ctx.t("intake-commune-not-yours"),
            });
        }
        Err(e) => return Err(e.into()),
    };
    let names = case_commune_names(state, ctx).await?;
    Ok(DuplicateView {
        found: check.may_already_have_case,
        cases: check.visible.iter().map(|c| case_line(ctx, &names, c)).collect(),
        missing: String::new(),
    })
}
