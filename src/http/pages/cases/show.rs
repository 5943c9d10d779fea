//! A case as its worker reads it (design §8): the safe-contact note before any
//! contact detail, the survivor, the incident, the perpetrator, then the work —
//! risk, consents, measures, referrals, notes and follow-ups, deadlines, the
//! timeline, decisions — and only the actions the lifecycle and the policies allow.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{Field, FieldText, Fields, focus_first_error, labelled};
use super::time::{field_time, show_date, show_time};
use super::views::{
    Allowed, ApprovalLine, CasePage, ConsentLine, ConsentNeeded, DeadlineLine, ErasePage, MeasureLine,
    NoteLine, PlacementSection, ReferralLine, RiskLine, Row, SectionMessage, StepLine, next_actions,
    step_marks,
};
use super::{
    Posted, case_commune_names, commune_name, commune_names, placements, record_id, refusal_page, run,
};
use crate::authz::Action;
use crate::domain::age::AgeGroup;
use crate::domain::case_clock::{Deadline, DeadlineState, state_of};
use crate::domain::closure::ApprovalStatus;
use crate::domain::intake::{MAX_NARRATIVE_CHARS, MAX_NOTE_CHARS};
use crate::domain::lifecycle::CaseStatus;
use crate::domain::referral::ReferralStatus;
use crate::domain::risk::RiskFactor;
use crate::domain::role::Role;
use crate::domain::vocabulary::{
    Article3Act, ClosureReason, ConsentGiver, ConsentPurpose, ErasureReason, FormOfViolence, GbvContext,
    GbvType, MeasureType, NoteKind, OrderedBy, Relationship, ReportChannel, ReportSource, Sex,
};
use crate::error::AppError;
use crate::http::pages::bridge::Member;
use crate::http::pages::{PageContext, render, render_error};
use crate::http::{AppState, blocking};
use crate::services::cases::detail::{self, CaseDetail};
use crate::services::placements::boards;

/// What the last form on the case did, for the page to show with it.
#[derive(Default)]
pub struct Outcome {
    /// The section of the form (`risk`, `consents`, `edit`, …).
    pub section: &'static str,
    /// What was typed there, to show again.
    pub posted: Option<Posted>,
    pub errors: Vec<FieldText>,
    pub message: String,
    pub problems: Vec<String>,
    pub status: Option<StatusCode>,
    /// The purpose a missing consent was for (code), to offer the override.
    pub consent_purpose: Option<String>,
    pub notice: String,
}

#[derive(Deserialize)]
pub struct CaseQuery {
    done: Option<String>,
}

/// The words after work was done, named in the address (`?done=risk`).
fn done_key(done: &str) -> Option<&'static str> {
    DONE.iter().find(|(name, _)| *name == done).map(|(_, key)| *key)
}

pub const DONE: [(&str, &str); 21] = [
    ("created", "case-done-created"),
    ("saved", "case-done-saved"),
    ("moved", "case-done-moved"),
    ("reopened", "case-done-reopened"),
    ("approved", "approvals-done-approved"),
    ("rejected", "approvals-done-rejected"),
    ("closed", "case-done-closed"),
    ("closure-requested", "case-done-closure-requested"),
    ("risk", "case-done-risk"),
    ("consent", "case-done-consent"),
    ("withdrawn", "case-done-withdrawn"),
    ("override-requested", "case-done-override-requested"),
    ("override-given", "case-done-override-given"),
    ("measure", "case-done-measure"),
    ("note", "case-done-note"),
    ("follow-up-done", "case-done-follow-up"),
    ("referred", "case-done-referred"),
    ("referral", "case-done-referral"),
    ("erased", "case-done-erased"),
    ("placement-requested", "case-done-placement-requested"),
    ("placement-cancelled", "case-done-placement-cancelled"),
];

/// GET /cases/{id}
pub async fn page(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<String>,
    query: web::Query<CaseQuery>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = record_id(&id) else { return Ok(render_error(&member.ctx, StatusCode::NOT_FOUND)) };
    let notice = query.done.as_deref().and_then(done_key).map(|key| member.ctx.t(key)).unwrap_or_default();
    render_case(&state, &member, id, Outcome { notice, ..Outcome::default() }).await
}

