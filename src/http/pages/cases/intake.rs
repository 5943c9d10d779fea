//! The intake in steps (design §8, journey 1): the person and the report (what
//! matters now first, the duplicate check on the way out), the incident, the
//! perpetrator, safety and consent, and a review. Every step is a post of the
//! whole form (the other steps' fieldsets are `hidden`), so it works without
//! scripts, and nothing typed is lost going back, on a problem or from the review.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::Utc;

use super::form::{Field, FieldText, Fields, focus_first_error};
use super::list::case_line;
use super::time::{field_time, parse_date, parse_time};
use super::views::{DuplicateView, IntakePage, IntakeStepView, ReviewGroup, Row, Section};
use super::{
    Posted, case_commune_names, checked_form, commune_name, commune_names, field_text, refusal_page, run,
};
use crate::domain::age::AgeGroup;
use crate::domain::intake::{
    ConsentDraft, FieldProblem, IncidentDraft, IntakeDraft, IntakeStep, MAX_NARRATIVE_CHARS, MAX_NOTE_CHARS,
    PerpetratorDraft, SurvivorDraft, survivor_is_child, validate,
};
use crate::domain::risk::RiskFactor;
use crate::domain::role::Role;
use crate::domain::vocabulary::{
    Article3Act, ConsentGiver, ConsentPurpose, FormOfViolence, GbvContext, GbvType, Relationship,
    ReportChannel, ReportSource, Sex,
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

/// The two questions of what matters now are asked first (step 1); the risk
/// checklist of step 4 holds the rest.
const ASKED_FIRST: [RiskFactor; 2] = [RiskFactor::ImmediateDanger, RiskFactor::ChildrenAtRisk];

/// What a step page shows besides the form.
#[derive(Default)]
struct Shown {
    /// Every problem found (each field shows its own; the summary those of the step).
    problems: Vec<FieldProblem>,
    duplicate: Option<DuplicateView>,
    passed_check: String,
}

/// The form at `step`, with what was typed.
async fn intake_page(
    state: &AppState,
    member: &Member,
    posted: &Posted,
    step: IntakeStep,
    shown: Shown,
) -> Result<HttpResponse, AppError> {
    let ctx = &member.ctx;
    let names = commune_names(state).await?;
    let mut communes: Vec<(String, String)> = if member.session.user.communes.is_empty() {
        names.iter().map(|(code, name)| (code.clone(), name.clone())).collect()
    } else {
        member.session.user.communes.iter().map(|code| (code.clone(), commune_name(&names, code))).collect()
    };
    communes.sort_by_cached_key(|(_, name)| crate::http::pages::admin::vietnamese_sort_key(name));
    let mut all_communes: Vec<(String, String)> =
        names.iter().map(|(code, name)| (code.clone(), name.clone())).collect();
    all_communes.sort_by_cached_key(|(_, name)| crate::http::pages::admin::vietnamese_sort_key(name));
    let all_texts = texts(ctx, &shown.problems);
    let f = Fields { ctx, posted, errors: &all_texts, prefix: "" };
    let ages =
        AgeGroup::ALL.iter().map(|g| (g.as_str().to_string(), ctx.label("age-group", g.as_str()))).collect();
    let factors = RiskFactor::ALL
        .iter()
        .filter(|r| !ASKED_FIRST.contains(r))
        .map(|r| (r.as_str().to_string(), ctx.label("risk-factor", r.as_str())))
        .collect();
    let person = vec![
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
                    .required()
                    .half(),
                f.code::<ReportChannel>(
                    "report_channel",
                    ctx.t("intake-report-channel"),
                    "report-channel",
                    true,
                )
                .required()
                .half(),
                f.time("reported_at", ctx.t("intake-reported-at")).required().bare(),
                f.select("commune_code", ctx.t("intake-commune"), communes, true).required(),
            ],
        ),
        section(
            ctx,
            "survivor",
            vec![
                f.text("survivor.full_name", ctx.t("intake-full-name")).required().max(200),
                f.date("survivor.birth_date", ctx.t("intake-birth-date")).bare().half(),
                f.select("survivor.age_group", ctx.t("intake-age-group"), ages, true).half(),
                f.tel("survivor.phone", ctx.t("intake-phone")),
            ],
        ),
    ];
    let mut more = vec![
        f.code::<Sex>("survivor.sex", ctx.t("intake-sex"), "sex", false),
        f.check("survivor.has_disability", ctx.t("intake-disability")),
        f.text("survivor.id_number", ctx.t("intake-id-number")).max(20),
        f.text("survivor.address", ctx.t("intake-address")).max(500),
    ];
    let mut guardian = vec![
        f.text("survivor.guardian_name", ctx.t("intake-guardian-name")).max(200),
        f.tel("survivor.guardian_phone", ctx.t("intake-guardian-phone")),
    ];
    let incident = vec![section(
        ctx,
        "incident",
        vec![
            f.date("incident.occurred_on", ctx.t("intake-occurred-on")).bare(),
            f.checks::<FormOfViolence>("incident.forms", ctx.t("intake-forms"), "form"),
            f.checks::<Article3Act>("incident.acts", ctx.t("intake-acts"), "act").folded(),
            f.code::<GbvType>("incident.gbv_type", ctx.t("intake-gbv-type"), "gbv-type", true).half(),
            f.code::<GbvContext>("incident.gbv_context", ctx.t("intake-gbv-context"), "gbv-context", true)
                .half(),
            f.text("incident.place", ctx.t("intake-place")).max(500),
            f.area("incident.narrative", ctx.t("intake-narrative")).max(MAX_NARRATIVE_CHARS),
        ],
    )];
    let perpetrator = vec![section(
        ctx,
        "perpetrator",
        vec![
            f.code::<Relationship>(
                "perpetrator.relationship",
                ctx.t("intake-relationship"),
                "relationship",
                true,
            )
            .required(),
            f.text("perpetrator.full_name", ctx.t("intake-perpetrator-name")).max(200),
            f.code::<Sex>("perpetrator.sex", ctx.t("intake-sex"), "sex", true),
            f.select("perpetrator.commune_code", ctx.t("intake-perpetrator-commune"), all_communes, true),
        ],
    )];
    let safety = vec![
        section(
            ctx,
            "safe-contact",
            vec![
                f.area("survivor.safe_contact", ctx.t("intake-safe-contact"))
                    .max(MAX_NOTE_CHARS)
                    .with_hint(ctx.t("intake-safe-contact-hint")),
            ],
        ),
        section(
            ctx,
            "risk",
            vec![f.checks_of("risk_factors", ctx.t("intake-risk-factors"), factors).folded()],
        ),
        section(
            ctx,
            "consent",
            vec![
                f.checks::<ConsentPurpose>(
                    "consent_purposes",
                    ctx.t("intake-consent-purposes"),
                    "consent-purpose",
                )
                .folded(),
                f.checks::<ConsentGiver>("consent_givers", ctx.t("intake-consent-givers"), "consent-giver"),
            ],
        ),
    ];
    let mut steps: Vec<IntakeStepView> = IntakeStep::ALL
        .into_iter()
        .zip([person, incident, perpetrator, safety, Vec::new()])
        .map(|(s, sections)| IntakeStepView {
            id: s.as_str(),
            label: step_label(ctx, s),
            current: s == step,
            sections,
        })
        .collect();

    // The summary names the problems of this step; the others' are only named.
    let errors: Vec<FieldText> =
        all_texts.iter().filter(|t| problem_step(&t.field) == step).cloned().collect();
    let other_errors = IntakeStep::ALL
        .into_iter()
        .filter(|s| *s != step && all_texts.iter().any(|t| problem_step(&t.field) == *s))
        .map(|s| step_label(ctx, s))
        .collect();
    let current_fields = steps
        .iter_mut()
        .filter(|s| s.current)
        .flat_map(|s| s.sections.iter_mut().flat_map(|section| section.fields.iter_mut()));
    if step == IntakeStep::Person {
        focus_first_error(current_fields.chain(guardian.iter_mut()).chain(more.iter_mut()));
    } else {
        focus_first_error(current_fields);
    }
    let (draft, _) = draft_of(posted);
    let review = if step == IntakeStep::Review { review(ctx, posted, &names) } else { Vec::new() };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = IntakePage {
        ctx,
        title: ctx.t("page-intake"),
        current: step.as_str(),
        progress: ctx.t_with(
            "intake-progress",
            &[
                ("n", &step.number().to_string()),
                ("total", &IntakeStep::ALL.len().to_string()),
                ("step", &step_label(ctx, step)),
            ],
        ),
        steps,
        guardian,
        guardian_shown: survivor_is_child(&draft, Utc::now())
            || !draft.survivor.guardian_name.is_empty()
            || !draft.survivor.guardian_phone.is_empty(),
        child_groups: AgeGroup::ALL
            .iter()
            .filter(|g| g.is_child())
            .map(|g| g.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        more_open: more.iter().any(|f| !f.error.is_empty())
            || [&draft.survivor.id_number, &draft.survivor.address].iter().any(|t| !t.is_empty())
            || draft.survivor.has_disability
            || !matches!(draft.survivor.sex.as_str(), "" | "female"),
        more,
        errors,
        other_errors,
        duplicate: shown.duplicate,
        passed_check: shown.passed_check,
        review,
        back: step.previous().map(IntakeStep::as_str),
        next: step.next().map(IntakeStep::as_str),
    };
    Ok(render(status, &page))
}

