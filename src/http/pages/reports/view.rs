//! A report as people read it: labelled rows and columns in Vietnamese or
//! English, hidden cells as "ẩn". The page, the printable page, the CSV, the
//! XLSX and the JSON API are all written from this one view, so a download
//! shows exactly what the page shows.

use crate::domain::disclosure::Shown;
use crate::domain::reporting::{AgeBand, Month, PeriodStatus, ReportKind, SexColumn, TableId, Timeliness};
use crate::http::pages::Lang;
use crate::http::pages::i18n::catalog;
use crate::http::pages::vocab::label_key;
use crate::services::stats::communes::{OTHER, SPLIT_PREFIX};
use crate::services::stats::{PublishedTable, Report, Scope, StayRow};

/// One figure of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    Count(u64),
    /// Suppressed by disclosure control.
    Hidden,
    /// A derived figure (average, per cent) as text.
    Text(String),
}

impl Figure {
    fn of(shown: Shown) -> Figure {
        match shown {
            Shown::Count(n) => Figure::Count(n),
            Shown::Suppressed => Figure::Hidden,
        }
    }

    pub fn is_hidden(&self) -> bool {
        *self == Figure::Hidden
    }

    /// As a page, the CSV and the XLSX write it.
    pub fn text(&self, lang: impl std::borrow::Borrow<Lang>) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Hidden => catalog().message(*lang.borrow(), "stats-hidden"),
            Figure::Text(t) => t.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RowView {
    pub key: String,
    pub label: String,
    /// The cells, then the row's total where the table has row totals.
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone)]
pub struct TableView {
    pub id: &'static str,
    pub title: String,
    /// The heading of the label column.
    pub row_header: String,
    pub column_keys: Vec<String>,
    /// Column headings (the total column included).
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
    /// The totals row, where the table has column totals.
    pub totals: Option<RowView>,
    /// So many cells are hidden that the province level says more.
    pub mostly_hidden: bool,
}

#[derive(Debug, Clone)]
pub struct ReportView {
    pub kind: &'static str,
    pub year: i32,
    pub title: String,
    pub period: String,
    pub due: String,
    pub status: &'static str,
    pub status_text: String,
    pub scope: String,
    pub cases: String,
    pub withheld: bool,
    pub legend: String,
    pub coverage: Vec<String>,
    pub tables: Vec<TableView>,
}

impl ReportView {
    pub fn table(&self, id: &str) -> Option<&TableView> {
        self.tables.iter().find(|t| t.id == id)
    }
}

fn t(lang: Lang, key: &str) -> String {
    catalog().message(lang, key)
}

pub fn report_title(lang: Lang, kind: ReportKind, year: i32) -> String {
    catalog().message_with(lang, &format!("stats-report-{}", kind.as_str()), &[("year", &year.to_string())])
}

pub fn status_key(status: PeriodStatus) -> String {
    format!("stats-status-{}", status.as_str())
}

/// The report as `lang` reads it.
pub fn report_view(report: &Report, lang: Lang) -> ReportView {
    let period = &report.period;
    let month_text = |m: Month| m.to_string();
    let scope = match &report.scope {
        Scope::Province => t(lang, "stats-scope-province"),
        Scope::Communes(codes) => {
            let names: Vec<String> = codes
                .iter()
                .map(|c| report.commune_names.get(c).cloned().unwrap_or_else(|| c.clone()))
                .collect();
            catalog().message_with(lang, "stats-scope-communes", &[("names", &names.join(", "))])
        }
    };
    let cases = match report.cases {
        Some(n) => catalog().message_count(lang, "stats-cases", "count", n),
        None if report.withheld => {
            catalog().message_with(lang, "stats-withheld", &[("k", &report.threshold.to_string())])
        }
        None => t(lang, "stats-cases-hidden"),
    };
    let coverage = {
        let c = &report.coverage;
        let mut lines = vec![catalog().message_with(
            lang,
            "stats-coverage",
            &[("with", &c.with_safe_place.to_string()), ("of", &c.communes.to_string())],
        )];
        lines.extend(
            c.houses.iter().map(|(kind, n)| format!("{}: {n}", t(lang, &label_key("safe-house-kind", kind)))),
        );
        lines
    };
    let mut tables: Vec<TableView> = Vec::new();
    for table in &report.tables {
        tables.push(table_view(table, report, lang));
        if table.id == TableId::SurvivorsByAgeAndSex {
            tables.push(groups_view(table, lang));
        }
    }
    ReportView {
        kind: period.kind.as_str(),
        year: period.year,
        title: report_title(lang, period.kind, period.year),
        period: catalog().message_with(
            lang,
            "stats-period",
            &[("first", &month_text(period.first)), ("last", &month_text(period.last))],
        ),
        due: catalog().message_with(
            lang,
            "stats-due",
            &[("due", &period.due.format("%d/%m/%Y").to_string())],
        ),
        status: report.status.as_str(),
        status_text: t(lang, &status_key(report.status)),
        scope,
        cases,
        withheld: report.withheld,
        legend: catalog().message_with(lang, "stats-legend", &[("k", &report.threshold.to_string())]),
        coverage,
        tables,
    }
}

