use chrono::TimeZone;
use proptest::prelude::*;

use super::*;
use crate::domain::risk::RiskFactor;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 14, 40, 0).unwrap()
}

/// Journey 1: a woman and her 9-year-old son at a neighbour's, 21:40.
fn journey_one() -> IntakeDraft {
    IntakeDraft {
        report_source: "village_head".into(),
        report_channel: "phone".into(),
        reported_at: Some(now() - Duration::minutes(10)),
        commune_code: "18073".into(),
        immediate_danger: true,
        risk_factors: vec!["threats_to_kill".into(), "children_at_risk".into()],
        consents: Vec::new(),
        survivor: SurvivorDraft {
            full_name: "Nguyễn Thị Hoa".into(),
            sex: "female".into(),
            birth_date: NaiveDate::from_ymd_opt(1990, 3, 14),
            phone: "+84 912 345 678".into(),
            ..SurvivorDraft::default()
        },
        incident: IncidentDraft {
            occurred_on: NaiveDate::from_ymd_opt(2026, 11, 20),
            forms: vec!["physical".into(), "mental".into()],
            acts: vec!["harm_health_life".into()],
            gbv_type: "physical_assault".into(),
            gbv_context: "intimate_partner".into(),
            narrative: "Bị chồng đánh.\nĐe dọa giết nếu bỏ đi.".into(),
            ..IncidentDraft::default()
        },
        perpetrator: PerpetratorDraft {
            sex: "male".into(),
            relationship: "spouse".into(),
            ..PerpetratorDraft::default()
        },
    }
}

fn fields(problems: &[FieldProblem]) -> Vec<&'static str> {
    problems.iter().map(|p| p.field).collect()
}

#[test]
fn the_night_call_of_journey_one_is_a_valid_intake() {
    let valid = validate(&journey_one(), now()).unwrap();
    assert_eq!(valid.age_group, AgeGroup::From25To59);
    assert!(!valid.is_child);
    assert_eq!(valid.forms, [FormOfViolence::Physical, FormOfViolence::Mental]);
}

#[test]
fn an_empty_form_names_every_required_field() {
    let problems = validate(&IntakeDraft::default(), now()).unwrap_err();
    assert_eq!(
        fields(&problems),
        [
            "report_source",
            "report_channel",
            "reported_at",
            "commune_code",
            "survivor.full_name",
            "survivor.sex",
            "survivor.age_group",
            "incident.forms",
            "perpetrator.relationship"
        ]
    );
}

#[test]
fn dates_in_the_future_are_refused() {
    let mut draft = journey_one();
    draft.reported_at = Some(now() + Duration::hours(2));
    draft.survivor.birth_date = NaiveDate::from_ymd_opt(2027, 1, 1);
    draft.incident.occurred_on = NaiveDate::from_ymd_opt(2027, 1, 1);
    let problems = validate(&draft, now()).unwrap_err();
    assert_eq!(fields(&problems), ["reported_at", "survivor.birth_date", "incident.occurred_on"]);
}

#[test]
fn a_child_is_a_child_by_her_age_whatever_the_form_says() {
    let mut draft = journey_one();
    draft.survivor.birth_date = NaiveDate::from_ymd_opt(2014, 5, 2);
    let valid = validate(&draft, now()).unwrap();
    assert_eq!(valid.age_group, AgeGroup::From12To15);
    assert!(valid.is_child);
}

#[test]
fn an_age_group_stands_in_for_an_unknown_birth_date() {
    let mut draft = journey_one();
    draft.survivor.birth_date = None;
    draft.survivor.age_group = "6-11".into();
    assert_eq!(validate(&draft, now()).unwrap().age_group, AgeGroup::From6To11);
}

#[test]
fn a_megabyte_of_story_is_refused_by_name_and_size() {
    let mut draft = journey_one();
    draft.incident.narrative = "a".repeat(1 << 20);
    let problems = validate(&draft, now()).unwrap_err();
    assert_eq!(
        problems,
        [FieldProblem {
            field: "incident.narrative",
            message: "is too long: at most 20000 characters".into()
        }]
    );
}

#[test]
fn unknown_codes_list_the_allowed_ones() {
    let mut draft = journey_one();
    draft.incident.forms.push("verbal".into());
    let problems = validate(&draft, now()).unwrap_err();
    assert_eq!(fields(&problems), ["incident.forms"]);
    assert!(problems[0].message.contains("physical, mental, sexual, economic"));
}