fn section(ctx: &PageContext, id: &'static str, fields: Vec<Field>) -> Section {
    Section { id, legend: ctx.t(&format!("intake-step-{id}")), fields }
}

fn step_label(ctx: &PageContext, step: IntakeStep) -> String {
    ctx.t(&format!("intake-step-{}", step.as_str()))
}

/// The step of a field as the page names it.
fn problem_step(field: &str) -> IntakeStep {
    match field {
        "consent_givers" | "consent_purposes" => IntakeStep::Safety,
        field => IntakeStep::of_field(field),
    }
}

/// The message keys of the steps and their fieldsets (chosen at run time).
pub const STEP_KEYS: [&str; 11] = [
    "intake-step-person",
    "intake-step-now",
    "intake-step-report",
    "intake-step-survivor",
    "intake-step-incident",
    "intake-step-perpetrator",
    "intake-step-safety",
    "intake-step-safe-contact",
    "intake-step-risk",
    "intake-step-consent",
    "intake-step-review",
];

/// What the review shows of each step: enough to recognise the report, each
/// with the button that goes back to its step.
fn review(
    ctx: &PageContext,
    posted: &Posted,
    names: &std::collections::HashMap<String, String>,
) -> Vec<ReviewGroup> {
    let yes = ctx.t("intake-review-yes");
    let label = |list: &str, code: String| if code.is_empty() { code } else { ctx.label(list, &code) };
    let labels = |list: &str, codes: Vec<String>| {
        codes.iter().map(|c| ctx.label(list, c)).collect::<Vec<_>>().join("; ")
    };
    let flag = |name: &str| if posted.has(name, "1") { yes.clone() } else { String::new() };
    let commune = posted.one("commune_code");
    let commune = if commune.is_empty() { commune } else { commune_name(names, &commune) };
    let age = match posted.one("survivor.birth_date") {
        birth if !birth.is_empty() => birth,
        _ => label("age-group", posted.one("survivor.age_group")),
    };
    let purposes = labels("consent-purpose", posted.all("consent_purposes"));
    let consented = match labels("consent-giver", posted.all("consent_givers")) {
        givers if purposes.is_empty() || givers.is_empty() => purposes,
        givers => format!("{purposes} ({givers})"),
    };
    let groups: [(IntakeStep, Vec<Row>); 4] = [
        (
            IntakeStep::Person,
            vec![
                (ctx.t("intake-danger"), flag("immediate_danger")),
                (ctx.t("intake-child"), flag("child_at_risk")),
                (ctx.t("intake-commune"), commune),
                (ctx.t("intake-full-name"), posted.one("survivor.full_name")),
                (ctx.t("intake-age-group"), age),
            ],
        ),
        (
            IntakeStep::Incident,
            vec![
                (ctx.t("intake-occurred-on"), posted.one("incident.occurred_on")),
                (ctx.t("intake-forms"), labels("form", posted.all("incident.forms"))),
            ],
        ),
        (
            IntakeStep::Perpetrator,
            vec![
                (ctx.t("intake-relationship"), label("relationship", posted.one("perpetrator.relationship"))),
                (ctx.t("intake-perpetrator-name"), posted.one("perpetrator.full_name")),
            ],
        ),
        (
            IntakeStep::Safety,
            vec![
                (ctx.t("intake-safe-contact"), posted.one("survivor.safe_contact")),
                (ctx.t("intake-risk-factors"), labels("risk-factor", posted.all("risk_factors"))),
                (ctx.t("intake-consent-purposes"), consented),
            ],
        ),
    ];
    groups
        .into_iter()
        .map(|(step, rows)| ReviewGroup {
            step: step.as_str(),
            label: step_label(ctx, step),
            rows: rows.into_iter().filter(|(_, value)| !value.is_empty()).collect(),
        })
        .collect()
}

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
    intake_page(&state, &member, &Posted(defaults), IntakeStep::Person, Shown::default()).await
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
        risk_factors: risk_factors(posted),
        consents: consents(posted),
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

