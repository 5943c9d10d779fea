//! The templates of the placement pages and the lines they list. A line carries
//! only what its reader's view of the placement holds: the services decide what
//! that is (no name before acceptance or after check-out, no address before
//! acceptance); the pages put it into words.

use askama::Template;

use crate::domain::placement::PlacementStatus;
use crate::http::pages::cases::{show_date, show_time};
use crate::http::pages::{Lang, PageContext};
use crate::services::placements::PlacementView;
use crate::services::placements::boards::HouseAvailability;

/// A house on the availability board (never its address).
pub struct HouseLine {
    pub id: String,
    pub name: String,
    pub commune: String,
    pub kind: String,
    pub free: i32,
    /// "2 of 3 places free", in words.
    pub free_of: String,
    pub waiting: usize,
    pub accepts_children: bool,
    pub accessible: bool,
}

impl HouseLine {
    pub fn new(house: &HouseAvailability, ctx: &PageContext, commune: String) -> Self {
        HouseLine {
            id: house.id.clone(),
            name: house.name.clone(),
            commune,
            kind: ctx.label("safe-house-kind", &house.kind),
            free: house.free,
            free_of: ctx.t_with(
                "house-free-of",
                &[("free", &house.free.to_string()), ("capacity", &house.capacity.to_string())],
            ),
            waiting: house.waiting,
            accepts_children: house.accepts_children,
            accessible: house.accessible,
        }
    }

    /// The requests waiting, for a message with plural forms.
    pub fn waiting_count(&self) -> u32 {
        u32::try_from(self.waiting).unwrap_or(u32::MAX)
    }
}

/// A house's own work at a glance, for its staff's home page: counts only.
pub struct HouseGlanceLine {
    pub house: HouseLine,
    pub requests: u32,
    pub holds: u32,
    pub expired_holds: u32,
    pub residents: u32,
}

/// A placement in words: empty strings for what the reader does not see.
pub struct PlacementLine {
    pub id: String,
    pub version: i32,
    /// The status's code (for the style) and its words.
    pub status: String,
    pub status_label: String,
    pub house: String,
    pub alias: String,
    /// Sex and age group of the woman, in words.
    pub person: String,
    /// The children's age groups, in words.
    pub children: String,
    pub beds: i32,
    pub needs: String,
    pub risk: String,
    pub risk_label: String,
    pub requested: String,
    pub expected_end: String,
    pub hold_expires: String,
    /// The hold ran out before she arrived: shown as such, never checked in.
    pub hold_expired: bool,
    pub checked_in: String,
    pub checked_out: String,
    pub decline_reason: String,
    pub outcome: String,
    pub overdue: bool,
    pub name: String,
    pub phone: String,
    pub address: String,
    /// The case's worker may still withdraw it (requested or held).
    pub cancellable: bool,
    /// Notes during the stay, oldest first, when the reader may read them.
    pub notes: Vec<NoteLine>,
}

/// A note during a stay: who wrote it and when, and what it says.
pub struct NoteLine {
    pub author: String,
    pub at: String,
    pub text: String,
}

impl PlacementLine {
    pub fn new(ctx: &PageContext, p: &PlacementView) -> Self {
        let label = |list: &str, code: &Option<String>| {
            code.as_deref().map(|c| ctx.label(list, c)).unwrap_or_default()
        };
        let status = p.status.as_str();
        PlacementLine {
            id: p.id.clone(),
            version: p.version,
            status: status.to_string(),
            status_label: ctx.label("placement-status", status),
            house: p.safe_house_name.clone(),
            alias: p.alias.clone().unwrap_or_default(),
            person: format!("{}, {}", ctx.label("sex", &p.sex), ctx.label("age-group", &p.age_group)),
            children: p.children.iter().map(|g| ctx.label("age-group", g)).collect::<Vec<_>>().join(", "),
            beds: p.beds,
            needs: p.needs.clone().unwrap_or_default(),
            risk: p.risk_level.clone().unwrap_or_default(),
            risk_label: ctx.risk_label(p.risk_level.as_deref()),
            requested: show_time(p.requested_at),
            expected_end: p.expected_end_on.map(show_date).unwrap_or_default(),
            hold_expires: p.hold_expires_at.map(show_time).unwrap_or_default(),
            hold_expired: p.status == PlacementStatus::HoldExpired,
            checked_in: p.checked_in_at.map(show_time).unwrap_or_default(),
            checked_out: p.checked_out_at.map(show_time).unwrap_or_default(),
            decline_reason: label("decline-reason", &p.decline_reason),
            outcome: label("check-out-outcome", &p.outcome),
            overdue: p.overdue,
            name: p.identity.as_ref().map(|i| i.full_name.clone()).unwrap_or_default(),
            phone: p.identity.as_ref().and_then(|i| i.phone.clone()).unwrap_or_default(),
            address: p.address.clone().unwrap_or_default(),
            cancellable: p.status.next().contains(&PlacementStatus::Cancelled),
            notes: p
                .notes
                .iter()
                .map(|n| NoteLine {
                    author: n.author.clone().unwrap_or_default(),
                    at: show_time(n.created_at),
                    text: n.text.clone(),
                })
                .collect(),
        }
    }

    /// The style of its status: a hold that ran out stands out, a hold waits.
    pub fn badge(&self) -> &'static str {
        match self.status.as_str() {
            "hold_expired" => "overdue",
            "accepted" => "due_soon",
            _ => "open",
        }
    }
}

#[derive(Template)]
#[template(path = "safe_houses.html")]
pub struct AvailabilityPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub houses: Vec<HouseLine>,
}

/// The choice a step of the board asks for: its field's name, label and choices.
pub struct Pick<'a> {
    pub name: &'static str,
    pub label: String,
    pub choices: &'a [(String, String)],
}

/// One group of a house's board (requests, holds, residents) with the steps its
/// placements may take: (path word, button words).
pub struct BoardGroup {
    pub id: &'static str,
    pub heading: String,
    pub none: String,
    pub lines: Vec<PlacementLine>,
    pub steps: Vec<(&'static str, String)>,
}

/// A house's own board, in the groups its staff work through.
#[derive(Template)]
#[template(path = "house_board.html")]
pub struct HouseBoardPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub house: HouseLine,
    pub address: String,
    pub notice: String,
    pub message: String,
    /// Requests, holds and residents.
    pub groups: Vec<BoardGroup>,
    pub past: Vec<PlacementLine>,
    /// A refused note during a stay, back in its form.
    pub note_draft: super::house::NoteDraft,
    /// The reasons to decline and the outcomes of a check-out: (code, words).
    pub decline_reasons: Vec<(String, String)>,
    pub outcomes: Vec<(String, String)>,
}

impl HouseBoardPage<'_> {
    /// What was typed in the note form of placement `id` before a refusal.
    pub fn draft_of(&self, id: &str) -> &str {
        if self.note_draft.placement == id { &self.note_draft.text } else { "" }
    }

    /// The choice `step` needs: a reason to decline, where she goes at check-out.
    pub fn pick(&self, step: &str) -> Option<Pick<'_>> {
        let ctx = self.ctx;
        match step {
            "decline" => Some(Pick {
                name: "reason",
                label: ctx.t("board-decline-reason"),
                choices: &self.decline_reasons,
            }),
            "check-out" => Some(Pick {
                name: "outcome",
                label: ctx.t("board-check-out-outcome"),
                choices: &self.outcomes,
            }),
            _ => None,
        }
    }
}
