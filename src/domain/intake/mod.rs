//! What an intake must hold before anything is written (design §8): each rule in
//! one place, each problem named by the field the person filled in, in the words
//! of what to fix. Pure: the service adds what needs the database (the commune in
//! force, the duplicate check) and seals the personal fields.

use chrono::{DateTime, Duration, Months, NaiveDate, Utc};

use super::age::{AgeGroup, age_on};
use super::consent::{Subject, may_give};
use super::deadlines::vietnam;
use super::risk::RiskFactor;
use super::vocabulary::{
    Article3Act, Code, ConsentGiver, ConsentPurpose, FormOfViolence, GbvContext, GbvType, Relationship,
    ReportChannel, ReportSource, Sex,
};

mod steps;
pub use steps::IntakeStep;

/// An intake as typed: text everywhere, nothing trusted yet.
#[derive(Debug, Clone, Default)]
pub struct IntakeDraft {
    pub report_source: String,
    pub report_channel: String,
    pub reported_at: Option<DateTime<Utc>>,
    pub commune_code: String,
    pub immediate_danger: bool,
    /// Risk factors known at intake (a child in danger tonight, a threat to kill):
    /// the first risk assessment, recorded with the case.
    pub risk_factors: Vec<String>,
    /// Consents given while the report is taken (placement in a safe house, a
    /// health check): recorded with the case, as the case page records them.
    pub consents: Vec<ConsentDraft>,
    pub survivor: SurvivorDraft,
    pub incident: IncidentDraft,
    pub perpetrator: PerpetratorDraft,
}

/// One consent as typed: its purpose and who gave it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentDraft {
    pub purpose: String,
    pub given_by: String,
}

#[derive(Debug, Clone, Default)]
pub struct SurvivorDraft {
    pub full_name: String,
    pub sex: String,
    pub birth_date: Option<NaiveDate>,
    /// Used when the birth date is not known.
    pub age_group: String,
    pub phone: String,
    pub has_disability: bool,
    pub id_number: String,
    pub address: String,
    pub guardian_name: String,
    pub guardian_phone: String,
    /// How to reach her safely: channels, times, a code word, numbers never to call.
    pub safe_contact: String,
}

#[derive(Debug, Clone, Default)]
pub struct IncidentDraft {
    pub occurred_on: Option<NaiveDate>,
    pub forms: Vec<String>,
    pub acts: Vec<String>,
    pub gbv_type: String,
    pub gbv_context: String,
    pub narrative: String,
    pub place: String,
}

#[derive(Debug, Clone, Default)]
pub struct PerpetratorDraft {
    pub full_name: String,
    pub sex: String,
    pub relationship: String,
    /// Where he lives, when known: a placement near him needs a confirmation.
    pub commune_code: String,
}

/// An intake that passed every rule, with its categories typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidIntake {
    pub report_source: ReportSource,
    pub report_channel: ReportChannel,
    pub reported_at: DateTime<Utc>,
    pub commune_code: String,
    pub immediate_danger: bool,
    pub survivor_sex: Sex,
    pub age_group: AgeGroup,
    pub is_child: bool,
    pub forms: Vec<FormOfViolence>,
    pub acts: Vec<Article3Act>,
    pub gbv_type: Option<GbvType>,
    pub gbv_context: Option<GbvContext>,
    pub occurred_on: Option<NaiveDate>,
    pub perpetrator_sex: Sex,
    pub relationship: Relationship,
    pub perpetrator_commune: Option<String>,
    pub risk_factors: Vec<RiskFactor>,
    /// Each (purpose, giver) once.
    pub consents: Vec<(ConsentPurpose, ConsentGiver)>,
}

/// One thing to fix, named by its field (dotted, as the form and the API name it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_PLACE_CHARS: usize = 500;
pub const MAX_NARRATIVE_CHARS: usize = 20_000;
pub const MAX_NOTE_CHARS: usize = 2_000;
/// An incident further back than this many years is refused as a typo.
pub const MAX_INCIDENT_YEARS: u32 = 100;

