//! The lists of cases in SQL (issue 16): the caller's scope and the filters as one
//! WHERE clause, pages in the lists' order by keyset on
//! `(next_due_at, reported_at DESC, id)` with the cases that owe nothing after the
//! others (never OFFSET), and the counts per filter value with GROUP BY.
//!
//! Each count leaves out its own filter and keeps the others, so the count beside
//! a filter's value is the total the list shows once that value is chosen.

use chrono::NaiveDateTime;
use std::collections::BTreeMap;

use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::DbConn;
use super::case_work::{CaseRow, ProfileRow};
use super::schema::{cases, protection_measures, survivors};
use crate::authz::scope::CaseScope;

type Backend = <DbConn as Connection>::Backend;
type Joined = diesel::helper_types::InnerJoinQuerySource<cases::table, survivors::table>;
type Condition = Box<dyn BoxableExpression<Joined, Backend, SqlType = Bool>>;

/// Which cases a list shows: the scope, then the filters (all must hold).
#[derive(Debug, Clone)]
pub struct CaseQuery {
    pub scope: CaseScope,
    pub status: Option<String>,
    /// Cases that are not closed (what a list shows unless a status is chosen).
    pub open_only: bool,
    pub risk: Option<String>,
    /// Cases with something overdue at this moment.
    pub overdue_at: Option<NaiveDateTime>,
    /// Cases with something overdue or due within `(now, until)`: the sort key
    /// before `until`, or a no-contact order ending in that time (the home page).
    pub due_soon: Option<(NaiveDateTime, NaiveDateTime)>,
    pub commune: Option<String>,
    pub assigned_to: Option<String>,
    pub child: bool,
}

impl CaseQuery {
    pub fn new(scope: CaseScope) -> Self {
        CaseQuery {
            scope,
            status: None,
            open_only: false,
            risk: None,
            overdue_at: None,
            due_soon: None,
            commune: None,
            assigned_to: None,
            child: false,
        }
    }
}

/// A filter, to count without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Status,
    Risk,
    Overdue,
    Commune,
    Mine,
    Child,
}

/// Where a page starts: the sort key of the last row of the page before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub next_due_at: Option<NaiveDateTime>,
    pub reported_at: NaiveDateTime,
    pub id: String,
}

/// A row of a page, with its sort key.
pub type PageRow = (CaseRow, ProfileRow, Option<NaiveDateTime>);

impl Key {
    pub fn of(row: &PageRow) -> Key {
        Key { next_due_at: row.2, reported_at: row.0.reported_at, id: row.0.id.clone() }
    }
}

fn always() -> Condition {
    Box::new(diesel::dsl::sql::<Bool>("1 = 1"))
}

fn and<B>(a: Condition, b: B) -> Condition
where
    B: Expression<SqlType = Bool>,
    diesel::dsl::And<Condition, B>: BoxableExpression<Joined, Backend, SqlType = Bool> + 'static,
{
    Box::new(a.and(b))
}

fn scope(scope: &CaseScope) -> Condition {
    match scope {
        // One deployment serves one province: every case row is of it.
        CaseScope::Province(_) => always(),
        CaseScope::CommunesOrAssigned { communes, user_id } => Box::new(
            cases::commune_code
                .eq_any(communes.clone())
                .or(cases::assigned_to.assume_not_null().eq(user_id.clone())),
        ),
        CaseScope::Nothing => Box::new(diesel::dsl::sql::<Bool>("1 = 0")),
    }
}

/// The scope and every filter but `except`.
fn matching(q: &CaseQuery, except: Option<Facet>) -> Condition {
    matching_facets(q, &|f: Facet| except != Some(f))
}

