//! The report a case starts from: who she is, what happened, who did it, who
//! reported it, as a worker types it into the intake form.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use super::names;
use super::random::Rng;
use super::stories::{self, CHILD_REPORTS, REPORTS, Story, Survivor};
use crate::domain::deadlines::vietnam;
use crate::domain::intake::{IncidentDraft, IntakeDraft, PerpetratorDraft, SurvivorDraft};

/// A report with what the rest of the case needs to know of it.
pub struct Report {
    pub draft: IntakeDraft,
    pub story: &'static Story,
    pub birth_date: NaiveDate,
}

/// Who the survivor is: mostly women of 25–59, some younger and older, about one
/// case in seven a child.
pub fn survivor_kind(rng: &mut Rng) -> Survivor {
    rng.weighted(&[(75, Survivor::Woman), (10, Survivor::Elder), (15, Survivor::Child)])
}

pub fn report(rng: &mut Rng, kind: Survivor, commune: &str, reported_at: DateTime<Utc>) -> Report {
    let story = stories::story_for(rng, kind);
    let day = reported_at.with_timezone(&vietnam()).date_naive();
    let age = match kind {
        Survivor::Woman if rng.chance(0.17) => rng.range(18, 25),
        Survivor::Woman => rng.range(25, 60),
        Survivor::Elder => rng.range(60, 86),
        Survivor::Child => {
            let (lo, hi) = rng.weighted(&[(10, (2, 6)), (35, (6, 12)), (55, (12, 16))]);
            rng.range(lo, hi)
        }
    };
    let birth_date = birth_before(rng, day, age);
    let female = match kind {
        Survivor::Woman => true,
        Survivor::Elder => rng.chance(0.85),
        Survivor::Child => rng.chance(0.75),
    };
    let family = names::family(rng);
    let (full_name, guardian_name, guardian_phone) = match kind {
        Survivor::Child => (names::child(rng, family, female), names::woman(rng), names::phone(rng)),
        _ if female => (names::woman(rng), String::new(), String::new()),
        _ => (names::man_of(rng, family), String::new(), String::new()),
    };
    let relationship = rng.pick(story.relationships);
    let perpetrator = match (kind, story.perpetrator_male) {
        (Survivor::Child, true) if matches!(relationship, "parent") => names::man_of(rng, family),
        (_, true) => names::man(rng),
        (_, false) => names::woman(rng),
    };
    let (source, channel) = rng.weighted(if kind == Survivor::Child { CHILD_REPORTS } else { REPORTS });
    let occurred_on = day - Duration::days(rng.range(0, 4));
    let k = rng.range(1, story.acts.len() as i64 + 1) as usize;
    let acts = rng.some_of(story.acts, k);
    let draft = IntakeDraft {
        report_source: source.into(),
        report_channel: channel.into(),
        reported_at: Some(reported_at),
        commune_code: commune.into(),
        immediate_danger: rng.chance(0.2),
        risk_factors: Vec::new(),
        consents: Vec::new(),
        survivor: SurvivorDraft {
            full_name,
            sex: if female { "female" } else { "male" }.into(),
            birth_date: Some(birth_date),
            age_group: String::new(),
            phone: if kind == Survivor::Child { String::new() } else { names::phone(rng) },
            has_disability: rng.chance(0.05),
            id_number: String::new(),
            address: names::address(rng),
            guardian_name,
            guardian_phone,
            safe_contact: if rng.chance(0.6) {
                (rng.pick(stories::safe_contacts(kind))).into()
            } else {
                String::new()
            },
        },
        incident: IncidentDraft {
            occurred_on: Some(occurred_on),
            forms: story
                .forms
                .iter()
                .chain(story.often_also.iter().filter(|_| rng.chance(0.5)))
                .map(|f| f.to_string())
                .collect(),
            acts: acts.iter().map(|a| a.to_string()).collect(),
            gbv_type: story.gbv_type.into(),
            gbv_context: story.context.into(),
            narrative: (rng.pick(story.narratives)).into(),
            place: (rng.pick(story.places)).into(),
        },
        perpetrator: PerpetratorDraft {
            full_name: perpetrator,
            sex: if story.perpetrator_male { "male" } else { "female" }.into(),
            relationship: relationship.into(),
            commune_code: if rng.chance(0.8) { commune.into() } else { String::new() },
        },
    };
    Report { draft, story, birth_date }
}

/// A birth date that makes her `age` on `day`.
fn birth_before(rng: &mut Rng, day: NaiveDate, age: i64) -> NaiveDate {
    let year = day.year() - age as i32;
    let on_birthday = NaiveDate::from_ymd_opt(year, day.month(), day.day().min(28)).unwrap_or(day);
    on_birthday - Duration::days(rng.range(1, 360))
}