/// A report time this far ahead of the server's clock is a mistake, not skew.
const CLOCK_SKEW: Duration = Duration::minutes(5);

struct Problems(Vec<FieldProblem>);

impl Problems {
    fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldProblem { field, message: message.into() });
    }

    fn code<T: Code>(&mut self, field: &'static str, text: &str) -> Option<T> {
        let found = T::from_code(text.trim());
        if found.is_none() {
            self.add(field, format!("choose one of: {}", T::listed()));
        }
        found
    }

    fn optional_code<T: Code>(&mut self, field: &'static str, text: &str) -> Option<T> {
        if text.trim().is_empty() { None } else { self.code(field, text) }
    }

    fn phone(&mut self, field: &'static str, text: &str) {
        if !text.trim().is_empty() && !is_phone_number(text) {
            self.add(field, "is not a phone number (digits, spaces, + - . ( ) only)");
        }
    }

    fn text(&mut self, field: &'static str, text: &str, max: usize, required: bool, multiline: bool) {
        let trimmed = text.trim();
        if required && trimmed.is_empty() {
            self.add(field, "is required");
        } else if trimmed.chars().count() > max {
            self.add(field, format!("is too long: at most {max} characters"));
        } else if trimmed.chars().any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t'))) {
            self.add(field, "contains control characters");
        }
    }
}

