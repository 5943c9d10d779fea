//! Lists of cases (design §8): a worker's cases with their next deadline, overdue
//! first; search by name or phone through the blind indexes; the duplicate check
//! at intake; a supervisor's overview. A list shows no personal data: case
//! number, commune, status, risk, age group and deadlines.

use std::collections::{BTreeMap, HashMap, HashSet};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use uuid::Uuid;

use super::access::{Caller, CaseError};
use crate::audit::{Event, Outcome};
use crate::authz::scope::{self, CaseScope};
use crate::authz::{Action, CaseFacts, Resource};
use crate::domain::case_clock::{DUE_SOON, Deadline, DeadlineState, deadlines, state_of};
use crate::domain::intake::FieldProblem;
use crate::domain::lifecycle::CaseStatus;
use crate::domain::risk::RiskLevel;
use crate::store::DbConn;
use crate::store::case_lists::{self, CaseQuery, Counts, Key};
use crate::store::case_work::{self as store, CaseRow, ProfileRow};
use crate::store::cases::IndexColumn;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub id: String,
    pub case_number: String,
    pub commune_code: String,
    pub status: String,
    pub risk_level: Option<String>,
    pub age_group: String,
    pub sex: String,
    pub is_child: bool,
    pub immediate_danger: bool,
    pub reported_at: DateTime<Utc>,
    pub version: i32,
    /// The soonest deadline still owed, and its state now.
    pub next_deadline: Option<(Deadline, DeadlineState)>,
    pub overdue: usize,
}

/// What a list shows: codes only, as they come in a URL.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<CaseStatus>,
    /// Open cases only (the default of "my cases").
    pub open_only: bool,
    pub overdue_only: bool,
    pub commune: Option<String>,
    pub risk: Option<RiskLevel>,
    /// Cases assigned to the caller.
    pub mine: bool,
    /// Cases of a child.
    pub child: bool,
}

/// A page's rows, by default.
pub const PAGE_SIZE: usize = 50;
/// The most rows a page may be asked for.
pub const MAX_PAGE_SIZE: usize = 200;

/// Where the next page starts: the sort key of the last row shown, as an opaque
/// text (base64url) with ids and moments only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(Key);

const CURSOR_VERSION: &str = "c1";

impl Cursor {
    pub fn encode(&self) -> String {
        let nanos = |t: NaiveDateTime| t.and_utc().timestamp_nanos_opt().unwrap_or(i64::MAX).to_string();
        let due = self.0.next_due_at.map(nanos).unwrap_or_else(|| "-".into());
        let text = format!("{CURSOR_VERSION}.{due}.{}.{}", nanos(self.0.reported_at), self.0.id);
        URL_SAFE_NO_PAD.encode(text)
    }

    /// A cursor this system gave, or None for anything else.
    pub fn decode(text: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let mut parts = text.split('.');
        let moment = |part: &str| -> Option<NaiveDateTime> {
            Some(DateTime::from_timestamp_nanos(part.parse().ok()?).naive_utc())
        };
        if parts.next()? != CURSOR_VERSION {
            return None;
        }
        let next_due_at = match parts.next()? {
            "-" => None,
            due => Some(moment(due)?),
        };
        let reported_at = moment(parts.next()?)?;
        let id = parts.next()?.parse::<Uuid>().ok()?.to_string();
        if parts.next().is_some() {
            return None;
        }
        Some(Cursor(Key { next_due_at, reported_at, id }))
    }
}

/// What a cursor that was not given by this list is told.
pub const BAD_CURSOR: &str =
    "is not a cursor this list gave: leave it out to start again from the first page";

/// One page of a list, with what the filters would show.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub items: Vec<CaseSummary>,
    /// Where the next page starts; None on the last page.
    pub next_cursor: Option<String>,
    pub counts: Counts,
}

fn query_of(caller: &Caller, filter: &ListFilter) -> CaseQuery {
    let mut q = CaseQuery::new(scope::cases(&caller.principal));
    q.status = filter.status.map(|s| s.as_str().to_string());
    q.open_only = filter.open_only && filter.status != Some(CaseStatus::Closed);
    q.risk = filter.risk.map(|r| r.as_str().to_string());
    q.overdue_at = filter.overdue_only.then(|| caller.now_naive());
    q.commune = filter.commune.clone();
    q.assigned_to = filter.mine.then(|| caller.user_id().unwrap_or_default());
    q.child = filter.child;
    q
}

