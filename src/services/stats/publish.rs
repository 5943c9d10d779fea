//! Disclosure control of a report's tables. Each piece of the period is
//! protected on its own and a published cell is hidden wherever any of its
//! pieces hides it: the 6-month and annual reports of a year then hide nothing
//! that subtracting one from the other would give away (design §10), and a
//! report's figures do not depend on when the other one was made.

use super::build::{CASES, Events, count_table, nights};
use super::communes::CommuneRows;
use std::cell::RefCell;
use std::collections::HashMap;

use crate::domain::disclosure::{Piece, Protected, Shown, combine, protect_piece, total_hidden};
use crate::domain::reporting::{CountTable, Month, Period, TableId};
use crate::store::stats::Tally;

/// A table as published: its categories and what each position shows.
#[derive(Debug, Clone)]
pub struct PublishedTable {
    pub id: TableId,
    /// Row codes; commune rows are commune codes (or `split:` and an old code),
    /// month rows are month numbers (202607).
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub shown: Protected,
    /// The placements table only: nights and occupancy by kind of house.
    pub stays: Option<StayFigures>,
}

/// Nights, average stay and occupancy, hidden wherever the number of stays is.
#[derive(Debug, Clone, PartialEq)]
pub struct StayFigures {
    pub rows: Vec<StayRow>,
    pub total: StayRow,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StayRow {
    /// Person-nights in the period.
    pub nights: Option<u64>,
    /// Nights per stay, one decimal.
    pub average_nights: Option<f64>,
    /// Person-nights over the beds of the active houses of that kind for the
    /// days of the period, in per cent, one decimal.
    pub occupancy_percent: Option<f64>,
}

/// What a report's tables are made from.
pub struct Sources<'a> {
    pub period: &'a Period,
    /// The pieces of the period (disjoint sets of months) that make up this report.
    pub pieces: Vec<Vec<Month>>,
    pub communes: &'a CommuneRows,
    pub tallies: &'a [Tally],
    pub events: &'a Events,
    /// Beds of the active houses by kind.
    pub beds: Vec<(String, u64)>,
    pub now: chrono::NaiveDateTime,
    pub threshold: u64,
    /// Per piece: the number of cases is hidden in it (see [`Sources::totals_hidden`]).
    pub hide_total: Vec<bool>,
    /// Each table's pieces as protected on their own, so that deciding about the
    /// number of cases and publishing do not protect the same piece twice.
    pub protected: RefCell<HashMap<(TableId, usize, bool), Protected>>,
}

impl Sources<'_> {
    pub fn publish(&self, id: TableId) -> PublishedTable {
        let months = self.period.months();
        let counts: Vec<CountTable> = self
            .pieces
            .iter()
            .map(|piece| count_table(id, piece, &months, self.communes, self.tallies, self.events))
            .collect();
        let template =
            counts.first().cloned().unwrap_or_else(|| super::build::empty_table(id, &months, self.communes));
        let pieces: Vec<(&[Vec<u64>], Protected)> = counts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let hide_total = id.counts_cases() && self.hide_total.get(i).copied().unwrap_or(false);
                (t.counts.as_slice(), self.piece(id, i, &t.counts, hide_total))
            })
            .collect();
        let shown = combine(&pieces, id.margins());
        let stays = (id == TableId::Placements).then(|| self.stay_figures(&shown, months.len()));
        PublishedTable { id, rows: template.rows, columns: template.columns, shown, stays }
    }

    /// Per piece, whether some table whose total is the number of cases could
    /// only be protected by hiding it: then every such table of the piece hides it,
    /// whatever tables are asked for, so the summary and the report agree.
    pub fn totals_hidden(&self) -> Vec<bool> {
        let months = self.period.months();
        self.pieces
            .iter()
            .enumerate()
            .map(|(i, piece)| {
                TableId::ALL.iter().filter(|id| id.counts_cases()).any(|id| {
                    let table = count_table(*id, piece, &months, self.communes, self.tallies, self.events);
                    total_hidden(&self.piece(*id, i, &table.counts, false), id.margins())
                })
            })
            .collect()
    }

    /// Piece `i` of table `id` protected on its own (once).
    fn piece(&self, id: TableId, i: usize, counts: &[Vec<u64>], hide_total: bool) -> Protected {
        let key = (id, i, hide_total);
        if let Some(done) = self.protected.borrow().get(&key) {
            return done.clone();
        }
        let done = protect_piece(Piece { counts, hide_total }, id.margins(), self.threshold);
        self.protected.borrow_mut().insert(key, done.clone());
        done
    }

    /// The number of cases of each piece: a report is published only when none of
    /// its pieces has fewer than k cases (or they would be its own small figure).
    pub fn cases_per_piece(&self) -> Vec<u64> {
        let months = self.period.months();
        self.pieces
            .iter()
            .map(|piece| {
                count_table(TableId::CasesByCommune, piece, &months, self.communes, self.tallies, self.events)
                    .total()
            })
            .collect()
    }

    /// The end of the period as an instant, or now while it runs.
    fn until(&self) -> chrono::NaiveDateTime {
        let end =
            self.period.last.next().first_day().and_time(chrono::NaiveTime::MIN) - chrono::Duration::hours(7);
        end.min(self.now)
    }

    fn stay_figures(&self, shown: &Protected, months: usize) -> StayFigures {
        let mut nights_by_kind: Vec<(String, u64)> = Vec::new();
        for piece in &self.pieces {
            for (kind, n) in nights(piece, &self.events.stays, self.until()) {
                match nights_by_kind.iter_mut().find(|(k, _)| *k == kind) {
                    Some(entry) => entry.1 += n,
                    None => nights_by_kind.push((kind, n)),
                }
            }
        }
        let days = u64::try_from(
            self.period.last.last_day().signed_duration_since(self.period.first.first_day()).num_days() + 1,
        )
        .unwrap_or(0)
        .max(u64::try_from(months).unwrap_or(0));
        let figure = |stays: Shown, nights: u64, beds: u64| match stays {
            Shown::Count(n) => StayRow {
                nights: Some(nights),
                average_nights: (n > 0).then(|| round1(nights as f64 / n as f64)),
                occupancy_percent: (beds > 0 && days > 0)
                    .then(|| round1(100.0 * nights as f64 / (beds * days) as f64)),
            },
            Shown::Suppressed => StayRow { nights: None, average_nights: None, occupancy_percent: None },
        };
        let beds_of = |kind: &str| self.beds.iter().filter(|(k, _)| k == kind).map(|(_, b)| *b).sum::<u64>();
        let rows: Vec<StayRow> = nights_by_kind
            .iter()
            .enumerate()
            .map(|(i, (kind, n))| {
                let stays = shown.cells.get(i).and_then(|r| r.first()).copied().unwrap_or(Shown::Suppressed);
                figure(stays, *n, beds_of(kind))
            })
            .collect();
        let all_nights = nights_by_kind.iter().map(|(_, n)| n).sum();
        let all_beds = self.beds.iter().map(|(_, b)| b).sum();
        let total_stays =
            shown.column_totals.as_ref().and_then(|t| t.first()).copied().unwrap_or(Shown::Suppressed);
        StayFigures { rows, total: figure(total_stays, all_nights, all_beds) }
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The one column of a list table.
pub fn is_list(table: &PublishedTable) -> bool {
    table.columns.len() == 1 && table.columns[0] == CASES
}
