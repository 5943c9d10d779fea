//! Statistical disclosure control of the aggregate tables of case counts that the Committee for
//! the Advancement of Women sees. A survivor in a commune with two cases must not be singled out
//! by a count, by the totals published around it, nor by subtracting the 6-month report from the
//! annual one. Pure: the same counts always give the same published table.
//!
//! Small counts are suppressed (primary suppression), then further positions (complementary
//! suppression) until every suppressed value of every period, and of every atom of time the
//! periods are made of, can move in a way that keeps every published number and every bound
//! an attacker knows (see `graph` for the search and `greedy` for the choice of complements).

mod extended;
mod graph;
mod greedy;
mod pieces;

#[cfg(test)]
mod attacker;
#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

use extended::Family;
pub use pieces::{Piece, combine, hides_total, protect_piece, protect_pieces, total_hidden};

/// Fewer cases than this in a published position (but at least one) identify people: the
/// usual threshold of GBV information management for publishing counts.
pub const DEFAULT_THRESHOLD: u64 = 5;

/// Which totals a table publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Margins {
    /// Row totals, column totals and the grand total.
    Both,
    /// Row totals only, for a column dimension that is not additive (a case can have several
    /// forms of violence, so a total over forms counts nothing); no grand total.
    RowsOnly,
    /// Column totals only, no grand total. A one-column list with its total is this with one
    /// column: the column total is the total.
    ColumnsOnly,
    /// Independent cells, no totals.
    None,
}

impl Margins {
    pub fn publishes_row_totals(self) -> bool {
        matches!(self, Margins::Both | Margins::RowsOnly)
    }

    pub fn publishes_column_totals(self) -> bool {
        matches!(self, Margins::Both | Margins::ColumnsOnly)
    }

    pub fn publishes_grand_total(self) -> bool {
        self == Margins::Both
    }
}

/// What one published position shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Count(u64),
    Suppressed,
}

/// A published table after disclosure control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protected {
    /// R rows of C columns.
    pub cells: Vec<Vec<Shown>>,
    /// Some iff the margins publish row totals.
    pub row_totals: Option<Vec<Shown>>,
    /// Some iff the margins publish column totals.
    pub column_totals: Option<Vec<Shown>>,
    /// Some iff `Margins::Both`.
    pub total: Option<Shown>,
    /// More than half of the non-zero inner cells are suppressed: the page offers a coarser
    /// level (the province instead of communes), where the same cases say more.
    pub mostly_suppressed: bool,
}

/// Disclosure control for one table of R rows by C columns. Rows shorter than the longest are
/// read as ending in zeros. Thresholds below 1 are read as 1: nothing is small then, and only
/// what is needed to protect nothing is suppressed, i.e. nothing.
pub fn protect(counts: &[Vec<u64>], margins: Margins, k: u64) -> Protected {
    let family = Family::new(&[counts.to_vec()], &[vec![0]], margins);
    let mask = greedy::mask(&family, k, false);
    family.publish(0, &mask)
}

/// [`protect`], with the table's own total hidden from the start: when the number
/// of cases has to be hidden in one table of a report, it is hidden in all.
pub fn protect_hiding_total(counts: &[Vec<u64>], margins: Margins, k: u64) -> Protected {
    let family = Family::new(&[counts.to_vec()], &[vec![0]], margins);
    let mask = greedy::mask(&family, k, true);
    family.publish(0, &mask)
}

/// Disclosure control for a family of tables over periods made of disjoint atoms of time:
/// `atoms[a]` are the counts of atom a, `tables[t]` the atoms summed into published table t
/// (the 6-month report H inside the annual report A is `atoms = [H, A\H]`,
/// `tables = [[0], [0, 1]]`). One suppression pattern serves every table, so no table tells
/// where another one hides something. Atom indices out of range and repeated ones are ignored;
/// atoms of other shapes are padded with zeros to the largest shape.
pub fn protect_family(
    atoms: &[Vec<Vec<u64>>],
    tables: &[Vec<usize>],
    margins: Margins,
    k: u64,
) -> Vec<Protected> {
    let family = Family::new(atoms, tables, margins);
    let mask = greedy::mask(&family, k, false);
    (0..tables.len()).map(|t| family.publish(t, &mask)).collect()
}