#[test]
fn a_phone_must_look_like_one() {
    let mut draft = journey_one();
    draft.survivor.phone = "call her sister".into();
    assert_eq!(fields(&validate(&draft, now()).unwrap_err()), ["survivor.phone"]);
}

#[test]
fn control_characters_are_refused_in_names_but_lines_are_kept_in_the_story() {
    let mut draft = journey_one();
    draft.survivor.full_name = "Hoa\u{0}".into();
    assert_eq!(fields(&validate(&draft, now()).unwrap_err()), ["survivor.full_name"]);
}

proptest! {
    /// Whatever is typed, validation answers (never panics) and names only fields
    /// of the form.
    #[test]
    fn any_input_gets_an_answer_naming_known_fields(
        source in ".{0,20}", sex in ".{0,10}", name in ".{0,300}", phone in ".{0,20}",
        forms in prop::collection::vec(".{0,12}", 0..4), narrative in ".{0,100}", days in -400i64..400
    ) {
        let mut draft = journey_one();
        draft.report_source = source;
        draft.survivor.sex = sex;
        draft.survivor.full_name = name;
        draft.survivor.phone = phone;
        draft.incident.forms = forms;
        draft.incident.narrative = narrative;
        draft.reported_at = Some(now() + Duration::days(days));
        const KNOWN: [&str; 13] = ["report_source", "reported_at", "survivor.sex", "survivor.full_name",
            "survivor.phone", "incident.forms", "incident.narrative", "incident.occurred_on",
            "report_channel", "commune_code", "survivor.age_group", "survivor.birth_date", "perpetrator.relationship"];
        if let Err(problems) = validate(&draft, now()) {
            for problem in problems {
                prop_assert!(KNOWN.contains(&problem.field), "{}", problem.field);
            }
        }
    }
}

#[test]
fn risk_factors_known_at_intake_are_read_once_each_and_unknown_ones_named() {
    let valid = validate(&journey_one(), now()).unwrap();
    assert_eq!(
        valid.risk_factors,
        vec![RiskFactor::ImmediateDanger, RiskFactor::ThreatsToKill, RiskFactor::ChildrenAtRisk]
    );
    let mut draft = journey_one();
    draft.risk_factors.push("moon".into());
    let problems = validate(&draft, now()).unwrap_err();
    assert_eq!(problems.iter().map(|p| p.field).collect::<Vec<_>>(), vec!["risk_factors"]);
}

#[test]
fn a_corrected_birth_date_gives_the_age_group_on_the_day_of_the_report() {
    // Reported in November 2025, corrected a year later: she was 15 then.
    let mut draft = journey_one();
    draft.reported_at = Some(Utc.with_ymd_and_hms(2025, 11, 20, 2, 0, 0).unwrap());
    draft.incident.occurred_on = NaiveDate::from_ymd_opt(2025, 11, 19);
    draft.survivor.birth_date = NaiveDate::from_ymd_opt(2010, 1, 5);
    let valid = validate(&draft, now()).expect("valid");
    assert_eq!((valid.age_group.as_str(), valid.is_child), (AgeGroup::of_age(15).as_str(), true));
}

#[test]
fn a_birth_date_after_the_day_of_the_report_is_refused() {
    let mut draft = journey_one();
    draft.reported_at = Some(Utc.with_ymd_and_hms(2025, 11, 20, 2, 0, 0).unwrap());
    draft.incident.occurred_on = NaiveDate::from_ymd_opt(2025, 11, 19);
    draft.survivor.birth_date = NaiveDate::from_ymd_opt(2025, 12, 1);
    let problems = validate(&draft, now()).unwrap_err();
    assert!(problems.iter().any(|p| p.field == "survivor.birth_date"), "{problems:?}");
}

proptest! {
    /// Issue 15 item 1: whatever else is ticked, an intake in immediate danger is
    /// assessed high or severe, never low or medium.
    #[test]
    fn an_intake_in_immediate_danger_is_never_below_high(
        picks in prop::collection::vec(0usize..RiskFactor::ALL.len(), 0..8)
    ) {
        let mut draft = journey_one();
        draft.immediate_danger = true;
        draft.risk_factors = picks.iter().map(|i| RiskFactor::ALL[*i].as_str().to_string()).collect();
        let valid = validate(&draft, now()).unwrap();
        prop_assert!(valid.immediate_danger);
        prop_assert!(crate::domain::risk::assess(&valid.risk_factors) >= crate::domain::risk::RiskLevel::High);
    }
}