/// A page of the caller's cases, overdue first, then by the soonest deadline, then
/// newest: `limit` rows (at most [`MAX_PAGE_SIZE`]) after `cursor`, with the counts
/// per filter value. The list is an audit event of its own only when refused.
pub fn page(
    conn: &mut DbConn,
    caller: &Caller,
    filter: &ListFilter,
    cursor: Option<&str>,
    limit: usize,
) -> Result<CasePage, CaseError> {
    works_on_cases(conn, caller, "case.list")?;
    let after = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(text) => Some(Cursor::decode(text).ok_or_else(|| CaseError::invalid("cursor", BAD_CURSOR))?),
    };
    let limit = limit.clamp(1, MAX_PAGE_SIZE);
    let q = query_of(caller, filter);
    let mut rows = case_lists::page(conn, &q, after.as_ref().map(|c| &c.0), limit as i64 + 1)?;
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|row| Cursor(Key::of(row)).encode())
    } else {
        None
    };
    let counts = case_lists::counts(conn, &q, caller.now_naive(), &caller.user_id().unwrap_or_default())?;
    let ids: Vec<String> = rows.iter().map(|(c, _, _)| c.id.clone()).collect();
    Ok(CasePage { items: in_order(summaries(conn, caller, &ids)?, &ids), next_cursor, counts })
}

/// Summaries in the order of `ids`.
fn in_order(found: Vec<CaseSummary>, ids: &[String]) -> Vec<CaseSummary> {
    let mut by_id: HashMap<String, CaseSummary> = found.into_iter().map(|c| (c.id.clone(), c)).collect();
    ids.iter().filter_map(|id| by_id.remove(id)).collect()
}

/// Lists of cases are for those who work on cases: a role with no case in its
/// scope (safe-house staff, the committee, administrators) is refused the list
/// itself, not shown an empty one.
/// The refusal is an audit event (`what` names the list asked for).
pub fn works_on_cases(conn: &mut DbConn, caller: &Caller, what: &'static str) -> Result<(), CaseError> {
    if !matches!(scope::cases(&caller.principal), CaseScope::Nothing) {
        return Ok(());
    }
    crate::store::audit::append(
        conn,
        &Event::new(&caller.actor, what, Outcome::Denied, caller.now_naive()).because("forbidden"),
    )?;
    Err(CaseError::Forbidden)
}

fn sort_for_work(rows: &mut [CaseSummary]) {
    rows.sort_by(|a, b| {
        (b.overdue > 0)
            .cmp(&(a.overdue > 0))
            .then_with(|| {
                let due = |c: &CaseSummary| c.next_deadline.map(|(d, _)| d.due);
                match (due(a), due(b)) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                }
            })
            .then_with(|| b.reported_at.cmp(&a.reported_at))
    });
}

/// Summaries of the given cases the caller may read (each row is checked against
/// the policies too, not only the SQL scope).
pub fn summaries(conn: &mut DbConn, caller: &Caller, ids: &[String]) -> Result<Vec<CaseSummary>, CaseError> {
    // A province's list has thousands of rows but few kinds of them: each kind is
    // decided once, unless a policy names single cases.
    let mut decided: HashMap<(String, Option<String>, bool, String), bool> = HashMap::new();
    let rows: Vec<(CaseRow, ProfileRow)> = store::cases_with_profiles(conn, ids)?
        .into_iter()
        .filter(|(case, profile)| {
            if caller.policies.names_a_case() {
                return caller.may(Action::CaseRead, case, profile);
            }
            let kind =
                (case.commune_code.clone(), case.assigned_to.clone(), profile.is_child, case.status.clone());
            *decided.entry(kind).or_insert_with(|| caller.may(Action::CaseRead, case, profile))
        })
        .collect();
    let facts = super::clock::facts_of(conn, &rows)?;
    Ok(rows
        .iter()
        .map(|(case, profile)| {
            let facts = facts.get(&case.id).cloned().unwrap_or_default();
            let owed: Vec<(Deadline, DeadlineState)> = deadlines(&facts, &caller.holidays)
                .into_iter()
                .map(|d| (d, state_of(&d, caller.now)))
                .filter(|(_, s)| *s != DeadlineState::Met)
                .collect();
            CaseSummary {
                id: case.id.clone(),
                case_number: case.case_number.clone(),
                commune_code: case.commune_code.clone(),
                status: case.status.clone(),
                risk_level: case.risk_level.clone(),
                age_group: profile.age_group.clone(),
                sex: profile.sex.clone(),
                is_child: profile.is_child,
                immediate_danger: case.immediate_danger,
                reported_at: case.reported_at.and_utc(),
                version: case.version,
                overdue: owed.iter().filter(|(_, s)| *s == DeadlineState::Overdue).count(),
                next_deadline: owed.first().copied(),
            }
        })
        .collect())
}