/// The scope, the home page's due-soon condition, and the filters `keep` keeps.
fn matching_facets(q: &CaseQuery, keep: &dyn Fn(Facet) -> bool) -> Condition {
    let mut c = scope(&q.scope);
    if keep(Facet::Status) {
        if let Some(status) = &q.status {
            c = and(c, cases::status.eq(status.clone()));
        }
        if q.open_only {
            c = and(c, cases::status.ne("closed"));
        }
    }
    if keep(Facet::Risk)
        && let Some(risk) = &q.risk
    {
        c = and(c, cases::risk_level.assume_not_null().eq(risk.clone()));
    }
    if keep(Facet::Overdue)
        && let Some(now) = q.overdue_at
    {
        c = and(c, cases::next_due_at.assume_not_null().lt(now));
    }
    if let Some((now, until)) = q.due_soon {
        let orders_ending = protection_measures::table
            .filter(protection_measures::measure_type.eq("no_contact_order"))
            .filter(protection_measures::ends_at.assume_not_null().ge(now))
            .filter(protection_measures::ends_at.assume_not_null().le(until))
            .select(protection_measures::case_id);
        let soon: Condition = Box::new(cases::next_due_at.assume_not_null().le(until));
        c = and(c, soon.or(cases::id.eq_any(orders_ending)));
    }
    if keep(Facet::Commune)
        && let Some(commune) = &q.commune
    {
        c = and(c, cases::commune_code.eq(commune.clone()));
    }
    if keep(Facet::Mine)
        && let Some(me) = &q.assigned_to
    {
        c = and(c, cases::assigned_to.assume_not_null().eq(me.clone()));
    }
    if keep(Facet::Child) && q.child {
        c = and(c, survivors::is_child.eq(true));
    }
    c
}

/// Rows after `key` in the order `reported_at DESC, id`.
fn after_in_day(key: &Key) -> Condition {
    Box::new(
        cases::reported_at
            .lt(key.reported_at)
            .or(cases::reported_at.eq(key.reported_at).and(cases::id.gt(key.id.clone()))),
    )
}

/// Up to `limit` rows of the list after `after` (from the start without it): the
/// cases with a deadline, soonest first, then those without, newest first; ties
/// by id. Each part reads its index in order.
pub fn page(conn: &mut DbConn, q: &CaseQuery, after: Option<&Key>, limit: i64) -> QueryResult<Vec<PageRow>> {
    let select = (CaseRow::as_select(), ProfileRow::as_select(), cases::next_due_at);
    let mut rows: Vec<PageRow> = Vec::new();
    let in_dated_part = after.is_none_or(|k| k.next_due_at.is_some());
    if in_dated_part {
        let mut c = and(matching(q, None), cases::next_due_at.is_not_null());
        if let Some(key) = after
            && let Some(due) = key.next_due_at
        {
            let later: Condition = Box::new(cases::next_due_at.assume_not_null().gt(due));
            let same: Condition =
                Box::new(cases::next_due_at.assume_not_null().eq(due).and(after_in_day(key)));
            c = and(c, later.or(same));
        }
        rows = cases::table
            .inner_join(survivors::table)
            .filter(c)
            .order_by((cases::next_due_at.asc(), cases::reported_at.desc(), cases::id.asc()))
            .limit(limit)
            .select(select)
            .load(conn)?;
    }
    let missing = limit - rows.len() as i64;
    if missing > 0 {
        let mut c = and(matching(q, None), cases::next_due_at.is_null());
        if let Some(key) = after.filter(|k| k.next_due_at.is_none()) {
            c = and(c, after_in_day(key));
        }
        rows.extend(
            cases::table
                .inner_join(survivors::table)
                .filter(c)
                .order_by((cases::reported_at.desc(), cases::id.asc()))
                .limit(missing)
                .select(select)
                .load::<PageRow>(conn)?,
        );
    }
    Ok(rows)
}

/// How many cases the query selects.
pub fn count(conn: &mut DbConn, q: &CaseQuery) -> QueryResult<i64> {
    cases::table.inner_join(survivors::table).filter(matching(q, None)).select(count_star()).first(conn)
}

/// How many cases of the caller's scope each filter value would show (with the
/// other filters as chosen); `total` is what the list shows now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: i64,
    pub by_status: Vec<(String, i64)>,
    /// `None`: not assessed yet.
    pub by_risk: Vec<(Option<String>, i64)>,
    pub by_commune: Vec<(String, i64)>,
    pub overdue: i64,
    pub mine: i64,
    pub child: i64,
}

/// The facet columns of one case, for the counts.
type FacetRow = (String, Option<String>, String, Option<NaiveDateTime>, Option<String>, bool);