/// The label of a row code of a table.
fn row_label(id: TableId, code: &str, report: &Report, lang: Lang) -> String {
    let label = |list: &str| t(lang, &label_key(list, code));
    match id {
        TableId::CasesByCommune => match code.strip_prefix(SPLIT_PREFIX) {
            Some(old) => catalog().message_with(
                lang,
                "stats-commune-split",
                &[("name", report.commune_names.get(code).map_or(old, String::as_str))],
            ),
            None if code == OTHER => t(lang, "stats-commune-other"),
            None => report.commune_names.get(code).cloned().unwrap_or_else(|| code.to_string()),
        },
        TableId::CasesByMonth => code
            .parse::<i32>()
            .ok()
            .and_then(Month::from_number)
            .map_or_else(|| code.to_string(), |m| m.to_string()),
        TableId::SurvivorsByAgeAndSex => t(lang, &format!("stats-age-{code}")),
        _ if code == "unknown" => t(lang, "stats-unknown"),
        TableId::CasesByForm => label("form"),
        TableId::CasesByGbvType => label("gbv-type"),
        TableId::Perpetrators => label("relationship"),
        TableId::Timeliness => t(lang, &format!("stats-timeliness-{code}")),
        TableId::Measures => label("measure"),
        TableId::Referrals => label("service"),
        TableId::Placements => label("safe-house-kind"),
        TableId::Closures => label("closure-reason"),
    }
}

fn column_label(id: TableId, code: &str, lang: Lang) -> String {
    match id {
        TableId::SurvivorsByAgeAndSex | TableId::Perpetrators => t(lang, &format!("stats-sex-{code}")),
        TableId::Referrals => t(lang, &label_key("referral-status", code)),
        TableId::Placements => t(lang, "stats-column-stays"),
        _ => t(lang, "stats-column-cases"),
    }
}

fn table_view(table: &PublishedTable, report: &Report, lang: Lang) -> TableView {
    let id = table.id;
    let shown = &table.shown;
    let mut columns: Vec<String> = table.columns.iter().map(|c| column_label(id, c, lang)).collect();
    let mut column_keys = table.columns.clone();
    if shown.row_totals.is_some() {
        columns.push(t(lang, "stats-column-total"));
        column_keys.push("total".into());
    }
    if table.stays.is_some() {
        columns.extend(STAY_COLUMNS.map(|k| t(lang, k)));
        column_keys.extend(["nights", "average_nights", "occupancy_percent"].map(String::from));
    }
    let mut rows: Vec<RowView> = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let mut figures: Vec<Figure> =
                shown.cells.get(i).map(|r| r.iter().map(|s| Figure::of(*s)).collect()).unwrap_or_default();
            if let Some(totals) = &shown.row_totals {
                figures.push(totals.get(i).map_or(Figure::Hidden, |s| Figure::of(*s)));
            }
            if let Some(stays) = &table.stays {
                figures.extend(stay_figures(stays.rows.get(i)));
            }
            RowView { key: code.clone(), label: row_label(id, code, report, lang), figures }
        })
        .collect();
    if id == TableId::CasesByCommune && report.scope != Scope::Province {
        rows.retain(|r| !r.key.contains(':'));
    }
    let totals = shown.column_totals.as_ref().map(|totals| {
        let mut figures: Vec<Figure> = totals.iter().map(|s| Figure::of(*s)).collect();
        if shown.row_totals.is_some() {
            figures.push(shown.total.map_or(Figure::Hidden, Figure::of));
        }
        if let Some(stays) = &table.stays {
            figures.extend(stay_figures(Some(&stays.total)));
        }
        RowView { key: "total".into(), label: t(lang, "stats-row-total"), figures }
    });
    TableView {
        id: id.as_str(),
        title: t(lang, &format!("stats-table-{}", id.as_str())),
        row_header: t(lang, &format!("stats-rows-{}", id.as_str())),
        column_keys,
        columns,
        rows,
        totals,
        mostly_hidden: shown.mostly_suppressed,
    }
}