/// What to search for: a name (however written) or a phone number. Sent in a
/// request body, never in a URL.
#[derive(Debug, Clone, Default)]
pub struct SearchTerms {
    pub name: Option<String>,
    pub phone: Option<String>,
}

/// The longest search term: longer than any name or phone number, short enough
/// that nobody pastes a document into the search box.
pub const MAX_SEARCH_CHARS: usize = 200;

impl SearchTerms {
    /// The terms that are too long, by field (`name`, `phone`).
    pub fn problems(&self) -> Vec<FieldProblem> {
        [("name", &self.name), ("phone", &self.phone)]
            .into_iter()
            .filter(|(_, term)| term.as_deref().is_some_and(|t| t.chars().count() > MAX_SEARCH_CHARS))
            // The sentence names MAX_SEARCH_CHARS.
            .map(|(field, _)| FieldProblem { field, message: "is over 200 characters".into() })
            .collect()
    }
}

/// Cases in the caller's scope whose survivor has this name or phone, exactly up
/// to accents, case and spacing. The search is an audit event (without its terms),
/// in its transaction, and counts against the account's lookups per minute
/// (`per_minute`, see [`super::lookups`]).
pub fn search(
    conn: &mut DbConn,
    caller: &Caller,
    terms: &SearchTerms,
    per_minute: u32,
) -> Result<Vec<CaseSummary>, CaseError> {
    works_on_cases(conn, caller, "case.search")?;
    let problems = terms.problems();
    if !problems.is_empty() {
        return Err(CaseError::Invalid(problems));
    }
    super::lookups::limited(conn, caller, "case.search", per_minute, |conn| {
        let indexer = caller.keys.indexer();
        let mut found: Vec<String> = Vec::new();
        if let Some(name) = terms.name.as_deref().filter(|n| !n.trim().is_empty())
            && let Some(index) = indexer.index_name("survivors", "name_index", name)
        {
            found.extend(crate::store::cases::find_by_index(conn, IndexColumn::Name, index.as_bytes())?);
        }
        if let Some(phone) = terms.phone.as_deref().filter(|p| !p.trim().is_empty())
            && let Some(index) = indexer.index_phone("survivors", "phone_index", phone)
        {
            found.extend(crate::store::cases::find_by_index(conn, IndexColumn::Phone, index.as_bytes())?);
        }
        let in_scope: HashSet<String> =
            crate::store::cases::ids_in_scope(conn, &scope::cases(&caller.principal))?.into_iter().collect();
        found.retain(|id| in_scope.contains(id));
        found.sort();
        found.dedup();
        let mut rows = summaries(conn, caller, &found)?;
        sort_for_work(&mut rows);
        Ok(rows)
    })
}