/// Checks a draft against every rule; all problems at once, so the person fixes
/// them in one go.
pub fn validate(draft: &IntakeDraft, now: DateTime<Utc>) -> Result<ValidIntake, Vec<FieldProblem>> {
    let mut p = Problems(Vec::new());
    let report_source = p.code::<ReportSource>("report_source", &draft.report_source);
    let report_channel = p.code::<ReportChannel>("report_channel", &draft.report_channel);
    let reported_at = match draft.reported_at {
        None => {
            p.add("reported_at", "is required");
            None
        }
        Some(at) if at > now + CLOCK_SKEW => {
            p.add("reported_at", "is in the future");
            None
        }
        Some(at) if at < earliest_record() => {
            p.add("reported_at", "is before 2000");
            None
        }
        Some(at) => Some(at),
    };
    let commune = draft.commune_code.trim();
    if !is_commune_code(commune) {
        p.add("commune_code", "must be a 5-digit commune code");
    }

    let s = &draft.survivor;
    p.text("survivor.full_name", &s.full_name, MAX_NAME_CHARS, true, false);
    let survivor_sex = p.code::<Sex>("survivor.sex", &s.sex);
    let today = now.with_timezone(&vietnam()).date_naive();
    // Her age is her age on the day of the report, at intake and at every later
    // correction alike: the age group (whose consent her case needs, where it is
    // counted) never moves because a case was written down or corrected later.
    let report_day = reported_at.map_or(today, |at| at.with_timezone(&vietnam()).date_naive());
    let age_group = match (s.birth_date, s.age_group.trim()) {
        (Some(birth), _) if birth > today => {
            p.add("survivor.birth_date", "is in the future");
            None
        }
        (Some(birth), _) if birth > report_day => {
            p.add("survivor.birth_date", "is after the day of the report");
            None
        }
        (Some(birth), _) if age_on(birth, report_day) > 120 => {
            p.add("survivor.birth_date", "is more than 120 years ago");
            None
        }
        (Some(birth), _) => Some(AgeGroup::of_age(age_on(birth, report_day))),
        (None, "") => {
            p.add("survivor.age_group", "give the birth date or the age group");
            None
        }
        (None, group) => p.code::<AgeGroup>("survivor.age_group", group),
    };
    p.phone("survivor.phone", &s.phone);
    p.phone("survivor.guardian_phone", &s.guardian_phone);
    p.text("survivor.id_number", &s.id_number, 20, false, false);
    p.text("survivor.address", &s.address, MAX_PLACE_CHARS, false, false);
    p.text("survivor.guardian_name", &s.guardian_name, MAX_NAME_CHARS, false, false);
    p.text("survivor.safe_contact", &s.safe_contact, MAX_NOTE_CHARS, false, true);

    let birth_accepted = !p.0.iter().any(|problem| problem.field == "survivor.birth_date");
    let i = &draft.incident;
    let occurred_on = match i.occurred_on {
        Some(day) if day > today => {
            p.add("incident.occurred_on", "is in the future");
            None
        }
        // A century back is further than any survivor's memory reaches: a typo.
        Some(day) if day < today - Months::new(12 * MAX_INCIDENT_YEARS) => {
            // The sentence names MAX_INCIDENT_YEARS (the pages map the sentence).
            p.add("incident.occurred_on", "is more than 100 years ago");
            None
        }
        // Against a birth date that passed its own checks only (one in the future
        // is refused on its own field, not twice).
        Some(day) if birth_accepted && s.birth_date.is_some_and(|birth| day < birth) => {
            p.add("incident.occurred_on", "is before the survivor's birth date");
            None
        }
        Some(day) if reported_at.is_some_and(|r| day > r.with_timezone(&vietnam()).date_naive()) => {
            p.add("incident.occurred_on", "is after the report");
            None
        }
        day => day,
    };
    if i.forms.is_empty() {
        p.add("incident.forms", "choose at least one form of violence");
    }
    let forms: Vec<FormOfViolence> =
        i.forms.iter().filter_map(|f| p.code::<FormOfViolence>("incident.forms", f)).collect();
    let acts: Vec<Article3Act> =
        i.acts.iter().filter_map(|a| p.code::<Article3Act>("incident.acts", a)).collect();
    let gbv_type = p.optional_code::<GbvType>("incident.gbv_type", &i.gbv_type);
    let gbv_context = p.optional_code::<GbvContext>("incident.gbv_context", &i.gbv_context);
    p.text("incident.narrative", &i.narrative, MAX_NARRATIVE_CHARS, false, true);
    p.text("incident.place", &i.place, MAX_PLACE_CHARS, false, false);

    let q = &draft.perpetrator;
    p.text("perpetrator.full_name", &q.full_name, MAX_NAME_CHARS, false, false);
    let perpetrator_sex =
        if q.sex.trim().is_empty() { Some(Sex::Unknown) } else { p.code::<Sex>("perpetrator.sex", &q.sex) };
    let relationship = p.code::<Relationship>("perpetrator.relationship", &q.relationship);
    let mut risk_factors = Vec::new();
    for code in &draft.risk_factors {
        match RiskFactor::parse(code.trim()) {
            Some(factor) if !risk_factors.contains(&factor) => risk_factors.push(factor),
            Some(_) => {}
            None => {
                let all = RiskFactor::ALL.map(RiskFactor::as_str).join(", ");
                p.add("risk_factors", format!("choose from: {all}"))
            }
        }
    }
    // The danger box and the checklist's factor are one fact: either one ticked
    // makes the other, so the first assessment and the banner never disagree.
    let immediate_danger = draft.immediate_danger || risk_factors.contains(&RiskFactor::ImmediateDanger);
    if immediate_danger && !risk_factors.contains(&RiskFactor::ImmediateDanger) {
        risk_factors.insert(0, RiskFactor::ImmediateDanger);
    }
    let consents = consents(&mut p, &draft.consents, age_group, s.birth_date, today);
    let perpetrator_commune = match q.commune_code.trim() {
        "" => None,
        code if is_commune_code(code) => Some(code.to_string()),
        _ => {
            p.add("perpetrator.commune_code", "must be a 5-digit commune code");
            None
        }
    };

    match (report_source, report_channel, reported_at, survivor_sex, age_group, perpetrator_sex, relationship)
    {
        (
            Some(report_source),
            Some(report_channel),
            Some(reported_at),
            Some(survivor_sex),
            Some(age_group),
            Some(perpetrator_sex),
            Some(relationship),
        ) if p.0.is_empty() => Ok(ValidIntake {
            report_source,
            report_channel,
            reported_at,
            commune_code: commune.to_string(),
            immediate_danger,
            survivor_sex,
            age_group,
            is_child: age_group.is_child(),
            forms,
            acts,
            gbv_type,
            gbv_context,
            occurred_on,
            perpetrator_sex,
            relationship,
            perpetrator_commune,
            risk_factors,
            consents,
        }),
        _ => Err(p.0),
    }
}