#[test]
fn the_danger_box_alone_is_a_factor_of_the_first_assessment() {
    let mut draft = journey_one();
    draft.risk_factors = vec!["children_at_risk".into()];
    let valid = validate(&draft, now()).unwrap();
    assert_eq!(valid.risk_factors, vec![RiskFactor::ImmediateDanger, RiskFactor::ChildrenAtRisk]);
    draft.immediate_danger = false;
    draft.risk_factors = vec!["immediate_danger".into()];
    assert!(validate(&draft, now()).unwrap().immediate_danger);
}

#[test]
fn consents_given_at_intake_are_read_once_each_by_whom_the_survivor_needs() {
    let mut draft = journey_one();
    let given =
        |purpose: &str, given_by: &str| ConsentDraft { purpose: purpose.into(), given_by: given_by.into() };
    draft.consents = vec![
        given("placement", "survivor"),
        given("share_health", "survivor"),
        given("placement", "survivor"),
    ];
    let valid = validate(&draft, now()).unwrap();
    assert_eq!(
        valid.consents,
        [
            (ConsentPurpose::Placement, ConsentGiver::Survivor),
            (ConsentPurpose::ShareHealth, ConsentGiver::Survivor)
        ]
    );

    // An adult's guardian does not consent for her; a purpose must be one of the list.
    draft.consents =
        vec![given("placement", "guardian"), given("holiday", "survivor"), given("placement", "")];
    let problems = validate(&draft, now()).unwrap_err();
    assert_eq!(fields(&problems), ["consents", "consents", "consents"]);
    assert!(problems[0].message.starts_with("for this survivor, consent is given by: survivor"));
}

#[test]
fn a_survivor_under_sixteen_on_the_day_of_the_report_is_a_child_by_birth_date_or_age_group() {
    let mut draft = journey_one();
    assert!(!survivor_is_child(&draft, now()));
    draft.survivor.birth_date = NaiveDate::from_ymd_opt(2011, 11, 21);
    assert!(survivor_is_child(&draft, now()), "fifteen on the day of the report");
    draft.survivor.birth_date = NaiveDate::from_ymd_opt(2010, 11, 20);
    assert!(!survivor_is_child(&draft, now()), "sixteen that day");
    draft.survivor.birth_date = None;
    draft.survivor.age_group = "12-15".into();
    assert!(survivor_is_child(&draft, now()));
    draft.survivor.age_group = "16-17".into();
    assert!(!survivor_is_child(&draft, now()));
}

#[test]
fn an_incident_before_the_birth_or_over_100_years_ago_is_refused() {
    let mut draft = journey_one();
    draft.incident.occurred_on = NaiveDate::from_ymd_opt(1990, 3, 13);
    let problems = validate(&draft, now()).unwrap_err();
    assert_eq!(fields(&problems), ["incident.occurred_on"]);
    assert_eq!(problems[0].message, "is before the survivor's birth date");

    draft.incident.occurred_on = NaiveDate::from_ymd_opt(1990, 3, 14);
    assert!(validate(&draft, now()).is_ok(), "on the day of her birth");

    draft.survivor.birth_date = None;
    draft.survivor.age_group = "60+".into();
    draft.incident.occurred_on = NaiveDate::from_ymd_opt(1926, 11, 19);
    let problems = validate(&draft, now()).unwrap_err();
    assert_eq!(
        (fields(&problems), problems[0].message.as_str()),
        (vec!["incident.occurred_on"], "is more than 100 years ago")
    );
    draft.incident.occurred_on = NaiveDate::from_ymd_opt(1926, 11, 20);
    assert!(validate(&draft, now()).is_ok(), "100 years to the day");
}

proptest! {
    /// Whatever the two dates, an incident the rules accept is on or after an
    /// accepted birth date and at most 100 years back.
    #[test]
    fn an_accepted_incident_is_never_before_the_birth_nor_a_century_back(birth in 0i64..50_000, occurred in 0i64..50_000) {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let mut draft = journey_one();
        draft.survivor.birth_date = Some(today - Duration::days(birth));
        draft.incident.occurred_on = Some(today - Duration::days(occurred));
        if let Ok(valid) = validate(&draft, now()) {
            let day = valid.occurred_on.unwrap();
            prop_assert!(day >= today - Duration::days(birth));
            prop_assert!(day >= NaiveDate::from_ymd_opt(1926, 11, 20).unwrap());
        }
    }
}
