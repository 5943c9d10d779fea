//! The Committee's statistics and periodic reports (design §10): aggregates of
//! plain categories, under disclosure control, for the caller's scope. Every
//! read is authorized by the policies and is one transaction with its audit
//! event; nothing here can reach a person.

pub mod build;
pub mod communes;
pub mod publish;
pub mod tallies;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDateTime, NaiveTime, Utc};
use diesel::Connection;

use super::cases::access::Caller;
use crate::audit::{Event, Outcome};
use crate::authz::{Action, ReportFacts, Resource};
use crate::domain::deadlines::vietnam;
use crate::domain::reporting::{Month, Period, PeriodStatus, ReportCalendar, ReportKind, TableId};
use crate::domain::role::Role;
use crate::store::DbConn;
use crate::store::stats::{self as store, Span};
use build::Events;
use communes::CommuneRows;
pub use publish::{PublishedTable, StayFigures, StayRow};

/// The deployment's reporting rules.
#[derive(Debug, Clone, Copy)]
pub struct StatsRules {
    pub calendar: ReportCalendar,
    /// k: cells of 1 to k−1 cases are hidden.
    pub threshold: u64,
}

impl Default for StatsRules {
    fn default() -> Self {
        StatsRules {
            calendar: ReportCalendar::default(),
            threshold: crate::domain::disclosure::DEFAULT_THRESHOLD,
        }
    }
}

/// Why statistics were not given.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    /// No such report (an unknown kind or a year out of range).
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// The report's months are not over: its figures would change day by day.
    #[error("the {} report for {} covers months up to {}: its figures come after that", .0.kind.as_str(), .0.year, .0.last)]
    NotReady(Period),
    #[error(transparent)]
    Store(#[from] diesel::result::Error),
}

/// Whose figures: the province, or a local committee member's communes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Province,
    Communes(Vec<String>),
}

impl Scope {
    fn of(caller: &Caller) -> Scope {
        match caller.principal.role {
            Role::CommitteeMember if !caller.principal.communes.is_empty() => {
                Scope::Communes(caller.principal.communes.clone())
            }
            _ => Scope::Province,
        }
    }

    fn assigned(&self) -> Option<&[String]> {
        match self {
            Scope::Province => None,
            Scope::Communes(c) => Some(c),
        }
    }
}

/// How many communes of the scope have a safe place, and of which kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub communes: usize,
    pub with_safe_place: usize,
    /// Active houses by kind.
    pub houses: Vec<(String, usize)>,
}

/// A report (or the summary) as published.
#[derive(Debug, Clone)]
pub struct Report {
    pub period: Period,
    pub status: PeriodStatus,
    pub scope: Scope,
    pub threshold: u64,
    /// Cases reported in the period; not given when the report is withheld or
    /// the number had to be hidden.
    pub cases: Option<u64>,
    /// A piece of the period has 1 to k−1 cases: no table is published.
    pub withheld: bool,
    pub tables: Vec<PublishedTable>,
    /// Commune row code → name.
    pub commune_names: BTreeMap<String, String>,
    pub coverage: Coverage,
    pub made_at: DateTime<Utc>,
}

impl Report {
    pub fn table(&self, id: TableId) -> Option<&PublishedTable> {
        self.tables.iter().find(|t| t.id == id)
    }
}

/// The committee's home: the next deadline and what is ready.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub next_due: Period,
    pub next_status: PeriodStatus,
    /// Reports with figures, newest first.
    pub published: Vec<(Period, PeriodStatus)>,
    /// The summary of the newest of them.
    pub latest: Option<Report>,
}

/// How a report leaves Bình An.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Print,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Print => "print",
        }
    }
}

/// The dashboard's summary: the tables counted from the monthly tallies.
pub fn summary(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &StatsRules,
    kind: ReportKind,
    year: i32,
) -> Result<Report, StatsError> {
    let wanted = Wanted { kind, year, action: Action::StatsRead, format: None, tables: &TableId::SUMMARY };
    read(conn, caller, rules, &wanted)
}

/// A periodic report with all its tables.
pub fn report(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &StatsRules,
    kind: ReportKind,
    year: i32,
) -> Result<Report, StatsError> {
    let wanted = Wanted { kind, year, action: Action::ReportRead, format: None, tables: &TableId::ALL };
    read(conn, caller, rules, &wanted)
}