/// The case page, with what the last form did.
pub async fn render_case(
    state: &AppState,
    member: &Member,
    id: Uuid,
    outcome: Outcome,
) -> Result<HttpResponse, AppError> {
    let case = match run(state, member, move |conn, who| detail::case_detail(conn, who, id)).await? {
        Ok(case) => case,
        Err(e) => return refusal_page(member, e),
    };
    let providers = if case.allowed.contains(&Action::CaseRefer) {
        blocking(state, |conn| {
            crate::store::case_work::providers(conn).map_err(|e| crate::store::StoreError::Query(e).into())
        })
        .await?
    } else {
        Vec::new()
    };
    let may_place =
        case.allowed.contains(&Action::CaseRequestPlacement) && case.status.is_open() && !case.erased;
    let found = run(state, member, move |conn, who| {
        let houses = if may_place { boards::availability(conn, who)? } else { Vec::new() };
        let related = crate::services::cases::duplicates::related(conn, who, &id.to_string())?;
        Ok((boards::case_placements(conn, who, id)?, houses, related))
    })
    .await?;
    let (placed, houses, related) = match found {
        Ok(found) => found,
        Err(e) => return refusal_page(member, e),
    };
    let names = case_commune_names(state, &member.ctx).await?;
    let choices = commune_choices(state, member, &case, &names).await?;
    // After a form was refused, the language switch comes back to the case.
    let mut ctx = member.ctx.clone();
    ctx.path = format!("/cases/{id}");
    let ctx = &ctx;
    let status = outcome.status.unwrap_or(StatusCode::OK);
    let provider_choices = providers
        .into_iter()
        .map(|p| {
            let label = format!("{} ({})", p.name, ctx.label("service", &p.service_type));
            (p.id, label)
        })
        .collect();
    let mut page = build(
        ctx,
        &case,
        &outcome,
        provider_choices,
        |code| commune_name(&names, code),
        &choices,
        member.session.user.role,
    );
    let empty = Posted(Vec::new());
    let typed = form_values(&outcome, "placements", &empty);
    page.placements = placements::section(ctx, &placed, &houses, &names, typed, may_place);
    page.related = related.iter().map(|c| super::list::case_line(ctx, &names, c)).collect();
    Ok(render(status, &page))
}

/// The fields a form starts with when it was not the one just sent.
fn form_values<'o>(
    outcome: &'o Outcome,
    section: &str,
    defaults: &'o Posted,
) -> (&'o Posted, &'o [FieldText]) {
    match &outcome.posted {
        Some(posted) if outcome.section == section => (posted, &outcome.errors),
        _ => (defaults, &[]),
    }
}

fn rows(pairs: Vec<(String, Option<String>)>) -> Vec<Row> {
    pairs
        .into_iter()
        .filter_map(|(label, value)| value.filter(|v| !v.is_empty()).map(|v| (label, v)))
        .collect()
}

