//! The templates of the case pages, one struct each, and the lines they list.
//! Lists carry no personal data: case number, commune, status, risk, age group,
//! deadlines. Titles are neutral ("Hồ sơ 42-2026-00017").

use askama::Template;

use super::form::{Field, FieldText};
use crate::domain::lifecycle::CaseStatus;
use crate::http::pages::{Lang, PageContext};

/// One case in a list.
#[derive(Debug, Clone)]
pub struct CaseLine {
    pub id: String,
    pub number: String,
    pub commune: String,
    pub status: String,
    pub risk: String,
    pub age_group: String,
    /// The next deadline in words, and its state's code and words.
    pub deadline: String,
    pub deadline_state: String,
    pub deadline_state_label: String,
}

/// What the home page of a social worker or a supervisor asks of them now.
#[derive(Debug, Clone, Default)]
pub struct HomeAttention {
    /// The first cases overdue or due soon, overdue first.
    pub cases: Vec<CaseLine>,
    /// How many more are overdue or due soon than listed.
    pub more: u32,
    /// Requests waiting for the supervisor's decision (supervisors only).
    pub approvals: Option<u32>,
    /// The oldest of them, for a supervisor's home page.
    pub first_approvals: Vec<HomeApproval>,
    /// Account changes waiting for her, and the last decided (supervisors only).
    pub account_changes: Option<crate::http::pages::account_changes::HomeChanges>,
}

/// A request waiting for a supervisor, on her home page: no personal data.
#[derive(Debug, Clone)]
pub struct HomeApproval {
    pub case_id: String,
    pub number: String,
    pub kind: String,
    pub due: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "cases.html")]
pub struct CasesPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub cases: Vec<CaseLine>,
    /// The filters (GET) and the search (POST), as fields.
    pub filters: Vec<Field>,
    pub search: Vec<Field>,
    /// Set when the list shows search results.
    pub searched: bool,
    pub search_error: String,
    /// "N cases" the filters select, on every page; empty for search results.
    pub total: String,
    /// The next page's address, empty on the last page.
    pub next_href: String,
    /// The first page's address, when this is a later page.
    pub first_href: String,
    /// Why the first page shows instead of the one asked for.
    pub notice: String,
}

/// A group of fields of the intake (a fieldset of one step).
pub struct Section {
    pub id: &'static str,
    pub legend: String,
    pub fields: Vec<Field>,
}

/// What the duplicate check found.
pub struct DuplicateView {
    pub found: bool,
    pub cases: Vec<CaseLine>,
    /// Something must be filled in before the check can run (or, with `limited`,
    /// how long to wait).
    pub missing: String,
    /// Refused: too many lookups this minute.
    pub limited: bool,
}

/// One step of the intake: every step is in the form (the others `hidden`), so
/// nothing typed is lost going back and forth.
pub struct IntakeStepView {
    pub id: &'static str,
    pub label: String,
    pub current: bool,
    pub sections: Vec<Section>,
}

/// What was entered in one step, on the review, with its "edit" button.
pub struct ReviewGroup {
    pub step: &'static str,
    pub label: String,
    pub rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "case_new.html")]
pub struct IntakePage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    /// The current step's code, and "Bước 2/5 · Sự việc".
    pub current: &'static str,
    pub progress: String,
    pub steps: Vec<IntakeStepView>,
    /// The guardian's fields (in the person step), shown for a child.
    pub guardian: Vec<Field>,
    pub guardian_shown: bool,
    /// What else is known of her (sex, disability, ID number, address): folded
    /// away unless something is typed there or has a problem.
    pub more: Vec<Field>,
    pub more_open: bool,
    /// The age-group codes of a child, for the script that shows the guardian live.
    pub child_groups: String,
    /// The current step's problems (linked), then the other steps' (named).
    pub errors: Vec<FieldText>,
    pub other_errors: Vec<String>,
    pub duplicate: Option<DuplicateView>,
    /// Said on the step after the person's when the duplicate check ran on the way.
    pub passed_check: String,
    pub review: Vec<ReviewGroup>,
    pub back: Option<&'static str>,
    pub next: Option<&'static str>,
}

/// (label, value) of a detail shown.
pub type Row = (String, String);

pub struct RiskLine {
    pub when: String,
    pub level: String,
    pub level_code: String,
    pub factors: Vec<String>,
    pub note: String,
    /// "Người ghi: …", the account that recorded it.
    pub author: String,
}

pub struct ConsentLine {
    pub id: String,
    pub purpose: String,
    pub giver: String,
    pub when: String,
    pub withdrawn: String,
    pub author: String,
}

