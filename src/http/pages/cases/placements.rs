//! A case's placements on its page (design §9): what was asked of which house and
//! where it stands ("hold expired" included), the house's address once it
//! accepted, a cancel button while it is requested or held, and the request form
//! (house from the availability board, alias, the children by age group, needs,
//! expected end, and the reason to go near the perpetrator when the rules ask).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::Posted;
use super::form::{FieldText, Fields, focus_first_error};
use super::time::parse_date;
use super::views::PlacementSection;
use crate::domain::intake::{FieldProblem, MAX_NOTE_CHARS};
use crate::http::pages::PageContext;
use crate::http::pages::placements::house_lines;
use crate::http::pages::placements::views::PlacementLine;
use crate::services::cases::access::CaseError;
use crate::services::placements::PlacementView;
use crate::services::placements::boards::HouseAvailability;
use crate::services::placements::request::{MAX_ALIAS_CHARS, PlacementRequest};

/// The children's age groups, one number field each: (field, age group code).
const CHILD_FIELDS: [(&str, &str); 4] = [
    ("children.0-5", "0-5"),
    ("children.6-11", "6-11"),
    ("children.12-15", "12-15"),
    ("children.16-17", "16-17"),
];

/// At most this many children of one age group in one request.
const MAX_CHILDREN: usize = 12;

/// The request as typed on the form; a count or a date that cannot be read is
/// refused with the field it is in.
pub fn request_of(p: &Posted) -> Result<PlacementRequest, CaseError> {
    let mut problems = Vec::new();
    let mut children = Vec::new();
    for (field, group) in CHILD_FIELDS {
        match p.one(field) {
            text if text.is_empty() => {}
            text => match text.parse::<usize>() {
                Ok(n) if n <= MAX_CHILDREN => children.extend(std::iter::repeat_n(group.to_string(), n)),
                _ => problems.push(FieldProblem { field, message: "is not a number of children".into() }),
            },
        }
    }
    let expected_end_on: Option<NaiveDate> = parse_date(&p.one("expected_end_on")).unwrap_or_else(|()| {
        problems.push(FieldProblem { field: "expected_end_on", message: "is not a date".into() });
        None
    });
    if !problems.is_empty() {
        return Err(CaseError::Invalid(problems));
    }
    Ok(PlacementRequest {
        safe_house_id: p.one("safe_house_id"),
        alias: p.one("alias"),
        children,
        needs: p.optional("needs"),
        expected_end_on,
        near_perpetrator_reason: p.optional("near_perpetrator_reason"),
    })
}

/// The field a rule's problem is shown at: the children's problems at the first
/// child field.
pub fn field_of(field: &str) -> &str {
    if field == "children" { CHILD_FIELDS[0].0 } else { field }
}

/// The placements section of the case page.
pub fn section(
    ctx: &PageContext,
    views: &[PlacementView],
    houses: &[HouseAvailability],
    names: &HashMap<String, String>,
    (posted, errors): (&Posted, &[FieldText]),
    may_request: bool,
) -> PlacementSection {
    let f = Fields { ctx, posted, errors, prefix: "placement-" };
    let choices = house_lines(ctx, houses, names)
        .into_iter()
        .map(|h| (h.id, format!("{} — {}: {}", h.name, h.commune, h.free_of)))
        .collect();
    let mut fields = vec![
        f.select("safe_house_id", ctx.t("placement-house"), choices, true).required(),
        f.text("alias", ctx.t("placement-alias"))
            .required()
            .max(MAX_ALIAS_CHARS)
            .with_hint(ctx.t("placement-alias-hint")),
    ];
    fields.extend(CHILD_FIELDS.iter().map(|(field, group)| {
        f.number(field, ctx.t1("placement-children-of", "group", &ctx.label("age-group", group)))
    }));
    fields.push(f.area("needs", ctx.t("placement-needs")).max(MAX_NOTE_CHARS));
    fields.push(f.date("expected_end_on", ctx.t("placement-expected-end")));
    // Asked for only when the rules say the house is where the perpetrator lives.
    let near = "near_perpetrator_reason";
    if errors.iter().any(|e| e.field == near) || !posted.one(near).is_empty() {
        fields.push(
            f.area(near, ctx.t("placement-near-reason"))
                .required()
                .max(MAX_NOTE_CHARS)
                .with_hint(ctx.t("placement-near-reason-hint")),
        );
    }
    focus_first_error(fields.iter_mut());
    PlacementSection {
        lines: views.iter().map(|v| PlacementLine::new(ctx, v)).collect(),
        fields,
        may_request,
    }
}