/// Who an intake is about, for the duplicate check.
#[derive(Debug, Clone, Default)]
pub struct DuplicateProbe {
    pub commune_code: String,
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateCheck {
    /// A case the caller may see matches. A match outside her scope is never
    /// told (issue 17): the answer is then the same as for no match at all, and
    /// the match becomes a possible duplicate for a supervisor when she records
    /// the case (see [`super::duplicates`]).
    pub may_already_have_case: bool,
    /// The matching cases the caller may open.
    pub visible: Vec<CaseSummary>,
}

/// "This person may already have a case", by name with birth year, phone or ID
/// number, answered only about cases the caller may see: the same queries run,
/// the same audit event is written and the same answer comes back whether a case
/// outside her scope matches or nothing does. It counts against the account's
/// lookups per minute (`per_minute`, see [`super::lookups`]).
pub fn duplicates(
    conn: &mut DbConn,
    caller: &Caller,
    probe: &DuplicateProbe,
    per_minute: u32,
) -> Result<DuplicateCheck, CaseError> {
    let resource = Resource::Case(CaseFacts {
        id: String::new(),
        commune: probe.commune_code.trim().to_string(),
        province: caller.principal.province.clone(),
        assigned_to: None,
        child: false,
        status: "intake".into(),
    });
    if !caller.policies.is_allowed(&caller.principal, Action::CaseCreate, &resource) {
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, "case.duplicate_check", Outcome::Denied, caller.now_naive())
                .because("forbidden"),
        )?;
        return Err(CaseError::Forbidden);
    }
    super::lookups::limited(conn, caller, "case.duplicate_check", per_minute, |conn| {
        let birth = probe.birth_date.map(|b| b.format("%Y-%m-%d").to_string());
        let found = super::duplicates::matching(
            conn,
            &caller.keys,
            &super::duplicates::Probe {
                full_name: &probe.full_name,
                birth_date: birth.as_deref(),
                phone: probe.phone.as_deref(),
                id_number: probe.id_number.as_deref(),
            },
        )?;
        let ids: Vec<String> = found.into_keys().collect();
        // Only what the caller may read is summarized, and only that is told.
        let visible = summaries(conn, caller, &ids)?;
        Ok(DuplicateCheck { may_already_have_case: !visible.is_empty(), visible })
    })
}

/// How many cases [`needing_attention`] gives at most: the rest are on the list of cases.
pub const ATTENTION_LIMIT: usize = 20;

/// The first open cases with an overdue or soon-due deadline, and how many there are.
#[derive(Debug, Clone)]
pub struct Attention {
    pub cases: Vec<CaseSummary>,
    pub total: usize,
}

/// Open cases with an overdue or soon-due deadline, for the home page: the first
/// `limit` in the lists' order, read by the same keyset query, and their number.
pub fn attention(conn: &mut DbConn, caller: &Caller, limit: usize) -> Result<Attention, CaseError> {
    works_on_cases(conn, caller, "case.list")?;
    let mut q = CaseQuery::new(scope::cases(&caller.principal));
    q.open_only = true;
    q.due_soon = Some((caller.now_naive(), (caller.now + DUE_SOON).naive_utc()));
    let rows = case_lists::page(conn, &q, None, limit as i64)?;
    let total = case_lists::count(conn, &q)?;
    let ids: Vec<String> = rows.iter().map(|(c, _, _)| c.id.clone()).collect();
    let cases = in_order(summaries(conn, caller, &ids)?, &ids);
    Ok(Attention { cases, total: usize::try_from(total).unwrap_or(0) })
}

/// The first [`ATTENTION_LIMIT`] cases of [`attention`].
pub fn needing_attention(conn: &mut DbConn, caller: &Caller) -> Result<Vec<CaseSummary>, CaseError> {
    Ok(attention(conn, caller, ATTENTION_LIMIT)?.cases)
}

/// Per commune: cases by status and how many have something overdue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommuneOverview {
    pub by_status: BTreeMap<String, usize>,
    pub open: usize,
    pub overdue: usize,
    pub high_risk: usize,
}

pub fn overview(conn: &mut DbConn, caller: &Caller) -> Result<BTreeMap<String, CommuneOverview>, CaseError> {
    works_on_cases(conn, caller, "case.overview")?;
    let ids = crate::store::cases::ids_in_scope(conn, &scope::cases(&caller.principal))?;
    // Old communes count in the 2025 commune they became part of, as in the statistics.
    let successors = crate::services::communes::successors(conn)?;
    let mut out: BTreeMap<String, CommuneOverview> = BTreeMap::new();
    for c in summaries(conn, caller, &ids)? {
        let entry = out.entry(crate::services::communes::row_of(&successors, &c.commune_code)).or_default();
        *entry.by_status.entry(c.status.clone()).or_default() += 1;
        if c.status != CaseStatus::Closed.as_str() {
            entry.open += 1;
            if c.overdue > 0 {
                entry.overdue += 1;
            }
            if matches!(c.risk_level.as_deref(), Some("high" | "severe")) {
                entry.high_risk += 1;
            }
        }
    }
    Ok(out)
}

pub fn parse_id(text: &str) -> Option<Uuid> {
    text.parse().ok()
}
