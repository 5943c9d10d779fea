//! The intake in steps (journey 1): the person and the report first (with what
//! matters now), then the incident, the perpetrator, safety and consent, and a
//! review. Each rule's problem belongs to the step where its field is filled in,
//! so moving forward checks only the step being left.

use super::FieldProblem;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IntakeStep {
    /// What matters now, the report, the survivor (with the duplicate check).
    Person,
    Incident,
    Perpetrator,
    /// The safe-contact note, the risk checklist, the consents given now.
    Safety,
    Review,
}

impl IntakeStep {
    pub const ALL: [IntakeStep; 5] = [
        IntakeStep::Person,
        IntakeStep::Incident,
        IntakeStep::Perpetrator,
        IntakeStep::Safety,
        IntakeStep::Review,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IntakeStep::Person => "person",
            IntakeStep::Incident => "incident",
            IntakeStep::Perpetrator => "perpetrator",
            IntakeStep::Safety => "safety",
            IntakeStep::Review => "review",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// 1 to 5.
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    pub fn next(self) -> Option<Self> {
        Self::ALL.get(self.number()).copied()
    }

    pub fn previous(self) -> Option<Self> {
        self.number().checked_sub(2).and_then(|i| Self::ALL.get(i).copied())
    }

    /// The step where a field (as the rules name it) is filled in.
    pub fn of_field(field: &str) -> Self {
        match field.split('.').next().unwrap_or(field) {
            _ if field == "survivor.safe_contact" => IntakeStep::Safety,
            "incident" => IntakeStep::Incident,
            "perpetrator" => IntakeStep::Perpetrator,
            "risk_factors" | "consents" => IntakeStep::Safety,
            _ => IntakeStep::Person,
        }
    }

    /// The problems of this step's fields, in the order found.
    pub fn problems(self, problems: &[FieldProblem]) -> Vec<FieldProblem> {
        problems.iter().filter(|p| Self::of_field(p.field) == self).cloned().collect()
    }

    /// The first step with a problem, where a refused save sends the person.
    pub fn first_with(problems: &[FieldProblem]) -> Option<Self> {
        problems.iter().map(|p| Self::of_field(p.field)).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(field: &'static str) -> FieldProblem {
        FieldProblem { field, message: "is required".into() }
    }

    #[test]
    fn every_field_of_the_rules_belongs_to_the_step_where_it_is_typed() {
        for (field, step) in [
            ("report_source", IntakeStep::Person),
            ("reported_at", IntakeStep::Person),
            ("commune_code", IntakeStep::Person),
            ("survivor.full_name", IntakeStep::Person),
            ("survivor.age_group", IntakeStep::Person),
            ("survivor.guardian_phone", IntakeStep::Person),
            ("incident.forms", IntakeStep::Incident),
            ("incident.occurred_on", IntakeStep::Incident),
            ("perpetrator.relationship", IntakeStep::Perpetrator),
            ("perpetrator.commune_code", IntakeStep::Perpetrator),
            ("survivor.safe_contact", IntakeStep::Safety),
            ("risk_factors", IntakeStep::Safety),
            ("consents", IntakeStep::Safety),
        ] {
            assert_eq!(IntakeStep::of_field(field), step, "{field}");
        }
    }

    #[test]
    fn a_step_sees_only_its_own_problems_and_a_save_goes_to_the_first_step_with_one() {
        let all = vec![problem("perpetrator.relationship"), problem("incident.forms"), problem("consents")];
        assert_eq!(IntakeStep::Incident.problems(&all), vec![problem("incident.forms")]);
        assert!(IntakeStep::Person.problems(&all).is_empty());
        assert_eq!(IntakeStep::first_with(&all), Some(IntakeStep::Incident));
        assert_eq!(IntakeStep::first_with(&[]), None);
    }

    #[test]
    fn the_steps_run_in_order_from_the_person_to_the_review() {
        assert_eq!(IntakeStep::Person.previous(), None);
        assert_eq!(IntakeStep::Person.next(), Some(IntakeStep::Incident));
        assert_eq!(IntakeStep::Safety.next(), Some(IntakeStep::Review));
        assert_eq!(IntakeStep::Review.next(), None);
        assert_eq!(IntakeStep::Review.previous(), Some(IntakeStep::Safety));
        for step in IntakeStep::ALL {
            assert_eq!(IntakeStep::parse(step.as_str()), Some(step));
        }
        assert_eq!(IntakeStep::parse("elsewhere"), None);
    }
}