pub struct MeasureLine {
    pub kind: String,
    pub by: String,
    pub starts: String,
    pub ends: String,
    pub details: String,
    pub author: String,
}

pub struct ReferralLine {
    pub id: String,
    pub provider: String,
    pub service: String,
    pub status: String,
    pub version: i32,
    pub note: String,
    pub when: String,
    pub by_override: bool,
    /// The steps it may take now: (code, words).
    pub next: Vec<(String, String)>,
}

pub struct NoteLine {
    pub id: String,
    pub kind: String,
    pub body: String,
    pub when: String,
    pub due: String,
    pub done: String,
    pub open_follow_up: bool,
    pub author: String,
}

pub struct DeadlineLine {
    pub label: String,
    pub due: String,
    pub state: String,
    pub state_label: String,
}

pub struct StepLine {
    pub when: String,
    pub from: String,
    pub to: String,
    pub reason: String,
    /// Why a closed case was reopened, as typed.
    pub comment: String,
    pub reopened: bool,
    pub author: String,
}

pub struct ApprovalLine {
    pub id: String,
    /// Still waiting, and the reader may decide it (from the case page).
    pub decidable: bool,
    pub kind: String,
    pub status: String,
    pub about: String,
    pub reason: String,
    pub comment: String,
    pub requested: String,
    pub decided: String,
    pub requested_by: String,
    pub decided_by: String,
}

/// A refusal or a problem, shown in the section of the form it came from.
#[derive(Debug, Clone, Default)]
pub struct SectionMessage {
    pub section: &'static str,
    pub text: String,
    /// Each field's problem, for the list under the message.
    pub problems: Vec<String>,
}

/// A missing consent: who must give it, and the best-interest override form.
pub struct ConsentNeeded {
    /// The purpose's code.
    pub purpose: String,
    pub fields: Vec<Field>,
    /// A supervisor gives the override; a worker asks for it.
    pub gives: bool,
}

/// What the reader may do on the case now (policies and lifecycle together).
#[derive(Default)]
pub struct Allowed {
    pub edit: bool,
    pub assess: bool,
    pub consent: bool,
    pub note: bool,
    pub refer: bool,
    pub close: bool,
    /// Reopen the closed case ("Mở lại hồ sơ"), with a reason.
    pub reopen: bool,
    pub erase: bool,
    /// Ask a safe house for beds (policies, and the case is open).
    pub place: bool,
    /// See who read or changed the case (its supervisors and own workers).
    pub access_log: bool,
}

/// One step of the workflow status bar: its words and whether it is done, the
/// current one, or still to come (`done`, `current`, `todo`).
pub struct StepMark {
    pub label: String,
    pub state: &'static str,
}

/// The workflow status bar: every step of the lifecycle, the case's marked.
pub fn step_marks(status: CaseStatus, label: impl Fn(CaseStatus) -> String) -> Vec<StepMark> {
    let at = CaseStatus::ALL.iter().position(|s| *s == status).unwrap_or(0);
    CaseStatus::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| StepMark {
            label: label(*s),
            state: match i.cmp(&at) {
                std::cmp::Ordering::Less => "done",
                std::cmp::Ordering::Equal => "current",
                std::cmp::Ordering::Greater => "todo",
            },
        })
        .collect()
}

/// A link of the summary to the section whose form the current step needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextAction {
    /// The section's anchor (`#risk`).
    pub href: &'static str,
    /// The message key of the link's words (the message check finds it by the
    /// field's name).
    pub words_key: &'static str,
}

const RISK: NextAction = NextAction { href: "#risk", words_key: "case-next-risk" };
const CONSENT: NextAction = NextAction { href: "#consents", words_key: "case-next-consent" };
const PLACE: NextAction = NextAction { href: "#placements", words_key: "case-next-placement" };
const REFER: NextAction = NextAction { href: "#referrals", words_key: "case-next-referral" };
const MEASURE: NextAction = NextAction { href: "#measures", words_key: "case-next-measure" };
const NOTE: NextAction = NextAction { href: "#notes", words_key: "case-next-note" };
const CLOSE: NextAction = NextAction { href: "#actions", words_key: "case-next-close" };
const REOPEN: NextAction = NextAction { href: "#actions", words_key: "case-next-reopen" };

/// The most actions the summary offers besides moving to the next step.
pub const MOST_NEXT_ACTIONS: usize = 3;