/// A periodic report to be downloaded or printed: the same figures, recorded as
/// an export.
pub fn export(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &StatsRules,
    kind: ReportKind,
    year: i32,
    format: ExportFormat,
) -> Result<Report, StatsError> {
    let wanted =
        Wanted { kind, year, action: Action::ReportExport, format: Some(format), tables: &TableId::ALL };
    read(conn, caller, rules, &wanted)
}

/// The committee's home page: deadlines, and the summary of the newest report.
pub fn dashboard(conn: &mut DbConn, caller: &Caller, rules: &StatsRules) -> Result<Dashboard, StatsError> {
    let today = today(caller);
    let next_due = rules.calendar.next_due(today);
    let published: Vec<(Period, PeriodStatus)> =
        rules.calendar.published(today, 2).into_iter().map(|p| (p, p.status(today))).collect();
    let latest = match published.first() {
        Some((period, _)) => Some(summary(conn, caller, rules, period.kind, period.year)?),
        None => {
            authorize(conn, caller, Action::StatsRead, &Scope::of(caller))?;
            None
        }
    };
    Ok(Dashboard { next_due, next_status: next_due.status(today), published, latest })
}

fn today(caller: &Caller) -> chrono::NaiveDate {
    caller.now.with_timezone(&vietnam()).date_naive()
}

/// The first year a report can be asked for.
const FIRST_YEAR: i32 = 2000;

/// What is asked for: a report, how (read or exported), which of its tables.
#[derive(Clone, Copy)]
struct Wanted<'a> {
    kind: ReportKind,
    year: i32,
    action: Action,
    format: Option<ExportFormat>,
    tables: &'a [TableId],
}

fn read(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &StatsRules,
    wanted: &Wanted<'_>,
) -> Result<Report, StatsError> {
    let Wanted { kind, year, action, format, tables } = *wanted;
    let scope = Scope::of(caller);
    authorize(conn, caller, action, &scope)?;
    let today = today(caller);
    if !(FIRST_YEAR..=chrono::Datelike::year(&today) + 1).contains(&year) {
        return Err(StatsError::NotFound);
    }
    let period = rules.calendar.period(kind, year);
    let status = period.status(today);
    if status == PeriodStatus::Collecting {
        return Err(StatsError::NotReady(period));
    }
    // The audit event is written first (design §3): on SQLite a transaction that
    // read before its first write fails at once when another connection wrote
    // meanwhile; writing first waits for the lock instead.
    conn.transaction(|conn| {
        let mut event = Event::new(&caller.actor, action.as_str(), Outcome::Success, caller.now_naive())
            .on("report", format!("{}-{}", kind.as_str(), year));
        if let Some(format) = format {
            event = event.because(format.as_str());
        }
        crate::store::audit::append(conn, &event)?;
        compute(conn, caller, rules, &period, status, &scope, tables)
    })
}

/// Asks the policies whether the caller may read statistics of this scope; a
/// refusal is an audit event.
fn authorize(conn: &mut DbConn, caller: &Caller, action: Action, scope: &Scope) -> Result<(), StatsError> {
    let resource = Resource::Report(ReportFacts {
        province: caller.principal.province.clone(),
        communes: scope.assigned().map(<[String]>::to_vec).unwrap_or_default(),
    });
    if caller.policies.is_allowed(&caller.principal, action, &resource) {
        return Ok(());
    }
    crate::store::audit::append(
        conn,
        &Event::new(&caller.actor, action.as_str(), Outcome::Denied, caller.now_naive()).because("forbidden"),
    )?;
    Err(StatsError::Forbidden)
}

/// The instant a month starts, in Vietnam.
fn start_of(month: Month) -> NaiveDateTime {
    month.first_day().and_time(NaiveTime::MIN) - Duration::hours(7)
}