/// Whether a case's facets pass every filter of `q` but `except`, as [`matching`]
/// says in SQL.
fn passes(q: &CaseQuery, row: &FacetRow, except: Option<Facet>) -> bool {
    let (status, risk, commune, next_due_at, assigned_to, is_child) = row;
    let keep = |f: Facet| except != Some(f);
    (!keep(Facet::Status)
        || (q.status.as_ref().is_none_or(|s| s == status) && (!q.open_only || status != "closed")))
        && (!keep(Facet::Risk) || q.risk.is_none() || q.risk == *risk)
        && (!keep(Facet::Overdue) || q.overdue_at.is_none_or(|now| next_due_at.is_some_and(|d| d < now)))
        && (!keep(Facet::Commune) || q.commune.as_ref().is_none_or(|c| c == commune))
        && (!keep(Facet::Mine) || q.assigned_to.is_none() || q.assigned_to == *assigned_to)
        && (!keep(Facet::Child) || !q.child || *is_child)
}

/// The counts of [`Counts`] from one read of the scope's facet columns (a case
/// list's page must stay quick over a province's ten thousand cases: one scan,
/// not one query a count). `now` says what is overdue, `me` whose cases are "mine".
pub fn counts(conn: &mut DbConn, q: &CaseQuery, now: NaiveDateTime, me: &str) -> QueryResult<Counts> {
    let rows: Vec<FacetRow> = cases::table
        .inner_join(survivors::table)
        .filter(matching_facets(q, &|_| false))
        .select((
            cases::status,
            cases::risk_level,
            cases::commune_code,
            cases::next_due_at,
            cases::assigned_to,
            survivors::is_child,
        ))
        .load(conn)?;
    let mut by_status: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_risk: BTreeMap<Option<String>, i64> = BTreeMap::new();
    let mut by_commune: BTreeMap<String, i64> = BTreeMap::new();
    let mut counts = Counts::default();
    for row in &rows {
        let (status, risk, commune, next_due_at, assigned_to, is_child) = row;
        let counted = |facet: Facet| i64::from(passes(q, row, Some(facet)));
        counts.total += i64::from(passes(q, row, None));
        *by_status.entry(status.clone()).or_default() += counted(Facet::Status);
        *by_risk.entry(risk.clone()).or_default() += counted(Facet::Risk);
        *by_commune.entry(commune.clone()).or_default() += counted(Facet::Commune);
        counts.overdue += counted(Facet::Overdue) * i64::from(next_due_at.is_some_and(|d| d < now));
        counts.mine += counted(Facet::Mine) * i64::from(assigned_to.as_deref() == Some(me));
        counts.child += counted(Facet::Child) * i64::from(*is_child);
    }
    // As GROUP BY would: only the values some case has.
    counts.by_status = by_status.into_iter().filter(|(_, n)| *n > 0).collect();
    counts.by_risk = by_risk.into_iter().filter(|(_, n)| *n > 0).collect();
    counts.by_commune = by_commune.into_iter().filter(|(_, n)| *n > 0).collect();
    Ok(counts)
}

/// What the sort key is computed from, for some cases: each id with its row and profile.
pub fn next_due_of(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<(String, Option<NaiveDateTime>)>> {
    let mut all = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        all.extend(
            cases::table.filter(cases::id.eq_any(chunk)).select((cases::id, cases::next_due_at)).load::<(
                String,
                Option<NaiveDateTime>,
            )>(
                conn
            )?,
        );
    }
    Ok(all)
}

pub fn set_next_due(conn: &mut DbConn, id: &str, next_due_at: Option<NaiveDateTime>) -> QueryResult<()> {
    diesel::update(cases::table.find(id)).set(cases::next_due_at.eq(next_due_at)).execute(conn).map(drop)
}

/// The cases whose sort key may be due for a recomputation: the open ones, and any
/// closed one that still has a key.
pub fn ids_with_a_clock(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    cases::table
        .filter(cases::status.ne("closed").or(cases::next_due_at.is_not_null()))
        .select(cases::id)
        .order_by(cases::id)
        .load(conn)
}