/// The work the case's current step asks for, in the order it is usually done,
/// leaving out what the reader may not do: at most [`MOST_NEXT_ACTIONS`].
pub fn next_actions(status: CaseStatus, allowed: &Allowed) -> Vec<NextAction> {
    let wanted: &[NextAction] = match status {
        CaseStatus::Intake => &[RISK, PLACE, REFER, CONSENT],
        CaseStatus::Assessment => &[RISK, CONSENT, PLACE, REFER],
        CaseStatus::ActionPlanning => &[MEASURE, REFER, PLACE],
        CaseStatus::Implementation => &[REFER, MEASURE, NOTE],
        CaseStatus::FollowUp => &[NOTE, CLOSE],
        CaseStatus::Closed => &[REOPEN, NOTE],
    };
    let may = |action: &NextAction| match action.words_key {
        "case-next-risk" | "case-next-measure" => allowed.assess,
        "case-next-consent" => allowed.consent,
        "case-next-placement" => allowed.place,
        "case-next-referral" => allowed.refer,
        "case-next-note" => allowed.note,
        "case-next-close" => allowed.close,
        _ => allowed.reopen,
    };
    wanted.iter().filter(|a| may(a)).take(MOST_NEXT_ACTIONS).copied().collect()
}

/// How many entries of a history the case page shows before "see all".
pub const SHOWN_ENTRIES: usize = 3;

/// The case's placements and the form to ask a safe house for beds.
#[derive(Default)]
pub struct PlacementSection {
    pub lines: Vec<crate::http::pages::placements::views::PlacementLine>,
    pub fields: Vec<Field>,
    /// The reader may ask for a placement now (policies, and the case is open).
    pub may_request: bool,
}

#[derive(Template)]
#[template(path = "case.html")]
pub struct CasePage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub id: String,
    pub number: String,
    pub version: i32,
    /// The workflow status bar.
    pub step_marks: Vec<StepMark>,
    /// The case's risk level (code, or empty when not assessed) and its words.
    pub risk_code: String,
    pub risk: String,
    /// The deadline owed first, if any.
    pub next_deadline: Option<DeadlineLine>,
    /// (anchor, words) of the work the current step needs.
    pub next: Vec<(&'static str, String)>,
    /// (section id, words) of the in-page index.
    pub index: Vec<(&'static str, String)>,
    pub summary: Vec<Row>,
    pub danger: bool,
    pub erased: bool,
    pub notice: String,
    pub message: SectionMessage,
    pub safe_contact: String,
    pub survivor: Vec<Row>,
    pub incident: Vec<Row>,
    pub acts: Vec<String>,
    pub narrative: String,
    pub perpetrator: Vec<Row>,
    pub risks: Vec<RiskLine>,
    pub risk_fields: Vec<Field>,
    pub consents: Vec<ConsentLine>,
    pub consent_fields: Vec<Field>,
    pub consent_needed: Option<ConsentNeeded>,
    pub measures: Vec<MeasureLine>,
    pub measure_fields: Vec<Field>,
    pub referrals: Vec<ReferralLine>,
    pub referral_fields: Vec<Field>,
    pub notes: Vec<NoteLine>,
    pub note_fields: Vec<Field>,
    pub deadlines: Vec<DeadlineLine>,
    pub timeline: Vec<StepLine>,
    pub approvals: Vec<ApprovalLine>,
    pub waiting_closure: bool,
    /// The steps the case may move to (closing has its own form).
    pub steps: Vec<(String, String)>,
    pub closure_fields: Vec<Field>,
    /// The reason asked when reopening a closed case.
    pub reopen_fields: Vec<Field>,
    /// The step a reopened case goes to (its code).
    pub reopen_to: String,
    pub edit_fields: Vec<Field>,
    pub allowed: Allowed,
    pub placements: PlacementSection,
    /// Cases a supervisor linked to this one (issue 17), those the reader may open.
    pub related: Vec<CaseLine>,
}

impl CasePage<'_> {
    /// The message of `section`, when the last form sent was there.
    pub fn message_at(&self, section: &str) -> Option<&SectionMessage> {
        (self.message.section == section && !self.message.text.is_empty()).then_some(&self.message)
    }

    /// The form of `section` shows open: it was just sent and came back with a
    /// problem. Otherwise each form folds under its name (a link of the summary
    /// opens it with script; a tap on its name does without).
    pub fn unfolded(&self, section: &str) -> bool {
        self.message_at(section).is_some()
    }

    /// The newest entries of a history (listed newest first), always shown.
    pub fn shown<'l, T>(&self, list: &'l [T]) -> &'l [T] {
        &list[..list.len().min(SHOWN_ENTRIES)]
    }

    /// The older entries, folded under "see all".
    pub fn folded<'l, T>(&self, list: &'l [T]) -> &'l [T] {
        &list[list.len().min(SHOWN_ENTRIES)..]
    }
}

