//! The case rules name what to fix in English sentences (for the API and the
//! logs); the pages say it in the reader's language. Each sentence the domain and
//! the case services can produce maps to a message key here; a test reads their
//! source to prove none is missed.

use super::super::context::PageContext;

/// (how the sentence starts, message key): longer beginnings before shorter ones
/// they start with.
const SENTENCES: [(&str, &str); 44] = [
    ("is link or dismiss", "duplicates-choose"),
    ("is required to close a case", "field-closure-reason"),
    ("is required", "field-required"),
    ("is in the future", "field-future"),
    ("is after the report", "field-after-report"),
    ("is after the day of the report", "field-born-after-report"),
    ("is more than 120 years ago", "field-too-old"),
    ("is more than 100 years ago", "field-incident-too-old"),
    ("is before the survivor's birth date", "field-incident-before-birth"),
    ("is over 200 characters", "field-search-too-long"),
    ("choose at least one form of violence", "field-choose-form"),
    ("choose one of", "field-choose"),
    ("choose from", "field-choose"),
    ("give the birth date or the age group", "field-birth-or-age"),
    ("must be a 5-digit commune code", "field-commune"),
    ("is not a known commune", "field-commune"),
    ("is not a commune in force on the day of the report", "field-commune-not-in-force"),
    ("is not a phone number", "field-phone"),
    ("is too long", "field-too-long"),
    ("contains control characters", "field-control"),
    ("for this survivor, consent is given by", "field-consent-giver"),
    ("must be after starts_at", "field-ends-after-start"),
    ("a no-contact order is ordered by", "field-no-contact-by"),
    ("a no-contact order needs its end", "field-no-contact-end"),
    ("a no-contact order lasts at most", "field-no-contact-limit"),
    ("a follow-up needs its date", "field-follow-up-date"),
    ("only a follow-up has a date", "field-note-no-date"),
    ("a closed case is not referred", "field-closed-no-referral"),
    ("is not an active registered service provider", "field-provider"),
    ("has an unknown service type", "field-provider"),
    ("is before 2000", "field-before-2000"),
    ("is before 1900", "field-before-1900"),
    ("is more than two years ahead", "field-too-far-ahead"),
    ("is in the past", "field-past"),
    ("is not a safe house", "field-safe-house"),
    ("the perpetrator lives in this commune", "field-near-perpetrator"),
    ("give each child's age group", "field-children"),
    ("at most 12 children", "field-children-many"),
    ("must be from 1 to 500 beds", "field-beds"),
    ("is not a commune in force", "field-commune-not-in-force"),
    ("is not in this province", "field-commune-province"),
    // The pages' own: a date or time that could not be read.
    ("is not a date", "field-date-format"),
    ("is not a number", "field-number"),
    ("is not one of your communes", "intake-commune-not-yours"),
];

/// Said of a field whose sentence is not known here (the test proves none is).
const UNKNOWN: &str = "field-check";

/// The message key of a rule's sentence.
pub fn message_key(sentence: &str) -> &'static str {
    SENTENCES.iter().find(|(start, _)| sentence.starts_with(start)).map_or(UNKNOWN, |(_, key)| *key)
}

/// The rule's sentence in the reader's language, with the number or the people it
/// names.
pub fn field_text(ctx: &PageContext, sentence: &str) -> String {
    match message_key(sentence) {
        key @ "field-too-long" => {
            let max: String = sentence.chars().filter(char::is_ascii_digit).collect();
            ctx.t1(key, "max", &max)
        }
        key @ "field-consent-giver" => {
            let codes = sentence.rsplit(": ").next().unwrap_or_default();
            let who: Vec<String> =
                codes.split(" and ").map(|code| ctx.label("consent-giver", code)).collect();
            ctx.t1(key, "who", &who.join(", "))
        }
        key => ctx.t(key),
    }
}