/// The checklist ticked in step 4, with a child at risk asked in step 1 (the
/// checklist's own item: the first assessment counts it).
fn risk_factors(posted: &Posted) -> Vec<String> {
    let mut factors = posted.all("risk_factors");
    if posted.has("child_at_risk", "1") {
        factors.insert(0, RiskFactor::ChildrenAtRisk.as_str().into());
    }
    factors
}

/// Each purpose ticked, given by each person ticked; a purpose with no one
/// ticked is a consent without its giver (the rules name it).
fn consents(posted: &Posted) -> Vec<ConsentDraft> {
    let givers = posted.all("consent_givers");
    let givers = if givers.is_empty() { vec![String::new()] } else { givers };
    posted
        .all("consent_purposes")
        .into_iter()
        .flat_map(|purpose| {
            givers
                .iter()
                .map(move |given_by| ConsentDraft { purpose: purpose.clone(), given_by: given_by.clone() })
        })
        .collect()
}

fn texts(ctx: &PageContext, problems: &[FieldProblem]) -> Vec<FieldText> {
    let mut texts: Vec<FieldText> = Vec::new();
    for problem in problems {
        // The rules' consents are the page's purposes and givers: who gave them
        // is what can be wrong.
        let field = if problem.field == "consents" { "consent_givers" } else { problem.field };
        // One message a field: the first found.
        if !texts.iter().any(|t| t.field == field) {
            texts.push(FieldText::new(field, field_text(ctx, &problem.message)));
        }
    }
    texts
}