/// The consents given at intake, each given by someone who may give it for this
/// survivor (her age today, as the case page's consent form checks it).
fn consents(
    p: &mut Problems,
    drafts: &[ConsentDraft],
    age_group: Option<AgeGroup>,
    birth_date: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<(ConsentPurpose, ConsentGiver)> {
    let mut consents = Vec::new();
    for draft in drafts {
        let (Some(purpose), Some(giver)) = (
            p.code::<ConsentPurpose>("consents", &draft.purpose),
            p.code::<ConsentGiver>("consents", &draft.given_by),
        ) else {
            continue;
        };
        if let Some(age_group) = age_group {
            let subject = Subject { age_group, age: birth_date.map(|b| age_on(b, today)) };
            if !may_give(subject, giver) {
                let who =
                    subject.needed_givers().iter().map(|g| g.as_str()).collect::<Vec<_>>().join(" and ");
                p.add("consents", format!("for this survivor, consent is given by: {who}"));
                continue;
            }
        }
        if !consents.contains(&(purpose, giver)) {
            consents.push((purpose, giver));
        }
    }
    consents
}

/// Whether the survivor of a draft is a child (under 16 on the day of the report,
/// by her birth date, else by her age group): her guardian is asked for.
pub fn survivor_is_child(draft: &IntakeDraft, now: DateTime<Utc>) -> bool {
    let report_day = draft.reported_at.unwrap_or(now).with_timezone(&vietnam()).date_naive();
    match draft.survivor.birth_date {
        Some(birth) if birth <= report_day => AgeGroup::of_age(age_on(birth, report_day)).is_child(),
        _ => AgeGroup::parse(draft.survivor.age_group.trim()).is_some_and(AgeGroup::is_child),
    }
}

/// The earliest report or consent the system takes: older dates are typing
/// mistakes (and far ones would not fit a database timestamp).
pub fn earliest_record() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(946_684_800, 0).unwrap_or_default() // 2000-01-01
}

/// How far ahead a date may be planned (a follow-up, a measure's end, an expected
/// end of stay).
pub const PLANNING_HORIZON: Duration = Duration::days(2 * 366);

/// A time typed for a record: not before 2000, not beyond the planning horizon.
pub fn check_time(field: &'static str, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), FieldProblem> {
    if at < earliest_record() {
        Err(FieldProblem { field, message: "is before 2000".into() })
    } else if at > now + PLANNING_HORIZON {
        Err(FieldProblem { field, message: "is more than two years ahead".into() })
    } else {
        Ok(())
    }
}

pub fn is_commune_code(code: &str) -> bool {
    code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit())
}

/// 9 to 13 digits, written with spaces, + - . ( ) as people do.
pub fn is_phone_number(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    (9..=13).contains(&digits)
        && text.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'))
}

/// A free text of at most `max` characters with no control characters (line
/// breaks allowed when `multiline`): the rule every sealed note follows.
pub fn check_text(
    field: &'static str,
    text: &str,
    max: usize,
    required: bool,
    multiline: bool,
) -> Result<(), FieldProblem> {
    let mut p = Problems(Vec::new());
    p.text(field, text, max, required, multiline);
    p.0.into_iter().next().map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests;
