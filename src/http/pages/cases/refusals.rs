//! What a refused piece of case work says on the page it was asked from: the
//! status of the answer and a sentence in the reader's language naming what can be
//! done instead (the allowed steps, who must consent, what keeps a case open).

use actix_web::http::StatusCode;

use super::super::context::PageContext;
use super::field_text;
use crate::domain::lifecycle::CaseStatus;
use crate::domain::placement::BedsRefused;
use crate::services::cases::access::CaseError;

/// The status and the sentences of a refusal the page explains; `None` for those
/// it cannot (not found, forbidden, the system failing).
pub fn explain(ctx: &PageContext, error: &CaseError) -> Option<(StatusCode, String, Vec<String>)> {
    let conflict = |text: String| Some((StatusCode::CONFLICT, text, Vec::new()));
    match error {
        CaseError::Invalid(problems) => Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.t("form-has-errors"),
            problems.iter().map(|p| field_text(ctx, &p.message)).collect(),
        )),
        CaseError::Stale { .. } => conflict(ctx.t("case-stale")),
        CaseError::Transition(t) => conflict(ctx.t_with(
            "case-refused-transition",
            &[
                ("from", &ctx.label("status", t.from.as_str())),
                ("to", &ctx.label("status", t.to.as_str())),
                ("allowed", &steps(ctx, t.allowed)),
            ],
        )),
        CaseError::ReferralStep(r) => {
            let allowed: Vec<String> =
                r.allowed.iter().map(|s| ctx.label("referral-status", s.as_str())).collect();
            conflict(ctx.t_with(
                "case-refused-referral-step",
                &[("from", &ctx.label("referral-status", r.from.as_str())), ("allowed", &allowed.join(", "))],
            ))
        }
        CaseError::ConsentMissing { purpose, missing } => {
            let who: Vec<String> = missing.iter().map(|g| ctx.label("consent-giver", g.as_str())).collect();
            conflict(ctx.t_with(
                "case-consent-missing",
                &[("purpose", &ctx.label("consent-purpose", purpose.as_str())), ("who", &who.join(", "))],
            ))
        }
        CaseError::ClosureBlocked(b) => conflict(ctx.t_with(
            "case-closure-blocked",
            &[("referrals", &b.open_referrals.to_string()), ("placements", &b.active_placements.to_string())],
        )),
        CaseError::AlreadyDecided => conflict(ctx.t("case-already-decided")),
        CaseError::AlreadyDone => conflict(ctx.t("case-already-done")),
        CaseError::AlreadyRequested => conflict(ctx.t("case-already-requested")),
        CaseError::PlacementStep(p) => {
            let allowed: Vec<String> =
                p.allowed.iter().map(|s| ctx.label("placement-status", s.as_str())).collect();
            conflict(ctx.t_with(
                "placement-refused-step",
                &[
                    ("from", &ctx.label("placement-status", p.from.as_str())),
                    ("allowed", &allowed.join(", ")),
                ],
            ))
        }
        CaseError::Beds(BedsRefused::MoreThanCapacity { capacity, needed }) => conflict(ctx.t_with(
            "placement-more-than-capacity",
            &[("capacity", &capacity.to_string()), ("needed", &needed.to_string())],
        )),
        CaseError::Beds(BedsRefused::NotEnoughFree { free, needed }) => conflict(ctx.t_with(
            "placement-not-enough-free",
            &[("free", &free.to_string()), ("needed", &needed.to_string())],
        )),
        CaseError::CaseClosed => conflict(ctx.t("case-is-closed")),
        CaseError::OverrideOnlyForChildren => conflict(ctx.t("case-override-only-children")),
        CaseError::HouseUnavailable("no_children") => conflict(ctx.t("placement-house-no-children")),
        CaseError::HouseUnavailable(_) => conflict(ctx.t("placement-house-inactive")),
        CaseError::PlacementOpen { status, house, .. } => conflict(ctx.t_with(
            "placement-open-already",
            &[
                ("house", house),
                ("status", &ctx.label("placement-status", status.as_str())),
                ("transferred", &ctx.label("check-out-outcome", "transferred")),
            ],
        )),
        CaseError::NotFound | CaseError::Forbidden | CaseError::Keys(_) => None,
    }
}

/// Steps of the lifecycle in words, joined.
fn steps(ctx: &PageContext, steps: &[CaseStatus]) -> String {
    steps.iter().map(|s| ctx.label("status", s.as_str())).collect::<Vec<_>>().join(", ")
}