fn build<'a>(
    ctx: &'a PageContext,
    case: &CaseDetail,
    outcome: &Outcome,
    providers: Vec<(String, String)>,
    commune: impl Fn(&str) -> String,
    communes: &CommuneChoices,
    role: Role,
) -> CasePage<'a> {
    let now = chrono::Utc::now();
    let row = &case.case;
    // Staff names are account data, shown so a reader knows who to ask.
    let author = |id: Option<&str>| {
        let name = case.author(id).map_or_else(|| ctx.t("case-author-unknown"), str::to_string);
        ctx.t1("case-recorded-by", "name", &name)
    };
    let status = case.status;
    let may = |action: Action| case.allowed.contains(&action);
    let open = status.is_open() && !case.erased;
    let waiting_closure =
        case.approvals.iter().any(|a| a.kind == "closure" && a.status == ApprovalStatus::Requested.as_str());
    let allowed = Allowed {
        edit: may(Action::CaseUpdate) && !case.erased,
        assess: may(Action::CaseUpdate) && open,
        consent: may(Action::CaseRecordConsent) && open,
        note: may(Action::CaseRecordNote) && !case.erased,
        refer: may(Action::CaseRefer) && open,
        close: may(Action::CaseRequestClosure)
            && case.next_steps.contains(&CaseStatus::Closed)
            && !waiting_closure,
        reopen: may(Action::CaseTransition) && status == CaseStatus::Closed && !case.erased,
        erase: may(Action::CaseErase) && !case.erased,
        place: may(Action::CaseRequestPlacement) && open,
        access_log: may(Action::CaseReadAccessLog),
    };
    // Reopening is its own form that asks why, never a bare "move to" button.
    let steps = if may(Action::CaseTransition) && status != CaseStatus::Closed {
        case.next_steps
            .iter()
            .filter(|s| **s != CaseStatus::Closed)
            .map(|s| (s.as_str().to_string(), ctx.label("status", s.as_str())))
            .collect()
    } else {
        Vec::new()
    };
    let summary = rows(vec![
        (ctx.t("case-number"), Some(row.case_number.clone())),
        (ctx.t("case-status"), Some(ctx.label("status", &row.status))),
        (ctx.t("case-commune"), Some(commune(&row.commune_code))),
        (ctx.t("case-risk"), Some(ctx.risk_label(row.risk_level.as_deref()))),
        (ctx.t("case-age-group"), Some(ctx.label("age-group", &case.profile.age_group))),
        (ctx.t("case-reported-at"), Some(show_time(row.reported_at.and_utc()))),
        (ctx.t("intake-report-source"), Some(ctx.label("report-source", &row.report_source))),
        (ctx.t("intake-report-channel"), Some(ctx.label("report-channel", &row.report_channel))),
        (ctx.t("case-closure-reason"), row.closure_reason.as_deref().map(|r| ctx.label("closure-reason", r))),
    ]);
    let survivor = case.survivor.as_ref().map_or_else(Vec::new, |s| {
        rows(vec![
            (ctx.t("intake-full-name"), Some(s.full_name.clone())),
            (ctx.t("intake-sex"), Some(ctx.label("sex", &case.profile.sex))),
            (ctx.t("intake-birth-date"), s.birth_date.clone().map(|d| reformat_date(&d))),
            (ctx.t("intake-phone"), s.phone.clone()),
            (ctx.t("intake-id-number"), s.id_number.clone()),
            (ctx.t("intake-address"), s.address.clone()),
            (ctx.t("intake-guardian-name"), s.guardian_name.clone()),
            (ctx.t("intake-guardian-phone"), s.guardian_phone.clone()),
            (ctx.t("intake-disability"), case.profile.has_disability.then(|| ctx.t("case-yes"))),
        ])
    });
    let (incident, acts, narrative) = match &case.incident {
        Some(i) => (
            rows(vec![
                (ctx.t("intake-occurred-on"), i.occurred_on.map(show_date)),
                (
                    ctx.t("intake-forms"),
                    Some(i.forms.iter().map(|f| ctx.label("form", f)).collect::<Vec<_>>().join(", ")),
                ),
                (ctx.t("intake-gbv-type"), i.gbv_type.as_deref().map(|t| ctx.label("gbv-type", t))),
                (ctx.t("intake-gbv-context"), i.gbv_context.as_deref().map(|c| ctx.label("gbv-context", c))),
                (ctx.t("intake-place"), i.place.clone()),
            ]),
            i.acts.iter().map(|a| ctx.label("act", a)).collect(),
            i.narrative.clone().unwrap_or_default(),
        ),
        None => (Vec::new(), Vec::new(), String::new()),
    };
    let perpetrator = case.perpetrator.as_ref().map_or_else(Vec::new, |p| {
        rows(vec![
            (ctx.t("intake-perpetrator-name"), p.full_name.clone()),
            (ctx.t("intake-sex"), Some(ctx.label("sex", &p.sex))),
            (ctx.t("intake-relationship"), Some(ctx.label("relationship", &p.relationship))),
            (ctx.t("intake-perpetrator-commune"), p.commune_code.as_deref().map(&commune)),
        ])
    });

    let deadline_line = |d: &Deadline| {
        let state = state_of(d, now);
        DeadlineLine {
            label: ctx.label("deadline", d.kind.as_str()),
            due: show_time(d.due),
            state: state.as_str().to_string(),
            state_label: ctx.label("deadline-state", state.as_str()),
        }
    };
    let next = next_actions(status, &allowed).into_iter().map(|a| (a.href, ctx.t(a.words_key))).collect();
    let index = section_index(ctx, case.erased, allowed.edit);

    let empty = Posted(Vec::new());
    // A case flagged in danger keeps the danger as a factor of every assessment
    // (the service adds it): the checklist shows it ticked.
    let in_danger = Posted(if row.immediate_danger {
        vec![("factors".into(), RiskFactor::ImmediateDanger.as_str().into())]
    } else {
        Vec::new()
    });
    let (posted, errors) = form_values(outcome, "risk", &in_danger);
    let f = Fields { ctx, posted, errors, prefix: "risk-" };
    let factors = RiskFactor::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), ctx.label("risk-factor", r.as_str())))
        .collect();
    let mut risk_fields = vec![
        f.checks_of("factors", ctx.t("case-risk-factors"), factors),
        f.area("note", ctx.t("case-risk-note")).max(MAX_NOTE_CHARS),
    ];
    let (posted, errors) = form_values(outcome, "consents", &empty);
    let f = Fields { ctx, posted, errors, prefix: "consent-" };
    let mut consent_fields = vec![
        f.code::<ConsentPurpose>("purpose", ctx.t("case-consent-purpose"), "consent-purpose", true)
            .required(),
        f.code::<ConsentGiver>("given_by", ctx.t("case-consent-giver"), "consent-giver", true).required(),
        f.time("given_at", ctx.t("case-consent-given-at")),
    ];
    let consent_needed = outcome.consent_purpose.as_ref().map(|purpose| {
        let defaults = Posted(vec![("purpose".into(), purpose.clone())]);
        let (posted, errors) = form_values(outcome, "override", &defaults);
        let f = Fields { ctx, posted, errors, prefix: "override-" };
        ConsentNeeded {
            purpose: purpose.clone(),
            fields: vec![f.area("reason", ctx.t("case-override-reason")).required().max(MAX_NOTE_CHARS)],
            gives: role == Role::Supervisor,
        }
    });
    let (posted, errors) = form_values(outcome, "measures", &empty);
    let f = Fields { ctx, posted, errors, prefix: "measure-" };
    let mut measure_fields = vec![
        f.code::<MeasureType>("measure_type", ctx.t("case-measure-type"), "measure", true).required(),
        f.code::<OrderedBy>("ordered_by", ctx.t("case-measure-by"), "ordered-by", true)
            .with_hint(ctx.t("case-measure-by-hint")),
        f.time("starts_at", ctx.t("case-measure-starts")),
        f.time("ends_at", ctx.t("case-measure-ends")),
        f.area("details", ctx.t("case-measure-details")).max(MAX_NOTE_CHARS),
    ];
    let (posted, errors) = form_values(outcome, "referrals", &empty);
    let f = Fields { ctx, posted, errors, prefix: "referral-" };
    let mut referral_fields = vec![
        f.select("provider_id", ctx.t("case-referral-provider"), providers, true).required(),
        f.area("note", ctx.t("case-referral-note")).max(MAX_NOTE_CHARS),
    ];
    let note_defaults = Posted(vec![("kind".into(), "note".into())]);
    let (posted, errors) = form_values(outcome, "notes", &note_defaults);
    let f = Fields { ctx, posted, errors, prefix: "note-" };
    let mut note_fields = vec![
        f.code::<NoteKind>("kind", ctx.t("case-note-kind"), "note-kind", false),
        f.area("body", ctx.t("case-note-body")).required().max(MAX_NOTE_CHARS * 5),
        f.time("due_at", ctx.t("case-note-due")).with_hint(ctx.t("case-note-due-hint")),
    ];
    let (posted, errors) = form_values(outcome, "actions", &empty);
    let f = Fields { ctx, posted, errors, prefix: "close-" };
    let mut closure_fields = vec![
        f.select(
            "closure_reason",
            ctx.t("case-closure-reason"),
            labelled::<ClosureReason>(ctx, "closure-reason"),
            true,
        )
        .required(),
        f.area("comment", ctx.t("case-closure-comment")).max(MAX_NOTE_CHARS),
    ];
    let f = Fields { ctx, posted, errors, prefix: "reopen-" };
    let mut reopen_fields = vec![
        f.area("reason", ctx.t("case-reopen-reason"))
            .required()
            .max(MAX_NOTE_CHARS)
            .with_hint(ctx.t("case-reopen-hint")),
    ];
    let edit_defaults = edit_defaults(case);
    let (posted, errors) = form_values(outcome, "edit", &edit_defaults);
    let f = Fields { ctx, posted, errors, prefix: "edit-" };
    let mut edit_fields = correction_fields(ctx, &f, communes);
    for fields in [
        &mut risk_fields,
        &mut consent_fields,
        &mut measure_fields,
        &mut referral_fields,
        &mut note_fields,
        &mut closure_fields,
        &mut reopen_fields,
        &mut edit_fields,
    ] {
        focus_first_error(fields.iter_mut());
    }

    CasePage {
        ctx,
        title: ctx.t1("page-case", "number", &row.case_number),
        id: row.id.clone(),
        number: row.case_number.clone(),
        version: row.version,
        step_marks: step_marks(status, |s| match s {
            CaseStatus::Closed => ctx.t("case-step-closed"),
            s => ctx.label("status", s.as_str()),
        }),
        risk_code: row.risk_level.clone().unwrap_or_default(),
        risk: ctx.risk_label(row.risk_level.as_deref()),
        next,
        index,
        summary,
        danger: row.immediate_danger,
        erased: case.erased,
        notice: outcome.notice.clone(),
        message: SectionMessage {
            section: outcome.section,
            text: outcome.message.clone(),
            problems: outcome.problems.clone(),
        },
        safe_contact: case.safe_contact.clone().unwrap_or_default(),
        survivor,
        incident,
        acts,
        narrative,
        perpetrator,
        risks: case
            .risks
            .iter()
            .rev()
            .map(|r| RiskLine {
                when: show_time(r.assessed_at),
                level: ctx.label("risk-level", &r.level),
                level_code: r.level.clone(),
                factors: r.factors.iter().map(|f| ctx.label("risk-factor", f)).collect(),
                note: r.note.clone().unwrap_or_default(),
                author: author(r.assessed_by.as_deref()),
            })
            .collect(),
        risk_fields,
        consents: case
            .consents
            .iter()
            .rev()
            .map(|c| ConsentLine {
                id: c.id.clone(),
                purpose: ctx.label("consent-purpose", &c.purpose),
                giver: ctx.label("consent-giver", &c.given_by),
                when: show_time(c.given_at.and_utc()),
                withdrawn: c.withdrawn_at.map(|w| show_time(w.and_utc())).unwrap_or_default(),
                author: author(c.recorded_by.as_deref()),
            })
            .collect(),
        consent_fields,
        consent_needed,
        measures: case
            .measures
            .iter()
            .rev()
            .map(|m| MeasureLine {
                kind: ctx.label("measure", &m.measure_type),
                by: m.ordered_by.as_deref().map(|b| ctx.label("ordered-by", b)).unwrap_or_default(),
                starts: show_time(m.starts_at),
                ends: m.ends_at.map(show_time).unwrap_or_default(),
                details: m.details.clone().unwrap_or_default(),
                author: author(m.recorded_by.as_deref()),
            })
            .collect(),
        measure_fields,
        referrals: case
            .referrals
            .iter()
            .rev()
            .map(|r| ReferralLine {
                id: r.id.clone(),
                provider: r.provider_name.clone(),
                service: ctx.label("service", &r.service_type),
                status: ctx.label("referral-status", &r.status),
                version: r.version,
                note: r.note.clone().unwrap_or_default(),
                when: show_time(r.created_at),
                by_override: r.by_override,
                next: ReferralStatus::parse(&r.status)
                    .map(|s| {
                        s.next()
                            .iter()
                            .map(|n| (n.as_str().to_string(), ctx.label("referral-status", n.as_str())))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect(),
        referral_fields,
        notes: case
            .notes
            .iter()
            .rev()
            .map(|n| NoteLine {
                id: n.id.clone(),
                kind: ctx.label("note-kind", &n.kind),
                body: n.body.clone().unwrap_or_default(),
                when: show_time(n.created_at),
                due: n.due_at.map(show_time).unwrap_or_default(),
                done: n.done_at.map(show_time).unwrap_or_default(),
                open_follow_up: n.due_at.is_some() && n.done_at.is_none(),
                author: author(n.author_id.as_deref()),
            })
            .collect(),
        note_fields,
        next_deadline: case
            .deadlines
            .iter()
            .filter(|d| state_of(d, now) != DeadlineState::Met)
            .min_by_key(|d| d.due)
            .map(deadline_line),
        deadlines: case.deadlines.iter().map(deadline_line).collect(),
        timeline: case
            .transitions
            .iter()
            .rev()
            .map(|t| StepLine {
                when: show_time(t.at),
                from: ctx.label("status", &t.from_status),
                to: ctx.label("status", &t.to_status),
                reason: t.reason.as_deref().map(|r| ctx.label("closure-reason", r)).unwrap_or_default(),
                comment: t.comment.clone().unwrap_or_default(),
                reopened: t.from_status == CaseStatus::Closed.as_str(),
                author: author(t.actor_id.as_deref()),
            })
            .collect(),
        approvals: case
            .approvals
            .iter()
            .map(|a| ApprovalLine {
                id: a.id.clone(),
                decidable: may(Action::CaseApprove) && a.status == ApprovalStatus::Requested.as_str(),
                kind: ctx.label("approval-kind", &a.kind),
                status: ctx.label("approval-status", &a.status),
                about: a
                    .closure_reason
                    .as_deref()
                    .map(|r| ctx.label("closure-reason", r))
                    .or_else(|| a.purpose.as_deref().map(|p| ctx.label("consent-purpose", p)))
                    .unwrap_or_default(),
                reason: a.reason.clone().unwrap_or_default(),
                comment: a.comment.clone().unwrap_or_default(),
                requested: show_time(a.requested_at),
                decided: a.decided_at.map(show_time).unwrap_or_default(),
                requested_by: author(a.requested_by.as_deref()),
                decided_by: a.decided_by.as_deref().map(|id| author(Some(id))).unwrap_or_default(),
            })
            .collect(),
        waiting_closure,
        steps,
        closure_fields,
        reopen_fields,
        reopen_to: case.next_steps.first().map(|s| s.as_str().to_string()).unwrap_or_default(),
        edit_fields,
        allowed,
        placements: PlacementSection::default(),
        related: Vec::new(),
    }
}

/// The in-page index of the case's sections: (id, words), in the page's order.
fn section_index(ctx: &PageContext, erased: bool, edit: bool) -> Vec<(&'static str, String)> {
    let personal = ["survivor"];
    [
        ("risk", "case-risk-heading"),
        ("consents", "case-consents-heading"),
        ("measures", "case-measures-heading"),
        ("referrals", "case-referrals-heading"),
        ("placements", "case-placements-heading"),
        ("notes", "case-notes-heading"),
        ("timeline", "case-timeline-heading"),
        ("actions", "case-actions-heading"),
        ("deadlines", "case-deadlines-heading"),
        ("approvals", "case-approvals-heading"),
        ("summary", "case-summary-heading"),
        ("survivor", "case-survivor-heading"),
        ("incident", "case-incident-heading"),
        ("perpetrator", "case-perpetrator-heading"),
        ("edit", "case-edit-heading"),
    ]
    .into_iter()
    .filter(|(id, _)| !(erased && personal.contains(id)) && (*id != "edit" || edit))
    .map(|(id, key)| (id, ctx.t(key)))
    .collect()
}

/// A stored birth date (yyyy-mm-dd) as people read it.
fn reformat_date(text: &str) -> String {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map(show_date).unwrap_or_else(|_| text.to_string())
}

/// The correction form as the case stands: every field of the intake.
fn edit_defaults(case: &CaseDetail) -> Posted {
    let mut values: Vec<(String, String)> = Vec::new();
    let mut put =
        |name: &str, value: Option<String>| values.push((name.to_string(), value.unwrap_or_default()));
    let row = &case.case;
    put("report_source", Some(row.report_source.clone()));
    put("report_channel", Some(row.report_channel.clone()));
    put("reported_at", Some(field_time(row.reported_at.and_utc())));
    put("commune_code", Some(row.commune_code.clone()));
    if row.immediate_danger {
        put("immediate_danger", Some("1".into()));
    }
    put("survivor.sex", Some(case.profile.sex.clone()));
    put("survivor.age_group", Some(case.profile.age_group.clone()));
    if case.profile.has_disability {
        put("survivor.has_disability", Some("1".into()));
    }
    if let Some(s) = &case.survivor {
        put("survivor.full_name", Some(s.full_name.clone()));
        put("survivor.birth_date", s.birth_date.clone());
        put("survivor.phone", s.phone.clone());
        put("survivor.id_number", s.id_number.clone());
        put("survivor.address", s.address.clone());
        put("survivor.guardian_name", s.guardian_name.clone());
        put("survivor.guardian_phone", s.guardian_phone.clone());
        put("survivor.safe_contact", case.safe_contact.clone());
    }
    if let Some(i) = &case.incident {
        put("incident.occurred_on", i.occurred_on.map(|d| d.format("%Y-%m-%d").to_string()));
        for form in &i.forms {
            put("incident.forms", Some(form.clone()));
        }
        for act in &i.acts {
            put("incident.acts", Some(act.clone()));
        }
        put("incident.gbv_type", i.gbv_type.clone());
        put("incident.gbv_context", i.gbv_context.clone());
        put("incident.place", i.place.clone());
        put("incident.narrative", i.narrative.clone());
    }
    if let Some(p) = &case.perpetrator {
        put("perpetrator.full_name", p.full_name.clone());
        put("perpetrator.sex", Some(p.sex.clone()));
        put("perpetrator.relationship", Some(p.relationship.clone()));
        put("perpetrator.commune_code", p.commune_code.clone());
    }
    Posted(values)
}

/// The communes the correction form offers: the reader's (a supervisor: the
/// province's), and every commune for the perpetrator; each with the commune the
/// case holds now, so that saving never moves it unasked.
pub struct CommuneChoices {
    pub case: Vec<(String, String)>,
    pub perpetrator: Vec<(String, String)>,
}

async fn commune_choices(
    state: &AppState,
    member: &Member,
    case: &CaseDetail,
    names: &std::collections::HashMap<String, String>,
) -> Result<CommuneChoices, AppError> {
    let current = commune_names(state).await?;
    let sorted = |mut list: Vec<(String, String)>, held: Option<&str>| {
        if let Some(code) = held.filter(|c| !list.iter().any(|(k, _)| k == c)) {
            list.push((code.to_string(), commune_name(names, code)));
        }
        list.sort_by_cached_key(|(_, name)| crate::http::pages::admin::vietnamese_sort_key(name));
        list
    };
    let mine: Vec<(String, String)> = if member.session.user.communes.is_empty() {
        current.iter().map(|(code, name)| (code.clone(), name.clone())).collect()
    } else {
        member.session.user.communes.iter().map(|code| (code.clone(), commune_name(&current, code))).collect()
    };
    let all: Vec<(String, String)> = current.into_iter().collect();
    let held_by_perpetrator = case.perpetrator.as_ref().and_then(|p| p.commune_code.as_deref());
    Ok(CommuneChoices {
        case: sorted(mine, Some(&case.case.commune_code)),
        perpetrator: sorted(all, held_by_perpetrator),
    })
}

/// Every field of the intake, as the correction form shows it.
fn correction_fields(ctx: &PageContext, f: &Fields<'_>, communes: &CommuneChoices) -> Vec<Field> {
    let ages =
        AgeGroup::ALL.iter().map(|g| (g.as_str().to_string(), ctx.label("age-group", g.as_str()))).collect();
    vec![
        f.check("immediate_danger", ctx.t("intake-danger")),
        f.code::<ReportSource>("report_source", ctx.t("intake-report-source"), "report-source", false)
            .required(),
        f.code::<ReportChannel>("report_channel", ctx.t("intake-report-channel"), "report-channel", false)
            .required(),
        f.time("reported_at", ctx.t("intake-reported-at")).required(),
        f.select("commune_code", ctx.t("intake-commune"), communes.case.clone(), false).required(),
        f.text("survivor.full_name", ctx.t("intake-full-name")).required().max(200),
        f.code::<Sex>("survivor.sex", ctx.t("intake-sex"), "sex", false),
        f.date("survivor.birth_date", ctx.t("intake-birth-date"))
            .with_hint(ctx.t("case-edit-birth-date-hint")),
        f.select("survivor.age_group", ctx.t("intake-age-group"), ages, true)
            .with_hint(ctx.t("intake-age-group-hint")),
        f.tel("survivor.phone", ctx.t("intake-phone")),
        f.check("survivor.has_disability", ctx.t("intake-disability")),
        f.text("survivor.id_number", ctx.t("intake-id-number")).max(20),
        f.text("survivor.address", ctx.t("intake-address")).max(500),
        f.text("survivor.guardian_name", ctx.t("intake-guardian-name")).max(200),
        f.tel("survivor.guardian_phone", ctx.t("intake-guardian-phone")),
        f.area("survivor.safe_contact", ctx.t("intake-safe-contact"))
            .max(MAX_NOTE_CHARS)
            .with_hint(ctx.t("intake-safe-contact-hint")),
        f.date("incident.occurred_on", ctx.t("intake-occurred-on")),
        f.checks::<FormOfViolence>("incident.forms", ctx.t("intake-forms"), "form"),
        f.checks::<Article3Act>("incident.acts", ctx.t("intake-acts"), "act"),
        f.code::<GbvType>("incident.gbv_type", ctx.t("intake-gbv-type"), "gbv-type", true),
        f.code::<GbvContext>("incident.gbv_context", ctx.t("intake-gbv-context"), "gbv-context", true),
        f.text("incident.place", ctx.t("intake-place")).max(500),
        f.area("incident.narrative", ctx.t("intake-narrative")).max(MAX_NARRATIVE_CHARS),
        f.text("perpetrator.full_name", ctx.t("intake-perpetrator-name")).max(200),
        f.code::<Sex>("perpetrator.sex", ctx.t("intake-sex"), "sex", true),
        f.code::<Relationship>(
            "perpetrator.relationship",
            ctx.t("intake-relationship"),
            "relationship",
            false,
        )
        .required(),
        f.select(
            "perpetrator.commune_code",
            ctx.t("intake-perpetrator-commune"),
            communes.perpetrator.clone(),
            true,
        ),
    ]
}

/// GET /cases/{id}/erase — what erasure does, the reason, and a last confirmation.
pub async fn confirm_erase(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = record_id(&id) else { return Ok(render_error(&member.ctx, StatusCode::NOT_FOUND)) };
    erase_page(&state, &member, id, &Posted(Vec::new()), Vec::new(), StatusCode::OK).await
}

pub async fn erase_page(
    state: &AppState,
    member: &Member,
    id: Uuid,
    posted: &Posted,
    errors: Vec<FieldText>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let case = match run(state, member, move |conn, who| detail::case_detail(conn, who, id)).await? {
        Ok(case) => case,
        Err(e) => return refusal_page(member, e),
    };
    if !case.allowed.contains(&Action::CaseErase) {
        return Ok(render_error(&member.ctx, StatusCode::FORBIDDEN));
    }
    let ctx = &member.ctx;
    let f = Fields { ctx, posted, errors: &errors, prefix: "" };
    let mut fields = vec![
        f.code::<ErasureReason>("reason", ctx.t("case-erase-reason"), "erasure-reason", true).required(),
    ];
    focus_first_error(fields.iter_mut());
    let message = if errors.is_empty() { String::new() } else { ctx.t("form-has-errors") };
    let page = ErasePage {
        ctx,
        title: ctx.t("page-case-erase"),
        id: case.case.id.clone(),
        number: case.case.case_number.clone(),
        fields,
        message,
    };
    Ok(render(status, &page))
}