/// POST /cases/new — a step: `go` names the step to show (forward checks the step
/// being left, and leaving the person runs the duplicate check; `anyway` goes on
/// past a case found), `intent=check` runs the duplicate check, `intent=save`
/// saves or shows the first step with a problem.
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
    let mut problems = unreadable;
    problems.extend(validate(&draft, Utc::now()).err().unwrap_or_default());
    let here = IntakeStep::parse(&posted.one("step")).unwrap_or(IntakeStep::Person);
    let page = |step: IntakeStep, shown: Shown| intake_page(&state, &member, &posted, step, shown);
    match posted.one("intent").as_str() {
        "check" => {
            let duplicate = check_duplicates(&state, &member, &draft).await?;
            return page(IntakeStep::Person, Shown { duplicate: Some(duplicate), ..Shown::default() }).await;
        }
        "save" => return save(&state, &member, &posted, draft, problems).await,
        _ => {}
    }
    let anyway = IntakeStep::parse(&posted.one("anyway"));
    let Some(to) = anyway.or_else(|| IntakeStep::parse(&posted.one("go"))) else {
        return page(here, Shown::default()).await;
    };
    if to <= here {
        // Back (or to a step to edit it) never checks.
        return page(to, Shown::default()).await;
    }
    let mine = here.problems(&problems);
    if !mine.is_empty() {
        return page(here, Shown { problems: mine, ..Shown::default() }).await;
    }
    if here != IntakeStep::Person || anyway.is_some() {
        return page(to, Shown::default()).await;
    }
    // Leaving the person: is she known already?
    let duplicate = check_duplicates(&state, &member, &draft).await?;
    if duplicate.limited {
        // Over the lookups per minute: she stays on the step, told how long to wait.
        return page(here, Shown { duplicate: Some(duplicate), ..Shown::default() }).await;
    }
    if !duplicate.missing.is_empty() {
        return page(
            here,
            Shown { problems: vec![not_yours()], duplicate: Some(duplicate), ..Shown::default() },
        )
        .await;
    }
    if !duplicate.cases.is_empty() {
        return page(here, Shown { duplicate: Some(duplicate), ..Shown::default() }).await;
    }
    // `found` without a case she may open no longer happens: a case outside her
    // scope is never hinted at (issue 17).
    let passed_check = member.ctx.t("intake-duplicate-passed");
    page(to, Shown { passed_check, ..Shown::default() }).await
}