/// Every key this module can give (for the catalog's test).
pub fn field_message_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = SENTENCES.iter().map(|(_, key)| *key).collect();
    keys.push(UNKNOWN);
    keys
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::http::pages::Lang;

    /// The string literals of `text`, with `{…}` placeholders left out.
    fn literals(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c != '"' {
                continue;
            }
            let mut literal = String::new();
            let mut depth = 0;
            for c in chars.by_ref() {
                match c {
                    '"' => break,
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    c if depth == 0 => literal.push(c),
                    _ => {}
                }
            }
            found.push(literal);
        }
        found
    }

    /// The argument list that opens at `text[0]` (`(` or `{`), split at its top
    /// level commas.
    fn arguments(text: &str) -> Vec<&str> {
        let mut parts = Vec::new();
        let (mut depth, mut start, mut quoted) = (0, 1, false);
        for (at, c) in text.char_indices() {
            match c {
                '"' => quoted = !quoted,
                _ if quoted => {}
                '(' | '{' | '[' => depth += 1,
                ')' | '}' | ']' => {
                    depth -= 1;
                    if depth == 0 {
                        parts.push(&text[start..at]);
                        return parts;
                    }
                }
                ',' if depth == 1 => {
                    parts.push(&text[start..at]);
                    start = at + 1;
                }
                _ => {}
            }
        }
        parts
    }

    /// Every sentence the case rules write: the message argument of `p.add(…)` and
    /// `CaseError::invalid(…)`, and the `message:` of a `FieldProblem { … }`.
    fn sentences_in_source() -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        // Every file of the case and placement services (a new one is read without
        // being listed), the intake rules and the placement pages.
        let mut files: Vec<std::path::PathBuf> =
            ["src/domain/intake/mod.rs", "src/http/pages/cases/placements.rs"]
                .iter()
                .map(|f| root.join(f))
                .collect();
        let mut folders = vec![root.join("src/services/cases"), root.join("src/services/placements")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        let mut sentences = Vec::new();
        for file in files {
            let source = std::fs::read_to_string(&file).expect("source");
            for call in ["p.add(", "self.add(", "CaseError::invalid("] {
                for (at, _) in source.match_indices(call) {
                    let args = arguments(&source[at + call.len() - 1..]);
                    if let Some(message) = args.get(1) {
                        sentences.extend(literals(message));
                    }
                }
            }
            for (at, _) in source.match_indices("FieldProblem {") {
                for part in arguments(&source[at + "FieldProblem ".len()..]) {
                    if let Some(message) = part.trim().strip_prefix("message:") {
                        sentences.extend(literals(message));
                    }
                }
            }
        }
        sentences
    }

    #[test]
    fn every_sentence_of_the_case_rules_has_a_message_in_both_languages() {
        let sentences = sentences_in_source();
        assert!(sentences.len() > 20, "the source was read: {sentences:?}");
        for sentence in &sentences {
            assert_ne!(message_key(sentence), UNKNOWN, "no message for {sentence:?}");
        }
        for lang in Lang::ALL {
            let ctx = PageContext::new(lang, "/cases/new");
            for sentence in &sentences {
                let text = field_text(&ctx, sentence);
                assert!(!text.starts_with("field-"), "{lang:?}: {sentence:?} gives {text}");
            }
        }
    }

    #[test]
    fn every_problem_of_a_bad_intake_reads_in_vietnamese() {
        use crate::domain::intake::{IntakeDraft, validate};
        let now = chrono::Utc::now();
        let mut draft = IntakeDraft::default();
        draft.survivor.phone = "call me".into();
        draft.survivor.full_name = "x".repeat(300);
        draft.reported_at = Some(now + chrono::Duration::days(2));
        draft.survivor.birth_date = Some(chrono::NaiveDate::from_ymd_opt(1890, 1, 1).expect("day"));
        draft.incident.narrative = "a\u{7}".into();
        let problems = validate(&draft, now).expect_err("refused");
        let ctx = PageContext::new(Lang::Vi, "/cases/new");
        for problem in problems {
            assert_ne!(message_key(&problem.message), UNKNOWN, "{problem:?}");
            let text = field_text(&ctx, &problem.message);
            assert!(!text.is_empty() && !text.contains("field-"), "{problem:?}: {text}");
        }
        assert_eq!(field_text(&ctx, "is too long: at most 200 characters"), "Quá dài: tối đa 200 ký tự.");
        assert_eq!(
            field_text(&ctx, "for this survivor, consent is given by: guardian and child"),
            "Với người bị bạo lực này, người đồng ý phải là: Người giám hộ, Trẻ em (từ 7 tuổi)."
        );
    }
}