/// The headings of the columns the placements table adds.
const STAY_COLUMNS: [&str; 3] = ["stats-column-nights", "stats-column-average", "stats-column-occupancy"];

fn stay_figures(row: Option<&StayRow>) -> [Figure; 3] {
    let Some(row) = row else { return [Figure::Hidden, Figure::Hidden, Figure::Hidden] };
    let decimal = |x: f64| Figure::Text(format!("{x:.1}"));
    [
        row.nights.map_or(Figure::Hidden, Figure::Count),
        row.average_nights.map_or(Figure::Hidden, decimal),
        row.occupancy_percent.map_or(Figure::Hidden, |p| Figure::Text(format!("{p:.1}%"))),
    ]
}

/// The groups of design §10 (children under 16, under 18, 16 to 59, 60 and
/// over) as sums of the age table's published row totals: a group with a hidden
/// part is hidden, so the groups tell nothing the age table does not.
fn groups_view(ages: &PublishedTable, lang: Lang) -> TableView {
    let total_of = |band: AgeBand| {
        let i = AgeBand::ALL.iter().position(|b| *b == band)?;
        match ages.shown.row_totals.as_ref()?.get(i)? {
            Shown::Count(n) => Some(*n),
            Shown::Suppressed => None,
        }
    };
    let rows = AgeBand::groups()
        .into_iter()
        .map(|(key, bands)| {
            let sum: Option<u64> = bands.iter().map(|b| total_of(*b)).sum();
            RowView {
                key: key.into(),
                label: t(lang, &format!("stats-group-{key}")),
                figures: vec![sum.map_or(Figure::Hidden, Figure::Count)],
            }
        })
        .collect();
    TableView {
        id: "survivor_groups",
        title: t(lang, "stats-table-survivor_groups"),
        row_header: t(lang, "stats-rows-survivor_groups"),
        column_keys: vec!["cases".into()],
        columns: vec![t(lang, "stats-column-cases")],
        rows,
        totals: None,
        mostly_hidden: false,
    }
}

/// Message keys made from codes, for the test that every key exists.
pub fn dynamic_keys() -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for id in TableId::ALL.iter().map(|t| t.as_str()).chain(["survivor_groups"]) {
        keys.push(format!("stats-table-{id}"));
        keys.push(format!("stats-rows-{id}"));
    }
    keys.extend(AgeBand::ALL.iter().map(|b| format!("stats-age-{}", b.as_str())));
    keys.extend(SexColumn::ALL.iter().map(|s| format!("stats-sex-{}", s.as_str())));
    keys.extend(AgeBand::groups().iter().map(|(k, _)| format!("stats-group-{k}")));
    keys.extend(
        Timeliness::ALL
            .iter()
            .filter(|x| **x != Timeliness::NotYet)
            .map(|x| format!("stats-timeliness-{}", x.as_str())),
    );
    keys.extend(ReportKind::ALL.iter().map(|k| format!("stats-report-{}", k.as_str())));
    keys.extend([PeriodStatus::Collecting, PeriodStatus::Ready, PeriodStatus::Due].map(status_key));
    keys.extend(STAY_COLUMNS.iter().chain(&super::exports::CSV_HEADER).map(|k| k.to_string()));
    keys
}