#[derive(Template)]
#[template(path = "case_erase.html")]
pub struct ErasePage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub id: String,
    pub number: String,
    pub fields: Vec<Field>,
    pub message: String,
}

/// A request waiting for the supervisor.
pub struct PendingLine {
    pub id: String,
    pub case_id: String,
    pub number: String,
    pub commune: String,
    pub kind: String,
    pub about: String,
    /// The worker's reason, as typed.
    pub reason: String,
    pub age_group: String,
    pub risk: String,
    pub requested: String,
    pub due: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "approvals.html")]
pub struct ApprovalsPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub pending: Vec<PendingLine>,
    pub notice: String,
    pub message: String,
}

pub struct CommuneLine {
    pub name: String,
    pub open: usize,
    pub overdue: usize,
    pub high_risk: usize,
    /// (status in words, number of cases)
    pub by_status: Vec<(String, usize)>,
}

#[derive(Template)]
#[template(path = "overview.html")]
pub struct OverviewPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub communes: Vec<CommuneLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn everything() -> Allowed {
        Allowed {
            edit: true,
            assess: true,
            consent: true,
            note: true,
            refer: true,
            close: true,
            reopen: true,
            erase: true,
            place: true,
            access_log: true,
        }
    }

    fn anchors(status: CaseStatus, allowed: &Allowed) -> Vec<&'static str> {
        next_actions(status, allowed).iter().map(|a| a.href).collect()
    }

    #[test]
    fn a_new_case_asks_for_the_risk_a_safe_house_and_a_referral() {
        assert_eq!(anchors(CaseStatus::Intake, &everything()), ["#risk", "#placements", "#referrals"]);
        let words: Vec<_> =
            next_actions(CaseStatus::Intake, &everything()).iter().map(|a| a.words_key).collect();
        assert_eq!(words, ["case-next-risk", "case-next-placement", "case-next-referral"]);
    }

    #[test]
    fn each_step_asks_for_its_own_work_and_never_more_than_three_things() {
        let all = everything();
        assert_eq!(anchors(CaseStatus::Assessment, &all), ["#risk", "#consents", "#placements"]);
        assert_eq!(anchors(CaseStatus::ActionPlanning, &all), ["#measures", "#referrals", "#placements"]);
        assert_eq!(anchors(CaseStatus::Implementation, &all), ["#referrals", "#measures", "#notes"]);
        assert_eq!(anchors(CaseStatus::FollowUp, &all), ["#notes", "#actions"]);
        assert_eq!(next_actions(CaseStatus::Closed, &all)[0].words_key, "case-next-reopen");
        for status in CaseStatus::ALL {
            assert!(next_actions(status, &all).len() <= MOST_NEXT_ACTIONS, "{status:?}");
        }
    }

    #[test]
    fn what_the_reader_may_not_do_is_left_out_and_the_next_work_moves_up() {
        let no_placing = Allowed { place: false, ..everything() };
        assert_eq!(anchors(CaseStatus::Intake, &no_placing), ["#risk", "#referrals", "#consents"]);
        let reader = Allowed { note: true, ..Allowed::default() };
        assert_eq!(anchors(CaseStatus::Intake, &reader), Vec::<&str>::new());
        assert_eq!(anchors(CaseStatus::Implementation, &reader), ["#notes"]);
        let waiting = Allowed { close: false, ..everything() };
        assert_eq!(anchors(CaseStatus::FollowUp, &waiting), ["#notes"], "closing already asked for");
    }

    #[test]
    fn the_status_bar_marks_the_steps_done_the_current_one_and_those_to_come() {
        let marks = step_marks(CaseStatus::ActionPlanning, |s| s.as_str().to_string());
        let states: Vec<_> = marks.iter().map(|m| m.state).collect();
        assert_eq!(states, ["done", "done", "current", "todo", "todo", "todo"]);
        assert_eq!(marks[2].label, "action_planning");
        let closed = step_marks(CaseStatus::Closed, |s| s.as_str().to_string());
        assert_eq!(closed.last().map(|m| m.state), Some("current"));
        assert!(closed[..5].iter().all(|m| m.state == "done"));
    }
}

/// One line of a case's access log: who, role, when, what (no personal data).
pub struct AccessLine {
    pub who: String,
    pub role: String,
    pub when: String,
    pub what: String,
    /// The request was refused (denied or failed).
    pub refused: bool,
}

/// Who read or changed a case.
#[derive(Template)]
#[template(path = "case_access_log.html")]
pub struct AccessLogPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub id: String,
    pub number: String,
    pub lines: Vec<AccessLine>,
}
