//! docs/SECURITY.md, the OWASP ASVS 5.0 matrix (issue 17), read as data: every
//! requirement row has a known status, a `verified` row names tests that exist,
//! a row that is not verified says why, no requirement appears twice, and the
//! counts in the document's head are the table's. No database is needed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const STATUSES: [&str; 3] = ["verified", "not applicable", "not yet"];

/// The requirements of `../shared/ASVS-CHECKLIST.md` that apply (L1, L2 and nine
/// chosen L3): the M of "N of M verified". Rows marked `(extra)` are not counted.
const APPLICABLE: usize = 174;
const TARGET: usize = 150;

/// The head's lines that give the counts, as `| label | number |`.
const HEAD_APPLICABLE: &str = "Applicable requirements of the checklist";
const HEAD_VERIFIED: &str = "Verified by a named test";
const HEAD_NOT_YET: &str = "Not yet";
const HEAD_NOT_APPLICABLE: &str = "Not applicable";
const HEAD_EXTRAS: &str = "Applicable extras (not counted)";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn document() -> String {
    let path = root().join("docs/SECURITY.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Debug)]
struct Row {
    line: usize,
    id: String,
    level: String,
    status: String,
    verified_by: String,
    notes: String,
}

impl Row {
    fn extra(&self) -> bool {
        self.level.contains("(extra)")
    }

    /// The references in backticks of the "Verified by" cell.
    fn references(&self) -> Vec<String> {
        self.verified_by
            .split('`')
            .skip(1)
            .step_by(2)
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect()
    }

    fn has_reason(&self) -> bool {
        let notes = self.notes.trim().trim_matches(['…', '-', '—', '.', ' ']);
        notes.chars().filter(|c| c.is_alphabetic()).count() >= 10
    }
}

/// `n.n.n`, the shape of an ASVS requirement's id.
fn is_requirement_id(cell: &str) -> bool {
    let parts: Vec<&str> = cell.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

fn rows(text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if !line.trim_start().starts_with('|') {
            continue;
        }
        let cells = cells(line);
        if cells.is_empty() || !is_requirement_id(&cells[0]) {
            continue;
        }
        let cell = |n: usize| cells.get(n).cloned().unwrap_or_default();
        rows.push(Row {
            line: i + 1,
            id: cell(0),
            level: cell(1),
            status: cell(3),
            verified_by: cell(4),
            notes: cell(5),
        });
    }
    rows
}

/// The number on the head's line `| label | n |`.
fn head_count(text: &str, label: &str) -> Option<usize> {
    text.lines().filter(|l| l.trim_start().starts_with('|')).map(cells).find_map(|c| {
        (c.len() >= 2 && c[0].trim_matches('*') == label)
            .then(|| c[1].trim_matches('*').parse().ok())
            .flatten()
    })
}

/// Why a reference does not name an existing test, or None when it does.
fn check_reference(reference: &str) -> Option<String> {
    let Some((path, name)) = reference.split_once("::") else {
        return Some(format!("`{reference}` is not `path::name`"));
    };
    let (path, name) = (path.trim(), name.trim());
    if path.contains("..") || Path::new(path).is_absolute() {
        return Some(format!("`{reference}`: the path must be a file of the repository"));
    }
    let file = root().join(path);
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Some(format!("`{reference}`: there is no file {path}"));
    };
    let found = if path.ends_with(".rs") {
        text.contains(&format!("fn {name}("))
    } else if path.ends_with(".mjs") {
        ['\'', '"', '`'].iter().any(|q| text.contains(&format!("{q}{name}{q}")))
    } else if path.starts_with("policies/tests/") {
        text.contains(&format!("\"{name}\""))
    } else if path.starts_with("scripts/") {
        text.contains(name)
    } else {
        return Some(format!(
            "`{reference}`: not a test file (tests/, src/, benches/, policies/tests/, scripts/)"
        ));
    };
    let kind = if path.ends_with(".rs") { format!("fn {name}(") } else { format!("\"{name}\"") };
    (!found).then(|| format!("`{reference}`: {path} has no {kind}"))
}

fn fail_on(problems: Vec<String>, what: &str) {
    assert!(problems.is_empty(), "docs/SECURITY.md: {} {what}:\n  {}", problems.len(), problems.join("\n  "));
}

#[test]
fn every_named_test_exists() {
    let text = document();
    let rows = rows(&text);
    assert!(!rows.is_empty(), "docs/SECURITY.md has no requirement rows");
    let mut problems = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &rows {
        if let Some(first) = seen.insert(&row.id, row.line) {
            problems.push(format!("line {}: {} appears twice (first on line {first})", row.line, row.id));
        }
        if !STATUSES.contains(&row.status.as_str()) {
            problems.push(format!(
                "line {}: {} has the status {:?}, not one of {STATUSES:?}",
                row.line, row.id, row.status
            ));
        }
        let references = row.references();
        if row.status == "verified" && references.is_empty() {
            problems.push(format!("line {}: {} is verified but names no test", row.line, row.id));
        }
        for reference in references {
            if let Some(problem) = check_reference(&reference) {
                problems.push(format!("line {}: {}: {problem}", row.line, row.id));
            }
        }
    }
    fail_on(problems, "problems with the named tests");
}

#[test]
fn every_requirement_not_verified_says_why() {
    let text = document();
    let problems: Vec<String> = rows(&text)
        .iter()
        .filter(|r| r.status != "verified" && !r.has_reason())
        .map(|r| format!("line {}: {} is {:?} without a reason in Notes", r.line, r.id, r.status))
        .collect();
    fail_on(problems, "rows without a reason");
}

#[test]
fn at_least_150_of_the_174_applicable_requirements_are_verified() {
    let text = document();
    let rows = rows(&text);
    let counted: Vec<&Row> = rows.iter().filter(|r| !r.extra()).collect();
    let count = |status: &str| counted.iter().filter(|r| r.status == status).count();
    let (verified, not_yet, not_applicable) = (count("verified"), count("not yet"), count("not applicable"));
    let extras = rows.iter().filter(|r| r.extra() && r.status != "not applicable").count();

    let mut problems = Vec::new();
    if verified + not_yet != APPLICABLE {
        problems.push(format!(
            "{} applicable rows of the checklist (verified {verified} + not yet {not_yet}), the checklist has {APPLICABLE}",
            verified + not_yet
        ));
    }
    if verified < TARGET {
        problems.push(format!("{verified} verified, the target is at least {TARGET} of {APPLICABLE}"));
    }
    for (label, table) in [
        (HEAD_APPLICABLE, verified + not_yet),
        (HEAD_VERIFIED, verified),
        (HEAD_NOT_YET, not_yet),
        (HEAD_NOT_APPLICABLE, not_applicable),
        (HEAD_EXTRAS, extras),
    ] {
        match head_count(&text, label) {
            Some(head) if head == table => {}
            Some(head) => problems.push(format!("the head says {label}: {head}, the tables count {table}")),
            None => {
                problems.push(format!("the head has no line `| {label} | N |` (the tables count {table})"))
            }
        }
    }
    fail_on(problems, "problems with the counts");
}

#[test]
fn the_parser_reads_a_row_its_references_and_its_reason() {
    let text = "| ASVS | Level | Requirement | Status | Verified by | Notes |\n\
                |---|---|---|---|---|---|\n\
                | 6.2.1 | L1 | Minimum length | verified | `a.rs::x`<br>`b.mjs::y z` | fine |\n\
                | 6.5.2 | L2 (extra) | Hash codes | not yet | | |\n\
                | Count | 3 |\n";
    let rows = rows(text);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].references(), ["a.rs::x", "b.mjs::y z"]);
    assert!(!rows[0].extra() && rows[1].extra());
    assert!(!rows[1].has_reason(), "an empty Notes cell is no reason");
    assert_eq!(head_count(text, "Count"), Some(3));
    assert!(check_reference("tests/it/security_matrix.rs::every_named_test_exists").is_none());
    assert!(check_reference("tests/it/security_matrix.rs::no_such_test").is_some());
    assert!(check_reference("tests/it/no_such_file.rs::x").is_some());
}