fn compute(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &StatsRules,
    period: &Period,
    status: PeriodStatus,
    scope: &Scope,
    tables: &[TableId],
) -> Result<Report, StatsError> {
    let day = period.last.last_day().min(today(caller));
    let pieces_of_year = rules.calendar.pieces(period.year);
    let pieces: Vec<Vec<Month>> =
        pieces_of_year.of(period.kind).iter().map(|i| pieces_of_year.months[*i].clone()).collect();
    let assigned = scope.assigned();
    // A local member's communes as recorded (old ones too) are known only once
    // the rows are; the province needs no filter.
    // Every table whose total is the number of cases takes part in deciding
    // whether it is hidden, so their dimensions are read even for the summary.
    let dimensions: Vec<&str> = ["commune", "age_sex", "form", "gbv_type", "perpetrator"]
        .into_iter()
        .filter(|d| *d != "form" || tables.contains(&TableId::CasesByForm))
        .collect();
    let recorded_filter = match assigned {
        Some(a) => {
            Some(CommuneRows::load(conn, &caller.principal.province, Some(a), day, &[])?.recorded_codes())
        }
        None => None,
    };
    let tallies = store::tallies(
        conn,
        period.first.number(),
        period.last.number(),
        &dimensions,
        recorded_filter.as_deref(),
    )?;
    let recorded: Vec<&str> =
        tallies.iter().filter(|t| t.dimension == "commune").map(|t| t.commune_code.as_str()).collect();
    let communes = CommuneRows::load(conn, &caller.principal.province, assigned, day, &recorded)?;
    let span = Span { from: start_of(period.first), until: start_of(period.last.next()) };
    let filter = recorded_filter.as_deref();
    let wants = |id: TableId| tables.contains(&id);
    let events = Events {
        reports: if wants(TableId::Timeliness) { store::reports(conn, span, filter)? } else { Vec::new() },
        measures: if wants(TableId::Measures) { store::measures(conn, span, filter)? } else { Vec::new() },
        referrals: if wants(TableId::Referrals) { store::referrals(conn, span, filter)? } else { Vec::new() },
        closures: if wants(TableId::Closures) { store::closures(conn, span, filter)? } else { Vec::new() },
        stays: if wants(TableId::Placements) { store::stays(conn, span, filter)? } else { Vec::new() },
    };
    let houses = store::houses(conn)?;
    let in_scope = |commune: &str| communes.rows.iter().any(|r| r == commune);
    let scoped_houses: Vec<&(String, String, i32)> = houses.iter().filter(|(c, _, _)| in_scope(c)).collect();
    let mut beds: Vec<(String, u64)> = Vec::new();
    let mut by_kind: Vec<(String, usize)> = Vec::new();
    for (_, kind, capacity) in &scoped_houses {
        match beds.iter_mut().find(|(k, _)| k == kind) {
            Some(entry) => entry.1 += u64::try_from(*capacity).unwrap_or(0),
            None => beds.push((kind.clone(), u64::try_from(*capacity).unwrap_or(0))),
        }
        match by_kind.iter_mut().find(|(k, _)| k == kind) {
            Some(entry) => entry.1 += 1,
            None => by_kind.push((kind.clone(), 1)),
        }
    }
    by_kind.sort();
    let mut with_house: Vec<&str> = scoped_houses.iter().map(|(c, _, _)| c.as_str()).collect();
    with_house.sort_unstable();
    with_house.dedup();
    let coverage = Coverage {
        communes: communes.rows.iter().filter(|r| !r.contains(':') && r.as_str() != communes::OTHER).count(),
        with_safe_place: with_house.len(),
        houses: by_kind,
    };
    let mut sources = publish::Sources {
        period,
        pieces,
        communes: &communes,
        tallies: &tallies,
        events: &events,
        beds,
        now: caller.now_naive(),
        threshold: rules.threshold,
        hide_total: Vec::new(),
        protected: Default::default(),
    };
    sources.hide_total = sources.totals_hidden();
    let per_piece = sources.cases_per_piece();
    let cases: u64 = per_piece.iter().sum();
    let withheld = per_piece.iter().any(|n| (1..rules.threshold).contains(n));
    let tables = if withheld { Vec::new() } else { tables.iter().map(|id| sources.publish(*id)).collect() };
    Ok(Report {
        period: *period,
        status,
        scope: scope.clone(),
        threshold: rules.threshold,
        cases: (!withheld && !sources.hide_total.contains(&true)).then_some(cases),
        withheld,
        tables,
        commune_names: communes.names.clone(),
        coverage,
        made_at: caller.now,
    })
}