/// The commune chosen is not one the person takes reports in.
fn not_yours() -> FieldProblem {
    FieldProblem { field: "commune_code", message: NOT_YOURS.into() }
}

const NOT_YOURS: &str = "is not one of your communes";

/// Saves when every rule holds; else shows the first step with a problem.
async fn save(
    state: &AppState,
    member: &Member,
    posted: &Posted,
    draft: IntakeDraft,
    problems: Vec<FieldProblem>,
) -> Result<HttpResponse, AppError> {
    let refused = |problems: Vec<FieldProblem>| {
        let step = IntakeStep::first_with(&problems).unwrap_or(IntakeStep::Person);
        intake_page(state, member, posted, step, Shown { problems, ..Shown::default() })
    };
    if !problems.is_empty() {
        // Nothing is saved; every problem is named, in its step.
        return refused(problems).await;
    }
    let saved = run(state, member, move |conn, who| intake::record_intake(conn, who, &draft)).await?;
    match saved {
        Ok(recorded) => Ok(see_other(&format!("/cases/{}?done=created", recorded.id))),
        Err(CaseError::Invalid(problems)) => refused(problems).await,
        Err(CaseError::Forbidden) => refused(vec![not_yours()]).await,
        Err(e) => refusal_page(member, e),
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
            limited: false,
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
    let per_minute = state.config.lookups_per_minute;
    let check = match run(state, member, move |conn, who| listing::duplicates(conn, who, &probe, per_minute))
        .await?
    {
        Ok(check) => check,
        Err(CaseError::RateLimited { retry_after_s }) => {
            return Ok(DuplicateView {
                found: false,
                cases: Vec::new(),
                missing: super::list::too_many_lookups(ctx, retry_after_s),
                limited: true,
            });
        }
        Err(CaseError::Forbidden) => {
            return Ok(DuplicateView {
                found: false,
                cases: Vec::new(),
                missing: ctx.t("intake-commune-not-yours"),
                limited: false,
            });
        }
        Err(e) => return Err(e.into()),
    };
    let names = case_commune_names(state, ctx).await?;
    Ok(DuplicateView {
        found: check.may_already_have_case,
        cases: check.visible.iter().map(|c| case_line(ctx, &names, c)).collect(),
        missing: String::new(),
        limited: false,
    })
}
